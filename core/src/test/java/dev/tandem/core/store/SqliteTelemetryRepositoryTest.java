package dev.tandem.core.store;

import java.nio.file.Path;

/** {@link TelemetryRepositoryContract} on a real SQLite file. */
class SqliteTelemetryRepositoryTest extends TelemetryRepositoryContract {
    @Override
    StoreBackend backend(Path dir) {
        return StoreBackend.sqlite(dir);
    }
}
