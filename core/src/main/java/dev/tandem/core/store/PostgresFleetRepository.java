package dev.tandem.core.store;

import dev.tandem.core.fleet.AuditEntry;
import dev.tandem.core.fleet.FleetException;
import dev.tandem.core.fleet.FleetHost;
import dev.tandem.core.fleet.FleetRepository;
import dev.tandem.core.fleet.HostKey;
import dev.tandem.core.fleet.KeyCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** {@link FleetRepository} on the PostgreSQL store ({@code V3__fleet.sql}). */
final class PostgresFleetRepository implements FleetRepository {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final Connections db;

    PostgresFleetRepository(Connections db) {
        this.db = db;
    }

    @Override
    public HostKey.Issued add(String name, boolean roaming, String actor) {
        if (!NAME.matcher(name).matches()) {
            throw new FleetException("host name '" + name
                    + "' is not valid: use 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        HostKey.Issued key = HostKey.issue();
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO fleet_host (name, key_id, salt, host_hash,"
                            + " codex_hash, claude_hash, roaming) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                bind(ps, 2, key);
                ps.setBoolean(7, roaming);
                if (ps.executeUpdate() == 0) {
                    throw new FleetException("host " + name
                            + " exists already: 'tandem fleet host rotate " + name
                            + "' gives it a new key");
                }
            }
            record(c, actor, "host-add", name, roaming ? "roaming" : "");
            return key;
        });
    }

    @Override
    public HostKey.Issued rotate(String name, String actor) {
        HostKey.Issued key = HostKey.issue();
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_host SET key_id = ?, salt = ?, host_hash = ?,"
                    + " codex_hash = ?, claude_hash = ?, rotated_at = now(), bound_ip = NULL, revoked_at = NULL"
                    + " WHERE name = ?")) {
                bind(ps, 1, key);
                ps.setString(6, name);
                if (ps.executeUpdate() == 0) {
                    throw unknown(name);
                }
            }
            record(c, actor, "host-rotate", name, "");
            return key;
        });
    }

    @Override
    public void revoke(String name, String actor) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_host SET key_id = NULL, salt = NULL,"
                    + " host_hash = NULL, codex_hash = NULL, claude_hash = NULL,"
                    + " revoked_at = coalesce(revoked_at, now()) WHERE name = ?")) {
                ps.setString(1, name);
                if (ps.executeUpdate() == 0) {
                    throw unknown(name);
                }
            }
            record(c, actor, "host-revoke", name, "");
            return null;
        });
    }

    @Override
    public List<FleetHost> hosts() {
        return db.read(c -> {
            List<FleetHost> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, created_at, last_seen, bound_ip, roaming,"
                            + " revoked_at FROM fleet_host ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FleetHost(
                            rs.getString(1),
                            rs.getTimestamp(2).toInstant(),
                            instant(rs.getTimestamp(3)),
                            Optional.ofNullable(rs.getString(4)),
                            rs.getBoolean(5),
                            instant(rs.getTimestamp(6))));
                }
            }
            return out;
        });
    }

    @Override
    public KeyCheck check(String presentedKey, String sourceIp) {
        Optional<HostKey.Presented> parsed = HostKey.parse(presentedKey);
        if (parsed.isEmpty()) {
            return KeyCheck.refused("not a fleet key");
        }
        HostKey.Presented p = parsed.get();
        String column = p.engine().map(e -> e + "_hash").orElse("host_hash");
        // A plain read decides almost every request: no row lock and no write while a host is busy. A write
        // follows only to bind the key at its first use, or to move last_seen on (at most every 10 seconds);
        // both are guarded by their WHERE clause, so two hubs racing to bind a key cannot both win.
        Row row = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, salt, " + column + ", bound_ip, roaming,"
                    + " last_seen IS NULL, last_seen < now() - interval '10 seconds'"
                    + " FROM fleet_host WHERE key_id = ? AND revoked_at IS NULL")) {
                ps.setString(1, p.keyId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new Row(
                            rs.getString(1),
                            rs.getBytes(2),
                            rs.getBytes(3),
                            rs.getString(4),
                            rs.getBoolean(5),
                            rs.getBoolean(6),
                            rs.getBoolean(7));
                }
            }
        });
        if (row == null) {
            // a key of a revoked host, an old key of a rotated one, or none ever issued
            return KeyCheck.refused("no live fleet key has this id (revoked, rotated or never issued)");
        }
        String name = row.name();
        if (!HostKey.matches(row.salt(), row.hash(), p.secret())) {
            return KeyCheck.refused("wrong secret for host " + name + "'s key id");
        }
        if (!row.roaming() && row.bound() == null) {
            return bindFirstUse(p, name, sourceIp);
        }
        if (!row.roaming() && !row.bound().equals(sourceIp)) {
            return KeyCheck.refused(refusedBinding(name, row.bound(), sourceIp));
        }
        if (row.neverSeen()) {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_host SET last_seen = now()"
                        + " WHERE key_id = ? AND revoked_at IS NULL AND last_seen IS NULL")) {
                    ps.setString(1, p.keyId());
                    if (ps.executeUpdate() == 1 && row.roaming()) {
                        // a roaming host is bound to nothing: its first use is its enrolment all the same
                        record(c, "host@" + name, "enrol", name, "roaming; first used from " + sourceIp);
                    }
                }
                return null;
            });
        } else if (row.seenLongAgo()) {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_host SET last_seen = now()"
                        + " WHERE key_id = ? AND last_seen < now() - interval '10 seconds'")) {
                    ps.setString(1, p.keyId());
                    ps.executeUpdate();
                }
                return null;
            });
        }
        return KeyCheck.accepted(name, p.engine());
    }

    /** Binds a host's key to {@code sourceIp} at its first use; of two hubs racing to bind it, one wins. */
    private KeyCheck bindFirstUse(HostKey.Presented p, String name, String sourceIp) {
        String bound = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_host SET bound_ip = ?, last_seen = now()"
                    + " WHERE key_id = ? AND revoked_at IS NULL AND bound_ip IS NULL AND NOT roaming")) {
                ps.setString(1, sourceIp);
                ps.setString(2, p.keyId());
                if (ps.executeUpdate() == 1) {
                    record(c, "host@" + name, "enrol", name, "key bound to " + sourceIp);
                    return sourceIp;
                }
            }
            // another request bound it first, or the host was revoked or rotated meanwhile
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT bound_ip FROM fleet_host WHERE key_id = ? AND revoked_at IS NULL")) {
                ps.setString(1, p.keyId());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (bound == null) {
            return KeyCheck.refused("no live fleet key has this id (revoked, rotated or never issued)");
        }
        if (!bound.equals(sourceIp)) {
            return KeyCheck.refused(refusedBinding(name, bound, sourceIp));
        }
        return KeyCheck.accepted(name, p.engine());
    }

    private static String refusedBinding(String name, String bound, String sourceIp) {
        return "host " + name + "'s key is bound to " + bound + "; used from " + sourceIp;
    }

    /** What {@link #check} reads of a host's row (never compared, so the arrays' identity equality is moot). */
    @SuppressWarnings("ArrayRecordComponent")
    private record Row(
            String name,
            byte[] salt,
            byte[] hash,
            String bound,
            boolean roaming,
            boolean neverSeen,
            boolean seenLongAgo) {}

    @Override
    public Set<String> liveKeyIds() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT key_id FROM fleet_host WHERE revoked_at IS NULL AND key_id IS NOT NULL");
                    ResultSet rs = ps.executeQuery()) {
                Set<String> out = new HashSet<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return Set.copyOf(out);
            }
        });
    }

    @Override
    public boolean frozen() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT frozen FROM fleet_state WHERE id = 1");
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        });
    }

    @Override
    public void freeze(boolean frozen, String actor) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE fleet_state SET frozen = ?, changed_at = now(), changed_by = ? WHERE id = 1")) {
                ps.setBoolean(1, frozen);
                ps.setString(2, actor);
                ps.executeUpdate();
            }
            record(c, actor, frozen ? "freeze" : "thaw", "", "");
            return null;
        });
    }

    @Override
    public void audit(String actor, String action, String host, String detail) {
        db.write(c -> {
            record(c, actor, action, host, detail);
            return null;
        });
    }

    @Override
    public List<AuditEntry> audit(int limit) {
        return db.read(c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at, actor, action, host, detail FROM fleet_audit ORDER BY id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(
                                rs.getTimestamp(1).toInstant(),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    private static void bind(PreparedStatement ps, int first, HostKey.Issued key) throws SQLException {
        ps.setString(first, key.keyId());
        ps.setBytes(first + 1, key.salt());
        ps.setBytes(first + 2, key.hostHash());
        ps.setBytes(first + 3, key.codexHash());
        ps.setBytes(first + 4, key.claudeHash());
    }

    private static void record(Connection c, String actor, String action, String host, String detail)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO fleet_audit (actor, action, host, detail) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, actor);
            ps.setString(2, action);
            ps.setString(3, host);
            ps.setString(4, detail);
            ps.executeUpdate();
        }
    }

    private static FleetException unknown(String name) {
        return new FleetException("no fleet host is named " + name + " (see 'tandem fleet host list')");
    }

    private static Optional<Instant> instant(Timestamp t) {
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
