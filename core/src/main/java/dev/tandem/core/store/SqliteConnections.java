package dev.tandem.core.store;

import dev.tandem.core.config.OwnerOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The connections to one SQLite file: a single writer behind a lock, so writers in this process queue instead of
 * failing with "database is locked", and a few readers that WAL lets run beside it.
 *
 * <p>Every connection runs in WAL mode with {@code synchronous=FULL}, so a commit is on disk when it returns
 * (https://www.sqlite.org/pragma.html#pragma_synchronous), and waits up to {@link #BUSY_TIMEOUT_MS} for locks
 * other processes (a {@code tandem memory import}) hold. Writes begin with {@code BEGIN IMMEDIATE} so a
 * transaction takes the write lock before it reads, never upgrading a read lock midway.
 *
 * <p>Within one process a file has one set of connections: {@link #open} hands every opener of the same file the
 * same instance (the memory store and the telemetry recorder share the hub's database, so their writes queue on
 * one lock instead of meeting in SQLite's busy timeout), and the connections close with the last
 * {@link #close}.
 */
final class SqliteConnections implements Connections {
    static final int BUSY_TIMEOUT_MS = 30_000;
    /** How long a read-only opener waits for a lock: it has a fallback, so it should not hang a command. */
    static final int READ_ONLY_BUSY_TIMEOUT_MS = 2_000;

    private static final int READERS = 4;
    /** SQLite's default page cache, in KiB (negative: a size, not a page count). */
    private static final int CACHE_KIB = -2000;
    /**
     * The page cache while derived rows are written: a transaction of thousands of rows spread over a table larger
     * than the default cache would spill and re-read its pages; the pages are given back after it.
     */
    private static final int DERIVED_CACHE_KIB = -65536;

    /** The writable instances open in this process, by absolute file; guarded by the class. */
    private static final Map<Path, SqliteConnections> OPEN = new HashMap<>();

    private final Path file;
    private final boolean shared;
    private int users = 1;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Whether the writer may still run with {@code synchronous = NORMAL} (a derived write); guarded by the lock. */
    private boolean relaxed;

    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();

    private SqliteConnections(Path file, boolean readOnly) throws SQLException {
        this.file = file;
        this.shared = !readOnly;
        this.writer = connect(file, readOnly);
        all.add(writer);
        for (int i = 0; i < READERS; i++) {
            Connection r = connect(file, readOnly);
            all.add(r);
            readers.add(r);
        }
    }

    /**
     * Opens the file, creating it and its folder if missing, or returns the instance this process already has
     * open for it; each call needs its own {@link #close}.
     */
    static SqliteConnections open(Path file) {
        Path key = file.toAbsolutePath().normalize();
        synchronized (SqliteConnections.class) {
            SqliteConnections open = OPEN.get(key);
            if (open != null) {
                open.users++;
                return open;
            }
            // the folder 0700 and the database 0600 before SQLite opens it: its -wal and -shm files take the
            // database's mode (https://www.sqlite.org/src/doc/trunk/src/os_unix.c, findCreateFileMode)
            OwnerOnly.dir(key.getParent());
            OwnerOnly.createFile(key);
            try {
                SqliteConnections created = new SqliteConnections(key, false);
                OwnerOnly.file(Path.of(key + "-wal"));
                OwnerOnly.file(Path.of(key + "-shm"));
                OPEN.put(key, created);
                return created;
            } catch (SQLException e) {
                throw new StoreException(file + ": cannot open the memory database: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Opens an existing file read-only (for readers in other processes, such as the sync tool): never creates,
     * migrates or writes it, and waits at most {@link #READ_ONLY_BUSY_TIMEOUT_MS} for a lock.
     */
    static SqliteConnections openReadOnly(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new StoreException(file + ": no memory database here");
        }
        try {
            return new SqliteConnections(file, true);
        } catch (SQLException e) {
            throw new StoreException(file + ": cannot open the memory database: " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        if (readOnly) {
            // no journal or synchronous pragma: those would need a write; the hub has set WAL already
            config.setReadOnly(true);
            config.setBusyTimeout(READ_ONLY_BUSY_TIMEOUT_MS);
            return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        }
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    /** Runs {@code work} in one write transaction, committed (durably) before this returns. */
    @Override
    public <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            if (writeLock.getHoldCount() == 1) {
                durable(); // a durable write (not the one inside writeDerived) is never left unsynced
            }
            exec(writer, "BEGIN IMMEDIATE");
            try {
                T result = work.run(writer);
                exec(writer, "COMMIT");
                return result;
            } catch (Throwable e) {
                // every failure, an Error too: a transaction left open would hold the write lock until the hub stops
                try {
                    exec(writer, "ROLLBACK");
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} in one write transaction under {@code synchronous=NORMAL}: in WAL mode its commit is atomic
     * but not synced; the next checkpoint or durable commit syncs it (https://www.sqlite.org/pragma.html#pragma_synchronous).
     */
    @Override
    public <T> T writeDerived(Work<T> work) {
        writeLock.lock();
        try {
            relaxed = true; // set first: whatever fails below, the next durable write syncs again
            exec(writer, "PRAGMA synchronous = NORMAL");
            exec(writer, "PRAGMA cache_size = " + DERIVED_CACHE_KIB);
            return write(work);
        } catch (SQLException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        } finally {
            try {
                exec(writer, "PRAGMA cache_size = " + CACHE_KIB);
            } catch (SQLException e) {
                // the cache only: memory, given back when the connection closes
            }
            try {
                durable();
            } catch (SQLException e) {
                // left relaxed: the next write() tries again before it begins
            }
            writeLock.unlock();
        }
    }

    /** Makes the writer sync its commits again if a derived write relaxed it; under the write lock. */
    private void durable() throws SQLException {
        if (relaxed) {
            exec(writer, "PRAGMA synchronous = FULL");
            relaxed = false;
        }
    }

    /** Runs {@code work} on a reader; each statement sees one consistent snapshot. */
    @Override
    public <T> T read(Work<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    /** Closes the connections once every opener of this instance has closed it. */
    @Override
    public void close() {
        if (shared) {
            synchronized (SqliteConnections.class) {
                if (users == 0 || --users > 0) {
                    return;
                }
                OPEN.remove(file, this);
            }
        }
        writeLock.lock();
        try {
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // closing is best effort: every commit is already on disk
                }
            }
        } finally {
            writeLock.unlock();
        }
    }
}
