package dev.tandem.core.store;

import dev.tandem.core.jobs.JobEvent;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobRepository;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.core.jobs.JobTokens;
import dev.tandem.core.jobs.PendingRequest;
import dev.tandem.core.jobs.ProtectedChange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link JobRepository} in the {@code jobs} and {@code job_events} tables of the hub's SQLite file. */
final class SqliteJobRepository implements JobRepository {
    private static final String COLUMNS = "id, engine, mode, status, dir, prompt, model, sandbox, approval, files, "
            + "origin, host, created, started, ended, input_tokens, cached_tokens, output_tokens, context_window, "
            + "context_used, cost_usd, files_modified, summary, session_id, pending, error, turns, output_bytes, "
            + "output_truncated, pid, pid_started, protected_changes";
    private static final int COLUMN_COUNT = 32;
    private static final String ACTIVE = "('queued', 'running', 'waiting')";
    /** Built when jobs are first read or written: a store opened for usage alone never builds it. */
    private static final class Mapper {
        static final JsonMapper JSON = JsonMapper.builder().build();
    }

    private final Connections db;

    SqliteJobRepository(Connections db) {
        this.db = db;
    }

    @Override
    public void insert(JobRecord job) {
        String marks = String.join(", ", Collections.nCopies(COLUMN_COUNT, "?"));
        db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO jobs (" + COLUMNS + ") VALUES (" + marks + ")")) {
                bind(ps, job);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean update(JobRecord job) {
        String sets = List.of(COLUMNS.split(", ")).stream()
                .skip(1)
                .map(col -> col + " = ?")
                .collect(Collectors.joining(", "));
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET " + sets + " WHERE id = ?")) {
                bindForUpdate(ps, job);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<JobRecord> find(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?")) {
                ps.setString(1, id);
                List<JobRecord> rows = rows(ps);
                return rows.isEmpty() ? Optional.<JobRecord>empty() : Optional.of(rows.get(0));
            }
        });
    }

    @Override
    public List<JobRecord> list(int limit, List<JobStatus> statuses, Optional<String> host) {
        List<String> conditions = new ArrayList<>();
        if (!statuses.isEmpty()) {
            conditions.add("status IN (" + String.join(", ", Collections.nCopies(statuses.size(), "?")) + ")");
        }
        if (host.isPresent()) {
            conditions.add("host = ?");
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM jobs" + where + " ORDER BY created DESC, id LIMIT ?")) {
                int i = 1;
                for (JobStatus s : statuses) {
                    ps.setString(i++, s.wireName());
                }
                if (host.isPresent()) {
                    ps.setString(i++, host.get());
                }
                ps.setInt(i, limit);
                return rows(ps);
            }
        });
    }

    @Override
    public Map<String, Long> countsByHost(Instant since) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT host, COUNT(*) FROM jobs WHERE created >= ? GROUP BY host ORDER BY host")) {
                ps.setLong(1, since.toEpochMilli());
                Map<String, Long> out = new TreeMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void appendEvents(String jobId, List<JobEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO job_events (job_id, seq, at, kind, text) VALUES (?, ?, ?, ?, ?)")) {
                for (JobEvent e : events) {
                    ps.setString(1, jobId);
                    ps.setLong(2, e.seq());
                    ps.setLong(3, e.at().toEpochMilli());
                    ps.setString(4, e.kind());
                    ps.setString(5, e.text());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<JobEvent> events(String jobId, long afterSeq, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, at, kind, text FROM job_events "
                    + "WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, jobId);
                ps.setLong(2, afterSeq);
                ps.setInt(3, limit);
                return events(ps);
            }
        });
    }

    @Override
    public List<JobEvent> lastEvents(String jobId, int limit) {
        List<JobEvent> newestFirst = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, at, kind, text FROM job_events WHERE job_id = ? ORDER BY seq DESC LIMIT ?")) {
                ps.setString(1, jobId);
                ps.setInt(2, limit);
                return events(ps);
            }
        });
        List<JobEvent> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }

    @Override
    public long lastSeq(String jobId) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT coalesce(max(seq), 0) FROM job_events WHERE job_id = ?")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public List<JobRecord> interruptActive(Instant now, String error, Optional<String> host) {
        // with no host: every host's (coalesce(?, host) = host holds for every row)
        String which = " WHERE status IN " + ACTIVE + " AND host = coalesce(?, host)";
        return db.write(c -> {
            List<JobRecord> before;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs" + which)) {
                ps.setString(1, host.orElse(null));
                before = rows(ps);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'interrupted', error = ?, "
                    + "ended = ?, pending = '[]', pid = NULL, pid_started = NULL" + which)) {
                ps.setString(1, error);
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, host.orElse(null));
                ps.executeUpdate();
            }
            return before;
        });
    }

    @Override
    public int deleteEndedBefore(Instant cutoff) {
        return db.write(c -> {
            String old = "SELECT id FROM jobs WHERE status NOT IN " + ACTIVE + " AND coalesce(ended, created) < ?";
            try (PreparedStatement events = c.prepareStatement("DELETE FROM job_events WHERE job_id IN (" + old + ")");
                    PreparedStatement jobs = c.prepareStatement("DELETE FROM jobs WHERE id IN (" + old + ")")) {
                events.setLong(1, cutoff.toEpochMilli());
                events.executeUpdate();
                jobs.setLong(1, cutoff.toEpochMilli());
                return jobs.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement ps, JobRecord j) throws SQLException {
        ps.setString(1, j.id());
        bindRest(ps, j, 2);
    }

    private static void bindForUpdate(PreparedStatement ps, JobRecord j) throws SQLException {
        int next = bindRest(ps, j, 1);
        ps.setString(next, j.id());
    }

    /** Binds every column but the id from parameter {@code i} on; returns the next free parameter. */
    private static int bindRest(PreparedStatement ps, JobRecord j, int first) throws SQLException {
        int i = first;
        ps.setString(i++, j.engine());
        ps.setString(i++, j.mode());
        ps.setString(i++, j.status().wireName());
        ps.setString(i++, j.dir());
        ps.setString(i++, j.prompt());
        setText(ps, i++, j.model());
        ps.setString(i++, j.sandbox());
        ps.setString(i++, j.approval());
        ps.setString(i++, Mapper.JSON.writeValueAsString(j.files()));
        ps.setString(i++, j.origin());
        ps.setString(i++, j.host());
        ps.setLong(i++, j.created().toEpochMilli());
        setTime(ps, i++, j.started());
        setTime(ps, i++, j.ended());
        ps.setLong(i++, j.tokens().input());
        ps.setLong(i++, j.tokens().cachedInput());
        ps.setLong(i++, j.tokens().output());
        setLong(ps, i++, j.tokens().contextWindow());
        setLong(ps, i++, j.tokens().contextUsed());
        if (j.costUsd().isPresent()) {
            ps.setDouble(i++, j.costUsd().get());
        } else {
            ps.setNull(i++, Types.REAL);
        }
        ps.setString(i++, Mapper.JSON.writeValueAsString(j.filesModified()));
        setText(ps, i++, j.summary());
        setText(ps, i++, j.sessionId());
        ps.setString(i++, pendingJson(j.pending()));
        setText(ps, i++, j.error());
        ps.setInt(i++, j.turns());
        ps.setLong(i++, j.outputBytes());
        ps.setInt(i++, j.outputTruncated() ? 1 : 0);
        setLong(ps, i++, j.pid());
        setTime(ps, i++, j.pidStarted());
        ps.setString(i++, protectedJson(j.protectedChanges()));
        return i;
    }

    private static List<JobRecord> rows(PreparedStatement ps) throws SQLException {
        List<JobRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(record(rs));
            }
        }
        return out;
    }

    private static JobRecord record(ResultSet rs) throws SQLException {
        return new JobRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                JobStatus.of(rs.getString(4)),
                rs.getString(5),
                rs.getString(6),
                Optional.ofNullable(rs.getString(7)),
                rs.getString(8),
                rs.getString(9),
                List.of(Mapper.JSON.readValue(rs.getString(10), String[].class)),
                rs.getString(11),
                rs.getString(12),
                Instant.ofEpochMilli(rs.getLong(13)),
                time(rs, 14),
                time(rs, 15),
                new JobTokens(rs.getLong(16), rs.getLong(17), rs.getLong(18), whole(rs, 19), whole(rs, 20)),
                real(rs, 21),
                List.of(Mapper.JSON.readValue(rs.getString(22), String[].class)),
                Optional.ofNullable(rs.getString(23)),
                Optional.ofNullable(rs.getString(24)),
                pending(rs.getString(25)),
                Optional.ofNullable(rs.getString(26)),
                rs.getInt(27),
                rs.getLong(28),
                rs.getInt(29) == 1,
                whole(rs, 30),
                time(rs, 31),
                protectedChanges(rs.getString(32)));
    }

    private static List<JobEvent> events(PreparedStatement ps) throws SQLException {
        List<JobEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new JobEvent(
                        rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4)));
            }
        }
        return out;
    }

    private static String pendingJson(List<PendingRequest> pending) {
        ArrayNode array = Mapper.JSON.createArrayNode();
        for (PendingRequest p : pending) {
            ObjectNode o = array.addObject();
            o.put("id", p.id());
            o.put("kind", p.kind());
            o.put("summary", p.summary());
            o.put("since", p.since().toEpochMilli());
        }
        return Mapper.JSON.writeValueAsString(array);
    }

    private static List<PendingRequest> pending(String json) {
        List<PendingRequest> out = new ArrayList<>();
        for (JsonNode p : Mapper.JSON.readTree(json)) {
            out.add(new PendingRequest(
                    p.path("id").asString(),
                    p.path("kind").asString(),
                    p.path("summary").asString(),
                    Instant.ofEpochMilli(p.path("since").asLong())));
        }
        return out;
    }

    private static String protectedJson(List<ProtectedChange> changes) {
        ArrayNode array = Mapper.JSON.createArrayNode();
        for (ProtectedChange p : changes) {
            array.addObject().put("path", p.path()).put("change", p.change());
        }
        return Mapper.JSON.writeValueAsString(array);
    }

    private static List<ProtectedChange> protectedChanges(String json) {
        List<ProtectedChange> out = new ArrayList<>();
        for (JsonNode p : Mapper.JSON.readTree(json)) {
            out.add(new ProtectedChange(
                    p.path("path").asString(), p.path("change").asString()));
        }
        return out;
    }

    private static void setText(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, v.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Optional<Long> v) throws SQLException {
        if (v.isPresent()) {
            ps.setLong(i, v.get());
        } else {
            ps.setNull(i, Types.INTEGER);
        }
    }

    private static void setTime(PreparedStatement ps, int i, Optional<Instant> v) throws SQLException {
        setLong(ps, i, v.map(Instant::toEpochMilli));
    }

    private static Optional<Instant> time(ResultSet rs, int i) throws SQLException {
        return whole(rs, i).map(Instant::ofEpochMilli);
    }

    private static Optional<Long> whole(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<Double> real(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }
}
