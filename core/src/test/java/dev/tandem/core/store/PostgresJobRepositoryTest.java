package dev.tandem.core.store;

import java.nio.file.Path;

/** {@link JobRepositoryContract} on a real PostgreSQL server. */
class PostgresJobRepositoryTest extends JobRepositoryContract {
    @Override
    StoreBackend backend(Path dir) {
        return StoreBackend.postgres(dir);
    }
}
