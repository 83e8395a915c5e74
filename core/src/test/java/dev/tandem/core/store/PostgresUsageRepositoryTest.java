package dev.tandem.core.store;

import java.nio.file.Path;

/** {@link UsageRepositoryContract} on a real PostgreSQL server. */
class PostgresUsageRepositoryTest extends UsageRepositoryContract {
    @Override
    StoreBackend backend(Path dir) {
        return StoreBackend.postgres(dir);
    }
}
