package dev.tandem.hub.cli;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.mcp.UsageCapability;
import dev.tandem.hub.usage.JsonValueWriter;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Query;
import dev.tandem.hub.usage.UsageException;
import dev.tandem.hub.usage.UsageScanner;
import dev.tandem.hub.usage.UsageSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * What every {@code tandem usage} command takes: where the store and configuration are, which engine and days, and
 * how to print. Each command reads what is new in the logs first (unless {@code --no-scan}), sharing the hub's
 * cursors, so it works with the hub running or not.
 */
final class UsageOptions {
    /** How long a command waits for another reader (the hub's poller) to finish. */
    static final Duration WAIT = Duration.ofMinutes(10);

    @Option(names = "--config", paramLabel = "FILE", description = "Hub configuration (default: ~/.tandem/hub.toml).")
    Path config;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data folder with the store (default: ~/.tandem/data).")
    Path dataDir;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "codex, claude or all (default: all).")
    String engine = "all";

    @Option(names = "--since", paramLabel = "DATE", description = "First day, YYYY-MM-DD or YYYYMMDD (inclusive).")
    String since;

    @Option(names = "--until", paramLabel = "DATE", description = "Last day, YYYY-MM-DD or YYYYMMDD (inclusive).")
    String until;

    @Option(names = "--breakdown", paramLabel = "model", description = "Break each engine down by model.")
    String breakdown;

    @Option(names = "--json", description = "Print JSON (docs/usage.md describes it) instead of a table.")
    boolean json;

    @Option(
            names = "--timezone",
            paramLabel = "ZONE",
            description = "Count days in this zone (default: [usage] timezone, else the system's).")
    String timezone;

    @Option(names = "--no-scan", description = "Do not read the logs first; report what the store holds.")
    boolean noScan;

    /** Set when the running hub answers the command ({@link HubUsage}): its configuration, store and poller. */
    HubUsage hub;

    /** The working folder and environment of the client the hub answers. */
    HubUsage.Context client;

    /** The configuration, store and ledger of one command; the store is closed after unless it is the hub's. */
    record Opened(HubConfig config, Store store, Ledger ledger, boolean ownStore) implements AutoCloseable {
        @Override
        public void close() {
            if (ownStore) {
                store.close();
            }
        }
    }

    /** Loads the configuration, opens the store and (unless {@code --no-scan}) reads what is new in the logs. */
    Opened open(PrintWriter err) {
        if (hub != null) {
            return hub.open(this, err);
        }
        HubFlags flags = new HubFlags(null, null, null, null, dataDir, null, List.of(), null, null, null);
        HubConfig cfg = Environment.loader().load(Optional.ofNullable(config), flags);
        UsageSettings settings = settings(cfg);
        Store store = Store.open(StoreSettings.from(cfg));
        try {
            if (!noScan) {
                scan(
                        new UsageScanner(
                                store.usage(),
                                settings,
                                cfg.dataDir().resolve(UsageCapability.LOCK_FILE),
                                Clock.systemUTC()),
                        err);
            }
            return new Opened(cfg, store, new Ledger(store.usage(), settings, Clock.systemUTC()), true);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Returns {@code [usage]} of {@code cfg}, with {@code --timezone} when given. */
    UsageSettings settings(HubConfig cfg) {
        UsageSettings settings = UsageSettings.from(cfg);
        if (timezone != null) {
            try {
                settings = settings.withZone(ZoneId.of(timezone));
            } catch (DateTimeException e) {
                throw new UsageException("--timezone " + timezone + ": not a time zone (try UTC or Europe/Berlin)");
            }
        }
        return settings;
    }

    private static void scan(UsageScanner scanner, PrintWriter err) {
        if (scanner.scan(Duration.ZERO).ran()) {
            return;
        }
        err.println("tandem: another reader (the hub?) is reading the logs; waiting for it");
        err.flush();
        if (!scanner.scan(WAIT).ran()) {
            err.println("tandem: the logs are still being read elsewhere; reporting what the store holds");
        }
    }

    /** Returns the query the options describe. */
    Query query() {
        if (breakdown != null && !breakdown.equals("model")) {
            throw new UsageException("--breakdown " + breakdown + ": only 'model' is known");
        }
        return new Query(engine, date("--since", since), date("--until", until), breakdown != null);
    }

    private static Optional<LocalDate> date(String flag, String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        try {
            return Optional.of(
                    v.length() == 8 && v.chars().allMatch(Character::isDigit)
                            ? LocalDate.parse(v, DateTimeFormatter.BASIC_ISO_DATE)
                            : LocalDate.parse(v));
        } catch (DateTimeParseException e) {
            throw new UsageException(flag + " " + value + ": expected a date as YYYY-MM-DD or YYYYMMDD");
        }
    }

    /** Prints {@code value} as indented JSON (without a databind mapper: {@link JsonValueWriter}). */
    static void printJson(PrintWriter out, Object value) {
        out.println(JsonValueWriter.indented(value));
        out.flush();
    }
}
