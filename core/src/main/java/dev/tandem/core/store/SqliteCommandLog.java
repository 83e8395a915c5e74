package dev.tandem.core.store;

import dev.tandem.core.memory.Owner;
import dev.tandem.core.telemetry.CommandLog;
import dev.tandem.core.telemetry.CommandStats;
import dev.tandem.core.telemetry.CommandUse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link CommandLog} in the {@code command_log} table. */
final class SqliteCommandLog implements CommandLog {
    private final Connections db;
    private final Clock clock;

    SqliteCommandLog(Connections db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public CommandUse record(Owner owner, String client, String slug) {
        Instant at = Instant.ofEpochMilli(clock.millis());
        long uses = db.write(c -> {
            try (var insert = c.prepareStatement(
                            "INSERT INTO command_log (slug, engine, host, client, at) VALUES (?, ?, ?, ?, ?)");
                    var count = c.prepareStatement("SELECT count(*) FROM command_log WHERE slug = ?")) {
                insert.setString(1, slug);
                insert.setString(2, owner.engine());
                insert.setString(3, owner.host());
                insert.setString(4, client);
                insert.setLong(5, at.toEpochMilli());
                insert.executeUpdate();
                count.setString(1, slug);
                try (var rs = count.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new CommandUse(slug, at, uses);
    }

    @Override
    public List<CommandStats> stats(Optional<String> host) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT slug, engine, count(*) AS uses, max(at)"
                    + " FROM command_log" + (host.isPresent() ? " WHERE host = ?" : "")
                    + " GROUP BY slug, engine ORDER BY uses DESC, slug, engine")) {
                if (host.isPresent()) {
                    ps.setString(1, host.get());
                }
                List<CommandStats> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new CommandStats(
                                rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4))));
                    }
                }
                return out;
            }
        });
    }
}
