package dev.tandem.hub.telemetry;

import dev.tandem.hub.memory.MemoryException;
import dev.tandem.hub.memory.SqliteConnections;
import dev.tandem.hub.memory.SqliteMemoryRepository;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code telemetry} table (and the {@code command_log} the memory store fills) in the hub's SQLite file.
 *
 * <p>It works through the file's {@link SqliteConnections}, the same instance the memory store of this process
 * uses, so the recorder's batches and memory writes queue on one write lock.
 */
public final class TelemetryStore implements AutoCloseable {
    private static final String COLUMNS = "at, engine, client_name, client_version, host, session_id, method, "
            + "target, duration_us, outcome, error_class, args_bytes";

    private final String host;
    private final SqliteConnections db;

    private TelemetryStore(String host, SqliteConnections db) {
        this.host = host;
        this.db = db;
    }

    /**
     * Opens the hub's database {@code file}; rows are recorded under {@code host}. The memory store's migrations
     * create the table; they run here too when no memory store opened the file first.
     */
    public static TelemetryStore open(Path file, String host) {
        SqliteConnections db;
        try {
            db = SqliteConnections.open(file);
        } catch (MemoryException e) {
            throw new TelemetryException(file + ": cannot open the telemetry store: " + e.getMessage(), e);
        }
        try {
            // applies the migrations on the same connections (a no-op when they ran already)
            SqliteMemoryRepository.open(file).close();
        } catch (RuntimeException e) {
            db.close();
            throw new TelemetryException(file + ": cannot open the telemetry store: " + e.getMessage(), e);
        }
        return new TelemetryStore(host, db);
    }

    public String host() {
        return host;
    }

    /** Inserts the events in one transaction. */
    public void insert(List<RequestEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO telemetry (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
        ps.setString(5, host);
        ps.setString(6, e.sessionId());
        ps.setString(7, e.method());
        setOptional(ps, 8, e.target());
        ps.setLong(9, e.durationMicros());
        ps.setString(10, e.outcome().wireName());
        setOptional(ps, 11, e.errorClass());
        ps.setLong(12, e.argsBytes());
    }

    private static void setOptional(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }

    /** Deletes the rows recorded before {@code cutoff}; returns how many. */
    public int deleteBefore(Instant cutoff) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM telemetry WHERE at < ?")) {
                ps.setLong(1, cutoff.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** Returns the requests recorded in {@code [from, to)}, oldest first. */
    public List<Recorded> between(Instant from, Instant to) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM telemetry WHERE at >= ? AND at < ? ORDER BY at, seq")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
                return rows(ps);
            }
        });
    }

    /** Hands every request recorded in {@code [from, to)} to {@code sink}, oldest first, without keeping them. */
    void samples(Instant from, Instant to, java.util.function.Consumer<Sample> sink) {
        read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT at, engine, method, target, duration_us, outcome"
                    + " FROM telemetry WHERE at >= ? AND at < ? ORDER BY at, seq")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
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

    /** Returns the newest {@code limit} requests that did not end {@code ok}, newest first. */
    public List<Recorded> errors(int limit) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM telemetry WHERE outcome <> 'ok' ORDER BY at DESC, seq DESC LIMIT ?")) {
                ps.setInt(1, limit);
                return rows(ps);
            }
        });
    }

    /** Returns how often each engine used each skill or command, most used first. */
    public List<CommandStats> commands() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT slug, engine, count(*) AS uses, max(at)"
                            + " FROM command_log GROUP BY slug, engine ORDER BY uses DESC, slug, engine");
                    ResultSet rs = ps.executeQuery()) {
                List<CommandStats> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new CommandStats(
                            rs.getString(1), rs.getString(2), rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4))));
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
                        rs.getLong(12));
                out.add(new Recorded(rs.getString(5), e));
            }
        }
        return out;
    }

    private <T> T write(SqliteConnections.Work<T> work) {
        try {
            return db.write(work);
        } catch (MemoryException e) {
            throw new TelemetryException(e.getMessage(), e);
        }
    }

    private <T> T read(SqliteConnections.Work<T> work) {
        try {
            return db.read(work);
        } catch (MemoryException e) {
            throw new TelemetryException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
