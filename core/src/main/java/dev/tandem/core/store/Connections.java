package dev.tandem.core.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connections of one store's database, whatever it is: SQLite ({@link SqliteConnections}) or PostgreSQL
 * ({@link PostgresConnections}). Repositories run their SQL through {@link #write} and {@link #read} and ask
 * {@link #dialect()} for the few statements the two databases spell differently.
 */
interface Connections extends AutoCloseable {
    /** Work done on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one write transaction, committed (durably) before this returns. */
    <T> T write(Work<T> work);

    /**
     * Runs {@code work} in one write transaction that is atomic but need not be on disk when this returns: for rows
     * derived from files that are read again when they are lost (the usage ledger, whose cursors are written in the
     * same transaction as what was read up to them). A crash may lose the last of these transactions, never a part of
     * one, and never a durable {@link #write} committed after them.
     */
    <T> T writeDerived(Work<T> work);

    /** Runs {@code work} on a reader; each statement sees one consistent snapshot. */
    <T> T read(Work<T> work);

    /** Returns which database this is. */
    Dialect dialect();

    @Override
    void close();
}
