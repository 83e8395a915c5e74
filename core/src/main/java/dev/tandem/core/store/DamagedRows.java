package dev.tandem.core.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether {@code usage_damaged} may hold rows, as the writer of one database in this process knows it: a write of
 * usage events then deletes their keys' damaged rows, and skips that (and the question) while the table is known
 * empty. Every usage repository of the database in this process shares one ({@link Connections#damagedRows()}): the
 * hub's parts open the same file through one set of connections, and a fleet push writes through a repository of its
 * own.
 *
 * <p>On SQLite another process (a {@code tandem usage} run, a second hub on the same file) may write the table too;
 * its commits change the writer's {@code PRAGMA data_version} (https://www.sqlite.org/pragma.html#pragma_data_version),
 * which makes the table unknown again. PostgreSQL has no such number and several hosts write it at once, so there
 * the table is asked at every write, under the lock the write holds.
 */
final class DamagedRows {
    private final boolean watched;
    /** The writer's {@code data_version} when the table was last found empty; guarded by this. */
    private long version;
    /** Whether the table was found empty and this process's writer added no row since; guarded by this. */
    private boolean none;

    private DamagedRows(boolean watched) {
        this.watched = watched;
    }

    /** Returns the knowledge of a SQLite file's writer, kept while no other connection commits. */
    static DamagedRows watched() {
        return new DamagedRows(true);
    }

    /** Returns knowledge that is never kept: each write asks the table (PostgreSQL). */
    static DamagedRows asked() {
        return new DamagedRows(false);
    }

    /**
     * Returns whether the table may hold rows, on {@code writer} inside its write transaction (so no other writer
     * commits before it ends): known empty, or asked.
     */
    synchronized boolean mayHoldAny(Connection writer) throws SQLException {
        if (!watched) {
            return any(writer);
        }
        long now;
        try (Statement st = writer.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA data_version")) {
            now = rs.next() ? rs.getLong(1) : -1;
        }
        if (none && now == version) {
            return false;
        }
        boolean any = any(writer);
        none = !any;
        version = now;
        return any;
    }

    /** Notes that this process's writer is about to add rows (its own commits leave {@code data_version} as it is). */
    synchronized void adding() {
        none = false;
    }

    private static boolean any(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM usage_damaged)")) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
