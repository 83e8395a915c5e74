package dev.tandem.core.store;

import java.nio.file.Path;

/** {@link JobRepositoryContract} on a real SQLite file. */
class SqliteJobRepositoryTest extends JobRepositoryContract {
    @Override
    StoreBackend backend(Path dir) {
        return StoreBackend.sqlite(dir);
    }
}
