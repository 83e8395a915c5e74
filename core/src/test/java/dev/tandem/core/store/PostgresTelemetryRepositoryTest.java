package dev.tandem.core.store;

import java.nio.file.Path;

/** {@link TelemetryRepositoryContract} on a real PostgreSQL server. */
class PostgresTelemetryRepositoryTest extends TelemetryRepositoryContract {
    @Override
    StoreBackend backend(Path dir) {
        return StoreBackend.postgres(dir);
    }
}
