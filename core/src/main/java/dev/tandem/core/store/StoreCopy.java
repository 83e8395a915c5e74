package dev.tandem.core.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a workstation's SQLite store into an empty PostgreSQL store ({@code tandem store migrate}): every row of
 * every table, in one PostgreSQL transaction, then compares the row counts of each table on both sides and commits
 * only when they match. The usage rollups are not copied: the target's triggers rebuild them from the events (and
 * the damaged responses' counts from those), and their count is compared as well.
 */
public final class StoreCopy {
    /** The tables in copy order (referenced before referencing), and the column that orders their rows. */
    static final Map<String, String> TABLES = tables();

    private static final int BATCH = 1_000;

    private StoreCopy() {}

    private static Map<String, String> tables() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("memory_history", "id, version");
        t.put("memory", "seq");
        t.put("command_log", "seq");
        t.put("telemetry", "seq");
        t.put("jobs", "id");
        t.put("job_events", "job_id, seq");
        t.put("usage_dim", "id");
        t.put("usage_event", "key");
        t.put("usage_file", "host, path");
        t.put("usage_rate_limit", "host, engine, name");
        t.put("usage_tool_use", "engine, call_id");
        t.put("usage_session_tag", "engine, session, kind, ref");
        t.put("usage_scan", "host");
        t.put("usage_damaged", "key");
        return t;
    }

    /** What was copied: rows per table (the rollups as the target rebuilt them). */
    public record Result(Map<String, Long> rows) {
        public Result {
            rows = Map.copyOf(rows);
        }
    }

    /**
     * Copies {@code source} (an SQLite store, migrated to the newest schema first) into {@code target}, which must
     * be empty; thrown {@link StoreException} naming the table when it is not, or when a count differs after the
     * copy (then nothing is written).
     */
    public static Result copy(Path source, PostgresLocation target) {
        if (!Files.isRegularFile(source)) {
            throw new StoreException(source + ": no store to copy here");
        }
        try (SqliteConnections from = SqliteConnections.open(source)) {
            Migrations.apply(from);
            try (PostgresConnections to = PostgresConnections.open(target, false)) {
                return from.read(in -> to.write(out -> copy(in, out, target)));
            }
        }
    }

    private static Result copy(Connection in, Connection out, PostgresLocation target) throws SQLException {
        for (String table : TABLES.keySet()) {
            long present = count(out, table);
            if (present > 0) {
                throw new StoreException(target + ": the target store is not empty (" + table + " has " + present
                        + " rows): migrate into a new, empty database");
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : TABLES.entrySet()) {
            copyTable(in, out, t.getKey(), t.getValue());
        }
        // identity columns were written with the source's values: move their sequences past them
        for (String[] identity : new String[][] {{"command_log", "seq"}, {"telemetry", "seq"}, {"usage_dim", "id"}}) {
            try (Statement st = out.createStatement()) {
                st.execute("SELECT setval(pg_get_serial_sequence('" + identity[0] + "', '" + identity[1]
                        + "'), coalesce((SELECT max(" + identity[1] + ") FROM " + identity[0] + "), 0) + 1, false)");
            }
        }
        try (Statement st = out.createStatement()) {
            st.execute("SELECT setval('memory_seq', coalesce((SELECT max(seq) FROM memory), 0) + 1, false)");
        }
        // the rollups the triggers rebuilt are new to any day cache of a process already open on the target (its
        // row numbered in commit order, as every writer's)
        Dialect.POSTGRESQL.serialize(out, "usage_change");
        try (Statement st = out.createStatement()) {
            st.executeUpdate("INSERT INTO usage_change (bucket_from, bucket_to)"
                    + " SELECT min(bucket), max(bucket) FROM usage_rollup HAVING count(*) > 0");
        }
        List<String> compared = new ArrayList<>(TABLES.keySet());
        compared.add("usage_rollup");
        compared.add("usage_damaged_rollup");
        for (String table : compared) {
            long source = count(in, table);
            long copied = count(out, table);
            if (source != copied) {
                throw new StoreException(target + ": " + table + " has " + copied + " rows after the copy but the"
                        + " source has " + source + ": nothing was written");
            }
            rows.put(table, copied);
        }
        return new Result(rows);
    }

    private static void copyTable(Connection in, Connection out, String table, String order) throws SQLException {
        try (Statement st = in.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY " + order)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add('"' + meta.getColumnName(i) + '"');
            }
            String marks = String.join(", ", columns.stream().map(c -> "?").toList());
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + marks + ")";
            try (PreparedStatement ps = out.prepareStatement(sql)) {
                int pending = 0;
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        ps.setObject(i, rs.getObject(i));
                    }
                    ps.addBatch();
                    if (++pending == BATCH) {
                        ps.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    ps.executeBatch();
                }
            }
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
