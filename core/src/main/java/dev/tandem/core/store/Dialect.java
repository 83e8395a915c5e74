package dev.tandem.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The statements SQLite and PostgreSQL spell differently; everything else the repositories share. */
enum Dialect {
    SQLITE,
    POSTGRESQL;

    /**
     * Makes the write transactions that pass the same {@code key} run one after another: SQLite has one writer
     * already; PostgreSQL takes a transaction-scoped advisory lock
     * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS).
     */
    void serialize(Connection c, String key) throws SQLException {
        if (this == POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                ps.setString(1, key);
                ps.execute();
            }
        }
    }

    /** Returns the clause a memory row {@code m} holds the tag of the next parameter. */
    String hasTag() {
        return this == SQLITE
                ? "EXISTS (SELECT 1 FROM json_each(m.tags) t WHERE t.value = ?)"
                : "m.tags::jsonb @> jsonb_build_array(?::text)";
    }

    /** Returns the value of {@code memory.seq} a rewritten row takes: the highest yet, so it sorts last. */
    String nextMemorySeq() {
        return this == SQLITE ? "(SELECT max(seq) + 1 FROM memory)" : "nextval('memory_seq')";
    }

    /** Returns what follows a SELECT inside a write transaction to lock the rows it reads until commit. */
    String forUpdate() {
        return this == SQLITE ? "" : " FOR UPDATE";
    }
}
