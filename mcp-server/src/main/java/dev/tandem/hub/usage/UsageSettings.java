package dev.tandem.hub.usage;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.Section;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code [usage]} settings: where the engines' logs are, how often the hub reads them, the time zone of days and
 * months, budgets and prices.
 *
 * @param poll whether the hub reads the logs in the background
 * @param pollInterval how often it does
 * @param codexHomes Codex homes whose {@code sessions/} and {@code archived_sessions/} are read
 * @param claudeDirs Claude Code config folders whose {@code projects/} are read
 * @param zone the time zone days and months are counted in
 * @param budgets spending limits
 * @param prices the price table
 */
public record UsageSettings(
        boolean poll,
        Duration pollInterval,
        List<Path> codexHomes,
        List<Path> claudeDirs,
        ZoneId zone,
        List<Budget> budgets,
        Prices prices) {
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(60);
    private static final Set<String> KEYS = Set.of(
            "enabled",
            "poll_seconds",
            "codex_home",
            "claude_dirs",
            "timezone",
            "daily_usd",
            "monthly_usd",
            "codex",
            "claude",
            "prices");
    private static final Set<String> ENGINE_KEYS = Set.of("daily_usd", "monthly_usd");

    public UsageSettings {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(prices, "prices");
        codexHomes = List.copyOf(codexHomes);
        claudeDirs = List.copyOf(claudeDirs);
        budgets = List.copyOf(budgets);
    }

    /**
     * Reads {@code [usage]}. The log folders default to what the engines themselves use: {@code $CODEX_HOME} or
     * {@code ~/.codex}; each folder of {@code $CLAUDE_CONFIG_DIR} (comma-separated) or {@code ~/.config/claude} and
     * {@code ~/.claude}. They come from the configuration and the environment only, never from a request.
     */
    public static UsageSettings from(HubConfig config) {
        Section s = config.reader("usage");
        s.allowOnly(KEYS);
        boolean poll = s.bool("enabled", true);
        Duration interval = Duration.ofSeconds(s.whole("poll_seconds", 5, 86_400, DEFAULT_POLL.toSeconds()));
        Path home = config.home();
        List<Path> codex = s.path("codex_home")
                .map(List::of)
                .or(() -> config.sections().env("CODEX_HOME").map(v -> List.of(fromEnv(v, home))))
                .orElse(List.of(home.resolve(".codex")));
        List<Path> claude = s.paths("claude_dirs")
                .or(() -> config.sections()
                        .env("CLAUDE_CONFIG_DIR")
                        .map(v -> Arrays.stream(v.split(","))
                                .map(String::strip)
                                .filter(p -> !p.isEmpty())
                                .map(p -> fromEnv(p, home))
                                .toList()))
                .orElse(List.of(home.resolve(".config/claude"), home.resolve(".claude")));
        ZoneId zone = s.nonBlank("timezone").map(z -> zone(s, z)).orElse(ZoneId.systemDefault());
        List<Budget> budgets = new ArrayList<>(budgets(s, "all"));
        for (String engine : List.of("codex", "claude")) {
            Optional<Section> e = s.table(engine);
            if (e.isPresent()) {
                e.get().allowOnly(ENGINE_KEYS);
                budgets.addAll(budgets(e.get(), engine));
            }
        }
        Prices prices = Prices.shippedWith(s.table("prices"));
        return new UsageSettings(poll, interval, codex, claude, zone, budgets, prices);
    }

    private static Path fromEnv(String value, Path home) {
        String v = value.strip();
        Path p = v.equals("~") ? home : v.startsWith("~/") ? home.resolve(v.substring(2)) : Path.of(v);
        return p.toAbsolutePath().normalize();
    }

    private static ZoneId zone(Section s, String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw s.error("timezone", "must be a time zone such as \"Europe/Berlin\" or \"UTC\", not \"" + id + "\"");
        }
    }

    private static List<Budget> budgets(Section s, String engine) {
        List<Budget> out = new ArrayList<>();
        dollars(s, "daily_usd").ifPresent(d -> out.add(new Budget(engine, Budget.Period.DAY, d)));
        dollars(s, "monthly_usd").ifPresent(d -> out.add(new Budget(engine, Budget.Period.MONTH, d)));
        return out;
    }

    private static Optional<Double> dollars(Section s, String key) {
        if (!s.contains(key)) {
            return Optional.empty();
        }
        Object v = s.table().get(List.of(key));
        double d = v instanceof Double x ? x : v instanceof Long x ? x : -1;
        if (!(d > 0) || Double.isInfinite(d)) {
            throw s.error(key, "must be a positive number of US dollars");
        }
        return Optional.of(d);
    }

    /** Returns a copy read in another time zone. */
    public UsageSettings withZone(ZoneId other) {
        return new UsageSettings(poll, pollInterval, codexHomes, claudeDirs, other, budgets, prices);
    }
}
