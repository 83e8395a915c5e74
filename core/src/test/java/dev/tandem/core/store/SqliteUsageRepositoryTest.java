package dev.tandem.core.store;

import java.nio.file.Path;

/** {@link UsageRepositoryContract} on a real SQLite file. */
class SqliteUsageRepositoryTest extends UsageRepositoryContract {
    @Override
    StoreBackend backend(Path dir) {
        return StoreBackend.sqlite(dir);
    }
}
