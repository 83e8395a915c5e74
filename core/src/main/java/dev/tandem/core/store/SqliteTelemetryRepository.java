package dev.tandem.core.store;

import dev.tandem.core.telemetry.HostCalls;
import dev.tandem.core.telemetry.Outcome;
import dev.tandem.core.telemetry.Recorded;
import dev.tandem.core.telemetry.RequestEvent;
import dev.tandem.core.telemetry.Sample;
import dev.tandem.core.telemetry.TelemetryRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link TelemetryRepository} in the {@code telemetry} table of the hub's SQLite file.
 *
 * <p>It works through the file's {@link SqliteConnections}, the same instance the memory store of this process
 * uses, so the recorder's batches and memory writes queue on one write lock.
 */
final class SqliteTelemetryRepository implements TelemetryRepository {
    private static final String COLUMNS = "at, engine, client_name, client_version, host, session_id, method, "
            + "target, duration_us, outcome, error_class, args_bytes, call_id, engine_session, credential";

    private final String host;
    private final Connections db;

    SqliteTelemetryRepository(Connections db, String host) {
        this.host = host;
        this.db = db;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public void insert(List<RequestEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO telemetry (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (RequestEvent e : events) {
                    bind(ps, e);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private void bind(PreparedStatement ps, RequestEvent e) throws SQLException {
        ps.setLong(1, e.at().toEpochMilli());
        ps.setString(2, e.engine());
        ps.setString(3, e.clientName());
        ps.setString(4, e.clientVersion());
        ps.setString(5, e.host().isEmpty() ? host : e.host());
        ps.setString(6, e.sessionId());
        ps.setString(7, e.method());
        setOptional(ps, 8, e.target());
        ps.setLong(9, e.durationMicros());
        ps.setString(10, e.outcome().wireName());
        setOptional(ps, 11, e.errorClass());
        ps.setLong(12, e.argsBytes());
        setOptional(ps, 13, e.callId());
        setOptional(ps, 14, e.engineSession());
        ps.setString(15, e.credential());
    }

    private static void setOptional(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }

    @Override
    public int deleteBefore(Instant cutoff) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM telemetry WHERE at < ?")) {
                ps.setLong(1, cutoff.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Recorded> between(Instant from, Instant to) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM telemetry WHERE at >= ? AND at < ? ORDER BY at, seq")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
                return rows(ps);
            }
        });
    }

    @Override
    public void samples(Instant from, Instant to, Optional<String> host, Consumer<Sample> sink) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT at, engine, method, target, duration_us, outcome"
                    + " FROM telemetry WHERE at >= ? AND at < ?" + (host.isPresent() ? " AND host = ?" : "")
                    + " ORDER BY at, seq")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
                if (host.isPresent()) {
                    ps.setString(3, host.get());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new Sample(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                Optional.ofNullable(rs.getString(4)),
                                rs.getLong(5),
                                "ok".equals(rs.getString(6))));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public List<Recorded> errors(int limit, Optional<String> host) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM telemetry WHERE outcome <> 'ok'"
                    + (host.isPresent() ? " AND host = ?" : "") + " ORDER BY at DESC, seq DESC LIMIT ?")) {
                int i = 1;
                if (host.isPresent()) {
                    ps.setString(i++, host.get());
                }
                ps.setInt(i, limit);
                return rows(ps);
            }
        });
    }

    @Override
    public List<HostCalls> perHost(Instant from, Instant to) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT host, COUNT(*),"
                    + " SUM(CASE WHEN outcome <> 'ok' THEN 1 ELSE 0 END) FROM telemetry WHERE at >= ? AND at < ?"
                    + " GROUP BY host ORDER BY host")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
                List<HostCalls> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new HostCalls(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
                return out;
            }
        });
    }

    private static List<Recorded> rows(PreparedStatement ps) throws SQLException {
        List<Recorded> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                RequestEvent e = new RequestEvent(
                        Instant.ofEpochMilli(rs.getLong(1)),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(6),
                        rs.getString(7),
                        Optional.ofNullable(rs.getString(8)),
                        rs.getLong(9),
                        Outcome.of(rs.getString(10)),
                        Optional.ofNullable(rs.getString(11)),
                        rs.getLong(12),
                        Optional.ofNullable(rs.getString(13)),
                        Optional.ofNullable(rs.getString(14)),
                        rs.getString(15));
                out.add(new Recorded(rs.getString(5), e));
            }
        }
        return out;
    }
}
