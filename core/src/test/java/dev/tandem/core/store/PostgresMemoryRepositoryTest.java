package dev.tandem.core.store;

import java.nio.file.Path;

/** {@link MemoryRepositoryContract} on a real PostgreSQL server. */
class PostgresMemoryRepositoryTest extends MemoryRepositoryContract {
    @Override
    StoreBackend backend(Path dir) {
        return StoreBackend.postgres(dir);
    }
}
