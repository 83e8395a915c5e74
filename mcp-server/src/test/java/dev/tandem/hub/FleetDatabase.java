package dev.tandem.hub;

import dev.tandem.core.fleet.FleetRepository;
import dev.tandem.core.store.PostgresLocation;
import dev.tandem.core.store.PostgresServer;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A fresh PostgreSQL database on the test run's real server, the {@code hub.toml} that points a fleet hub at it
 * (password in an owner-only file), and the fleet's rows opened as the admin commands open them.
 */
public final class FleetDatabase implements AutoCloseable {
    private final PostgresLocation location;
    private final Path passwordFile;
    private final Store admin;

    private FleetDatabase(PostgresLocation location, Path passwordFile, Store admin) {
        this.location = location;
        this.passwordFile = passwordFile;
        this.admin = admin;
    }

    public static FleetDatabase create(Path dir, String hint) {
        PostgresServer server = PostgresServer.get();
        PostgresLocation location = server.newDatabase(hint);
        try {
            Path pw = Files.createDirectories(dir).resolve("store-password");
            Files.writeString(pw, server.password() + "\n");
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
            Store admin = Store.open(new StoreSettings(dir.resolve("unused.db"), "admin-box")
                    .withPostgres(PostgresLocation.parse(location.toString(), Optional.of(server.password()))));
            return new FleetDatabase(location, pw, admin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the {@code hub.toml} of a fleet hub on this database recording its rows under {@code host}. */
    public String hubToml(String host) {
        return "[memory]\nhost = \"" + host + "\"\n[store]\nurl = \"" + location + "\"\npassword_file = \""
                + passwordFile + "\"\n[fleet]\nenabled = true\n";
    }

    /** Returns the store as the admin commands open it (any host's rows). */
    public Store store() {
        return admin;
    }

    public FleetRepository fleet() {
        return admin.fleet().orElseThrow();
    }

    @Override
    public void close() {
        admin.close();
    }
}
