package dev.tandem.core.store;

import java.nio.file.Path;

/** {@link MemoryRepositoryContract} on a real SQLite file. */
class SqliteMemoryRepositoryTest extends MemoryRepositoryContract {
    @Override
    StoreBackend backend(Path dir) {
        return StoreBackend.sqlite(dir);
    }
}
