package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [store] url} on a real PostgreSQL server: the password rules, Flyway's schema history, read-only opens. */
class PostgresStoreTest {
    private static final Owner CODEX = new Owner("codex", "box");

    @TempDir
    Path home;

    private final PostgresServer server = PostgresServer.get();

    private HubConfig load(String toml, Map<String, String> env) throws Exception {
        Path file = home.resolve(".tandem/hub.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, toml);
        return new HubConfigLoader(home, home.resolve("work"), home.resolve("repo"), env)
                .load(Optional.of(file), HubFlags.none());
    }

    private String url(PostgresLocation at) {
        return at.url();
    }

    @Test
    void urlSelectsPostgresWithThePasswordFromTheEnvironment() throws Exception {
        PostgresLocation at = server.newEmptyDatabase("env");
        HubConfig config =
                load("[store]\nurl = \"" + url(at) + "\"\n", Map.of(StoreSettings.PASSWORD_ENV, server.password()));
        StoreSettings settings = StoreSettings.from(config);
        try (Store store = Store.open(settings)) {
            store.memories().insert(CODEX, new MemoryDraft("in postgres", "", "", List.of(), Scope.SHARED));
        }
        try (Connection c = server.connect(database(at));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT content FROM memory")) {
            assertTrue(rs.next());
            assertEquals("in postgres", rs.getString(1));
        }
        assertFalse(Files.exists(settings.database()), "no SQLite file is made beside a PostgreSQL store");
    }

    @Test
    void passwordFileIsReadAndMustBeTheOwnersAlone() throws Exception {
        PostgresLocation at = server.newEmptyDatabase("file");
        Path secret = home.resolve("pgpass");
        Files.writeString(secret, server.password() + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        String toml = "[store]\nurl = \"" + url(at) + "\"\npassword_file = \"" + secret + "\"\n";
        try (Store store = Store.open(StoreSettings.from(load(toml, Map.of())))) {
            assertEquals(
                    0,
                    store.memories()
                            .list(CODEX, new ListQuery(List.of(), Optional.empty(), 0, 5))
                            .items()
                            .size());
        }
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e = assertThrows(ConfigException.class, () -> StoreSettings.from(load(toml, Map.of())));
        assertTrue(e.getMessage().contains("hub.toml:3:") && e.getMessage().contains("chmod 600"), e.getMessage());
        assertFalse(e.getMessage().contains(server.password()));
    }

    @Test
    void passwordInTheConfigurationFileIsRefusedWithItsLineAndNeverRepeated() throws Exception {
        String secret = "hunter2-" + server.password();
        ConfigException key = assertThrows(
                ConfigException.class,
                () -> StoreSettings.from(load(
                        "[store]\nurl = \"postgresql://127.0.0.1:5432/tandem?user=tandem\"\npassword = \"" + secret
                                + "\"\n",
                        Map.of())));
        assertTrue(
                key.getMessage().contains("hub.toml:3:") && key.getMessage().contains("[store] password is refused"),
                key.getMessage());
        for (String url : List.of(
                "postgresql://tandem:" + secret + "@127.0.0.1:5432/tandem",
                "postgresql://127.0.0.1:5432/tandem?user=tandem&password=" + secret)) {
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> StoreSettings.from(load("[store]\n\nurl = \"" + url + "\"\n", Map.of())));
            assertTrue(
                    e.getMessage().contains("hub.toml:3:") && e.getMessage().contains("must not hold a password"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(secret), e.getMessage());
        }
    }

    @Test
    void aWrongPasswordFailsWithoutShowingTheOneTried() throws Exception {
        PostgresLocation at = server.newEmptyDatabase("wrong");
        String tried = "not-the-password-" + server.password().substring(0, 8);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StoreException e;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            StoreSettings settings = StoreSettings.from(
                    load("[store]\nurl = \"" + url(at) + "\"\n", Map.of(StoreSettings.PASSWORD_ENV, tried)));
            e = assertThrows(StoreException.class, () -> Store.open(settings));
        } finally {
            System.setErr(err);
        }
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        List<String> seen =
                new ArrayList<>(List.of(e.getMessage(), e.toString(), captured.toString(StandardCharsets.UTF_8)));
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            seen.add(String.valueOf(t.getMessage()));
        }
        for (String text : seen) {
            assertFalse(text.contains(tried), text);
        }
        assertFalse(String.valueOf(StoreSettings.from(
                        load("[store]\nurl = \"" + url(at) + "\"\n", Map.of(StoreSettings.PASSWORD_ENV, tried))))
                .contains(tried));
    }

    @Test
    void flywayRecordsTheSchemaOnceAndANewerSchemaIsRefused() throws Exception {
        PostgresLocation at = server.newEmptyDatabase("flyway");
        StoreSettings settings = new StoreSettings(home.resolve("unused.db"), "box").withPostgres(at);
        Store.open(settings).close();
        Store.open(settings).close();
        try (Connection c = server.connect(database(at));
                Statement st = c.createStatement()) {
            List<String> rows = new ArrayList<>();
            try (ResultSet rs =
                    st.executeQuery("SELECT version, script, success FROM schema_version ORDER BY installed_rank")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
                }
            }
            assertEquals(
                    List.of(
                            "1 V1__tandem_store.sql true",
                            "2 V2__telemetry_credential.sql true",
                            "3 V3__fleet.sql true",
                            "4 V4__host_scope.sql true",
                            "5 V5__usage_file_mtime.sql true",
                            "6 V6__usage_change.sql true",
                            "7 V7__usage_damaged.sql true",
                            "8 V8__job_protected_changes.sql true"),
                    rows);
            st.executeUpdate("INSERT INTO schema_version (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL',"
                    + " 'V99__future.sql', 0, 'postgres', 0, true)");
        }
        StoreException e = assertThrows(StoreException.class, () -> Store.open(settings));
        assertTrue(e.getMessage().startsWith(at.url() + ": "), e.getMessage());
    }

    @Test
    void readOnlyStoreReadsAndRefusesWritesAndNeverMigrates() throws Exception {
        PostgresLocation at = server.newEmptyDatabase("readonly");
        StoreSettings settings = new StoreSettings(home.resolve("unused.db"), "box").withPostgres(at);
        StoreException fresh = assertThrows(StoreException.class, () -> Store.openReadOnly(settings));
        assertTrue(fresh.getMessage().contains("start the hub once"), fresh.getMessage());
        try (Store hub = Store.open(settings)) {
            hub.memories().insert(CODEX, new MemoryDraft("from the hub", "", "", List.of(), Scope.SHARED));
        }
        try (Store reader = Store.openReadOnly(settings)) {
            assertEquals(
                    1,
                    reader.memories()
                            .list(CODEX, new ListQuery(List.of(), Optional.empty(), 0, 5))
                            .items()
                            .size());
            StoreException e = assertThrows(
                    StoreException.class,
                    () -> reader.memories().insert(CODEX, new MemoryDraft("no", "", "", List.of(), Scope.SHARED)));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        }
    }

    private static String database(PostgresLocation at) {
        return at.jdbcUrl().substring(at.jdbcUrl().lastIndexOf('/') + 1);
    }
}
