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
        return db.write(c -> {
            String name;
            String bound;
            boolean roaming;
            try (PreparedStatement ps = c.prepareStatement("SELECT name, salt, " + column + ", bound_ip, roaming"
                    + " FROM fleet_host WHERE key_id = ? AND revoked_at IS NULL FOR UPDATE")) {
                ps.setString(1, p.keyId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        // a key of a revoked host, an old key of a rotated one, or none ever issued
                        return KeyCheck.refused("no live fleet key has this id (revoked, rotated or never issued)");
                    }
                    name = rs.getString(1);
                    if (!HostKey.matches(rs.getBytes(2), rs.getBytes(3), p.secret())) {
                        return KeyCheck.refused("wrong secret for host " + name + "'s key id");
                    }
                    bound = rs.getString(4);
                    roaming = rs.getBoolean(5);
                }
            }
            if (!roaming && bound != null && !bound.equals(sourceIp)) {
                return KeyCheck.refused("host " + name + "'s key is bound to " + bound + "; used from " + sourceIp);
            }
            boolean first = !roaming && bound == null;
            try (PreparedStatement ps = c.prepareStatement("UPDATE fleet_host SET last_seen = now()"
                    + (first ? ", bound_ip = ?" : "")
                    + " WHERE name = ? AND (last_seen IS NULL OR last_seen < now() - interval '10 seconds'"
                    + (first ? " OR bound_ip IS NULL" : "") + ")")) {
                int i = 1;
                if (first) {
                    ps.setString(i++, sourceIp);
                }
                ps.setString(i, name);
                ps.executeUpdate();
            }
            if (first) {
                record(c, "host@" + name, "enrol", name, "key bound to " + sourceIp);
            }
            return KeyCheck.accepted(name, p.engine());
        });
    }

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
