package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteConnectionsTest {
    @TempDir
    Path dir;

    private static int one(SqliteConnections db) {
        return db.read(c -> {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT 1")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void openersOfOneFileShareOneInstanceThatClosesWithTheLast() {
        Path file = dir.resolve("data/memory.db");
        SqliteConnections first = SqliteConnections.open(file);
        SqliteConnections second = SqliteConnections.open(dir.resolve("data/../data/memory.db"));
        assertSame(first, second);
        first.close();
        assertEquals(1, one(second), "still open for the second opener");
        second.close();
        assertThrows(StoreException.class, () -> one(second));
        SqliteConnections again = SqliteConnections.open(file);
        try {
            assertNotSame(first, again);
            assertEquals(1, one(again));
        } finally {
            again.close();
        }
    }

    @Test
    void theStoreAndAnotherOpenerShareTheConnections() {
        Path file = dir.resolve("memory.db");
        Store repo = Store.open(new StoreSettings(file, "box"));
        SqliteConnections other = SqliteConnections.open(file);
        try {
            // the other opener writes through the instance the repository holds
            other.write(c -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("CREATE TABLE IF NOT EXISTS t (x INTEGER)");
                    st.executeUpdate("INSERT INTO t VALUES (1)");
                }
                return null;
            });
            assertEquals(1, one(other));
        } finally {
            repo.close();
        }
        try {
            assertEquals(1, one(other), "the other opener's share outlives the store");
        } finally {
            other.close();
        }
    }

    private static long pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aDerivedWriteIsNotSyncedAndTheWritesAfterItAreAgain() {
        SqliteConnections db = SqliteConnections.open(dir.resolve("memory.db"));
        try {
            // synchronous: 1 NORMAL, 2 FULL; cache_size negative: KiB
            assertEquals(1L, db.<Long>writeDerived(c -> pragma(c, "synchronous")));
            assertEquals(-65536L, db.<Long>writeDerived(c -> pragma(c, "cache_size")));
            assertEquals(2L, db.<Long>write(c -> pragma(c, "synchronous")));
            assertEquals(-2000L, db.<Long>write(c -> pragma(c, "cache_size")));
            // also after a derived write that failed
            assertThrows(
                    StoreException.class,
                    () -> db.writeDerived(c -> {
                        throw new java.sql.SQLException("no");
                    }));
            assertEquals(2L, db.<Long>write(c -> pragma(c, "synchronous")));
        } finally {
            db.close();
        }
    }

    @Test
    void aWriteThatFailsWithAnErrorIsRolledBackAndTheNextWriteGoesAhead() {
        SqliteConnections db = SqliteConnections.open(dir.resolve("memory.db"));
        try {
            db.<Void>write(c -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("CREATE TABLE t (x INTEGER)");
                }
                return null;
            });
            assertThrows(
                    OutOfMemoryError.class,
                    () -> db.<Void>write(c -> {
                        try (Statement st = c.createStatement()) {
                            st.executeUpdate("INSERT INTO t VALUES (1)");
                        }
                        throw new OutOfMemoryError("a failure that is no exception");
                    }));
            // not left inside the failed transaction: the next write begins, and the failed row is not there
            assertEquals(0L, db.<Long>write(c -> {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                    rs.next();
                    return rs.getLong(1);
                }
            }));
        } finally {
            db.close();
        }
    }
}
