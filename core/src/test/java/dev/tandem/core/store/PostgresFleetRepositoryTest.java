package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.fleet.AuditEntry;
import dev.tandem.core.fleet.FleetRepository;
import dev.tandem.core.fleet.HostKey;
import dev.tandem.core.fleet.KeyCheck;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's key checks on a real PostgreSQL server: binding at first use, races between hubs, the audit log. */
class PostgresFleetRepositoryTest {
    @TempDir
    Path dir;

    @Test
    void checksOfABoundKeyTakeNoRowLockAndWriteNothing() throws Exception {
        StoreBackend pg = StoreBackend.postgres(dir);
        try (Store store = pg.open("quiet")) {
            FleetRepository fleet = store.fleet().orElseThrow();
            HostKey.Issued key = fleet.add("laptop", false, "cli@test");
            assertTrue(fleet.check(key.key(), "10.0.0.1").accepted());
            String[] before = rowVersion(pg, "quiet");
            for (int i = 0; i < 20; i++) {
                KeyCheck c = fleet.check(HostKey.engineKey(key.key(), i % 2 == 0 ? "codex" : "claude"), "10.0.0.1");
                assertTrue(c.accepted(), c.refusal().orElse(""));
            }
            String[] after = rowVersion(pg, "quiet");
            // xmin changes with every UPDATE, xmax with every SELECT ... FOR UPDATE: neither happened
            assertEquals(before[0], after[0], "the host's row was rewritten by a key check");
            assertEquals("0", after[1], "a key check locked the host's row");
        }
    }

    @Test
    void twoHubsRacingToBindAKeyAtItsFirstUseBindItToOneAddressOnly() throws Exception {
        StoreBackend pg = StoreBackend.postgres(dir);
        int hubs = 8;
        List<Store> stores = new ArrayList<>();
        try {
            for (int i = 0; i < hubs; i++) {
                stores.add(pg.open("race", "hub" + i));
            }
            HostKey.Issued key = stores.get(0).fleet().orElseThrow().add("buildbox", false, "cli@test");
            ExecutorService pool = Executors.newFixedThreadPool(hubs);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<KeyCheck>> results = new ArrayList<>();
            for (int i = 0; i < hubs; i++) {
                FleetRepository fleet = stores.get(i).fleet().orElseThrow();
                String ip = "10.0.1." + (i + 1);
                Callable<KeyCheck> first = () -> {
                    go.await();
                    return fleet.check(key.key(), ip);
                };
                results.add(pool.submit(first));
            }
            go.countDown();
            Set<String> winners = ConcurrentHashMap.newKeySet();
            int refused = 0;
            for (int i = 0; i < hubs; i++) {
                KeyCheck c = results.get(i).get();
                if (c.accepted()) {
                    winners.add("10.0.1." + (i + 1));
                } else {
                    refused++;
                    assertTrue(
                            c.refusal().orElseThrow().contains("is bound to 10.0.1."),
                            c.refusal().orElseThrow());
                }
            }
            pool.shutdown();
            assertEquals(1, winners.size(), "the key was accepted from " + winners);
            assertEquals(hubs - 1, refused);
            FleetRepository fleet = stores.get(0).fleet().orElseThrow();
            String winner = winners.iterator().next();
            assertEquals(winner, fleet.hosts().get(0).boundIp().orElseThrow());
            List<AuditEntry> enrols = fleet.audit(50).stream()
                    .filter(a -> a.action().equals("enrol"))
                    .toList();
            assertEquals(1, enrols.size(), enrols.toString());
            assertEquals("key bound to " + winner, enrols.get(0).detail());
            assertFalse(fleet.check(key.key(), "10.0.9.9").accepted());
            assertTrue(fleet.check(key.key(), winner).accepted());
        } finally {
            for (Store s : stores) {
                s.close();
            }
        }
    }

    @Test
    void aRoamingHostsFirstUseIsAuditedOnceAndItsKeyWorksFromAnyAddress() throws Exception {
        StoreBackend pg = StoreBackend.postgres(dir);
        try (Store store = pg.open("roam")) {
            FleetRepository fleet = store.fleet().orElseThrow();
            HostKey.Issued key = fleet.add("phone", true, "cli@test");
            for (int i = 1; i <= 5; i++) {
                assertTrue(fleet.check(key.key(), "10.0.2." + i).accepted());
            }
            List<AuditEntry> enrols = fleet.audit(50).stream()
                    .filter(a -> a.action().equals("enrol"))
                    .toList();
            assertEquals(1, enrols.size(), enrols.toString());
            assertEquals("roaming; first used from 10.0.2.1", enrols.get(0).detail());
            assertEquals("host@phone", enrols.get(0).actor());
            assertTrue(fleet.hosts().get(0).lastSeen().isPresent());
            assertTrue(fleet.hosts().get(0).boundIp().isEmpty());
        }
    }

    @Test
    void aKeyIsRefusedOnceItsHostIsRevokedOrRotatedAndAWrongSecretNeverBindsIt() throws Exception {
        StoreBackend pg = StoreBackend.postgres(dir);
        try (Store store = pg.open("revoke")) {
            FleetRepository fleet = store.fleet().orElseThrow();
            HostKey.Issued key = fleet.add("desk", false, "cli@test");
            String forged = key.key().substring(0, key.key().lastIndexOf('.') + 1) + "A".repeat(43);
            KeyCheck wrong = fleet.check(forged, "10.0.3.66");
            assertFalse(wrong.accepted());
            assertTrue(fleet.hosts().get(0).boundIp().isEmpty(), "a wrong secret bound the key");
            assertTrue(fleet.check(key.key(), "10.0.3.1").accepted());
            HostKey.Issued rotated = fleet.rotate("desk", "cli@test");
            assertFalse(fleet.check(key.key(), "10.0.3.1").accepted());
            assertTrue(fleet.check(rotated.key(), "10.0.3.2").accepted(), "rotation clears the binding");
            fleet.revoke("desk", "cli@test");
            KeyCheck revoked = fleet.check(rotated.key(), "10.0.3.2");
            assertFalse(revoked.accepted());
            assertTrue(revoked.refusal().orElseThrow().contains("revoked"));
        }
    }

    /** Returns the {@code xmin} and {@code xmax} of the only host's row. */
    private static String[] rowVersion(StoreBackend pg, String name) throws Exception {
        try (Connection c = pg.connect(name);
                PreparedStatement ps = c.prepareStatement("SELECT xmin::text, xmax::text FROM fleet_host");
                ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }
}
