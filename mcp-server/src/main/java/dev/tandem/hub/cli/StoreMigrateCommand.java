package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.store.PostgresLocation;
import dev.tandem.core.store.StoreCopy;
import dev.tandem.core.store.StoreSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tandem store migrate --to postgresql://…}: copies this workstation's SQLite store (memories, command log,
 * telemetry, jobs, usage) into a new, empty PostgreSQL database and checks every table's row count; a target that
 * holds any row is refused, and a failed check writes nothing.
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Copy the SQLite store into an empty PostgreSQL database and check the counts.",
        footerHeading = "%nExample:%n",
        footer = "  TANDEM_STORE_PASSWORD=… tandem store migrate --to postgresql://db.lan:5432/tandem?user=tandem")
public final class StoreMigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data folder with memory.db (default: ~/.tandem/data).")
    Path dataDir;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "URL",
            description =
                    "postgresql://HOST:PORT/DATABASE?user=NAME (no password: TANDEM_STORE_PASSWORD or --password-file).")
    String to;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "A file whose first line is the password (TANDEM_STORE_PASSWORD wins).")
    Path passwordFile;

    @Override
    public Integer call() throws IOException {
        HubFlags flags = new HubFlags(null, null, null, null, dataDir, null, List.of(), null, null, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        Path source = StoreSettings.from(cfg).database();
        PostgresLocation target;
        try {
            target = PostgresLocation.parse(to, password(cfg.sections().env(StoreSettings.PASSWORD_ENV)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--to " + e.getMessage());
        }
        StoreCopy.Result result = StoreCopy.copy(source, target);
        PrintWriter out = spec.commandLine().getOut();
        out.println("tandem: copied " + source + " into " + target + ":");
        for (Map.Entry<String, Long> row : new java.util.TreeMap<>(result.rows()).entrySet()) {
            out.println("  " + row.getKey() + " " + row.getValue());
        }
        out.println("tandem: every count matches; set [store] url = \"" + target
                + "\" in hub.toml and restart the hub to use it");
        return 0;
    }

    private Optional<String> password(Optional<String> fromEnv) throws IOException {
        if (fromEnv.isPresent() || passwordFile == null) {
            return fromEnv;
        }
        if (!Files.isRegularFile(passwordFile)) {
            throw new ParameterException(spec.commandLine(), "--password-file " + passwordFile + ": no such file");
        }
        return Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst();
    }
}
