package dev.tandem.hub.usage;

import dev.tandem.core.config.Section;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * The price table: the one Tandem ships ({@code prices.toml} beside this class, dated), with the models and prices of
 * {@code [usage.prices."MODEL"]} laid over it. Nothing is fetched from the network. A model without a price is
 * reported as unpriced, never as free.
 */
public final class Prices {
    private static final String SHIPPED = "prices.toml";
    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{8}|\\d{4}-\\d{2}-\\d{2})$");
    private static final Set<String> KEYS = Set.of(
            "input", "cached_input", "cache_write", "cache_write_1h", "output", "fast_multiplier", "long_context");
    private static final Set<String> LONG_KEYS =
            Set.of("threshold", "input", "cached_input", "cache_write", "cache_write_1h", "output");

    private final Supplier<Table> source;
    private volatile Table table;
    /** How many model names {@link #undated} remembers at most. */
    private static final int UNDATED_CACHE = 4096;

    /** Per model not in the table as written: its price without the date suffix, or none. */
    private final Map<String, Optional<ModelPrice>> undated = new ConcurrentHashMap<>();

    private Prices(String asOf, Map<String, ModelPrice> models, Set<String> overridden) {
        Table t = new Table(asOf, models, overridden);
        this.table = t;
        this.source = () -> t;
    }

    private Prices(Supplier<Table> source) {
        this.source = source;
    }

    /** What a table holds. */
    private record Table(String asOf, Map<String, ModelPrice> models, Set<String> overridden) {
        Table {
            models = Map.copyOf(models);
            overridden = Set.copyOf(overridden);
        }
    }

    /** Tables are equal when they price every model alike (the running hub compares its own with a command's). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Prices p && table().equals(p.table());
    }

    @Override
    public int hashCode() {
        return table().hashCode();
    }

    /** Returns the table Tandem ships (parsed once: every report and every answer of the hub needs it). */
    public static Prices shipped() {
        return Shipped.TABLE;
    }

    /**
     * Returns the shipped table with {@code overrides} laid over it ({@link #with}). Without overrides the shipped
     * table is parsed on its first use, not here, so the hub's start does not wait for it; overrides are read and
     * checked here, so a mistake in {@code [usage.prices]} is still reported when the settings are read.
     */
    public static Prices shippedWith(Optional<Section> overrides) {
        // parsing the shipped table took ~50 ms of the hub's start (docs/benchmarks.md, Footprint, third round)
        return overrides.isEmpty()
                ? new Prices(() -> Shipped.TABLE.table())
                : shipped().with(overrides);
    }

    /** Returns whether this table has been parsed (for tests). */
    boolean parsed() {
        return table != null;
    }

    private Table table() {
        Table t = table;
        if (t == null) {
            synchronized (this) {
                t = table;
                if (t == null) {
                    t = source.get();
                    table = t;
                }
            }
        }
        return t;
    }

    /** The shipped table, parsed when first asked for. */
    private static final class Shipped {
        static final Prices TABLE = parseShipped();
    }

    private static Prices parseShipped() {
        TomlParseResult toml;
        try (InputStream in = Prices.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException(SHIPPED + " is missing from the jar");
            }
            toml = Toml.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (toml.hasErrors()) {
            throw new IllegalStateException(SHIPPED + ": " + toml.errors().get(0));
        }
        Section models = Section.of(Path.of(SHIPPED), "models", toml.getTableOrEmpty("models"), Path.of("/"));
        Map<String, ModelPrice> out = new HashMap<>();
        for (String model : models.keys()) {
            out.put(model, price(models.table(model).orElseThrow(), Optional.empty()));
        }
        return new Prices(toml.getString("as_of"), out, Set.of());
    }

    /**
     * Returns this table with the models of {@code [usage.prices]} laid over it: keys given for a shipped model
     * replace its prices one by one; a new model needs at least {@code input} and {@code output}.
     */
    public Prices with(Optional<Section> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        Table t = table();
        Map<String, ModelPrice> out = new HashMap<>(t.models());
        for (String model : overrides.get().keys()) {
            Section s = overrides
                    .get()
                    .table(model)
                    .orElseThrow(() -> overrides.get().error(model, "must be a table of prices"));
            out.put(model, price(s, Optional.ofNullable(t.models().get(model))));
        }
        return new Prices(t.asOf(), out, overrides.get().keys());
    }

    private static ModelPrice price(Section s, Optional<ModelPrice> base) {
        s.allowOnly(KEYS);
        Optional<Rates> r = base.map(ModelPrice::rates);
        Rates rates = rates(s, r);
        Optional<ModelPrice.LongContext> baseLong = base.flatMap(ModelPrice::longContext);
        Optional<ModelPrice.LongContext> lc = baseLong;
        Optional<Section> longContext = s.table("long_context");
        if (longContext.isPresent()) {
            Section l = longContext.get();
            l.allowOnly(LONG_KEYS);
            long threshold = l.whole("threshold", 200_000, 272_000)
                    .or(() -> baseLong.map(ModelPrice.LongContext::threshold))
                    .orElseThrow(() -> l.error("threshold", "is required (200000 or 272000)"));
            if (threshold != 200_000 && threshold != 272_000) {
                throw l.error("threshold", "must be 200000 or 272000 (the two prompt sizes the ledger keeps apart)");
            }
            lc = Optional.of(
                    new ModelPrice.LongContext(threshold, rates(l, baseLong.map(ModelPrice.LongContext::rates))));
        }
        double fast = decimal(s, "fast_multiplier")
                .or(() -> base.map(ModelPrice::fastMultiplier))
                .orElse(1.0);
        if (!(fast > 0)) {
            throw s.error("fast_multiplier", "must be a positive number");
        }
        return new ModelPrice(rates, lc, fast);
    }

    private static Rates rates(Section s, Optional<Rates> base) {
        double input = decimal(s, "input")
                .or(() -> base.map(Rates::input))
                .orElseThrow(() -> s.error("input", "is required: US dollars per million input tokens"));
        double output = decimal(s, "output")
                .or(() -> base.map(Rates::output))
                .orElseThrow(() -> s.error("output", "is required: US dollars per million output tokens"));
        double cached = decimal(s, "cached_input")
                .or(() -> base.map(Rates::cachedInput))
                .orElse(input);
        double write =
                decimal(s, "cache_write").or(() -> base.map(Rates::cacheWrite)).orElse(input);
        double write1h = decimal(s, "cache_write_1h")
                .or(() -> base.map(Rates::cacheWrite1h))
                .orElse(write);
        return new Rates(input, cached, write, write1h, output);
    }

    private static Optional<Double> decimal(Section s, String key) {
        if (!s.contains(key)) {
            return Optional.empty();
        }
        Object v = s.table().get(List.of(key));
        double d;
        if (v instanceof Double x) {
            d = x;
        } else if (v instanceof Long x) {
            d = x;
        } else {
            throw s.error(key, "must be a number (US dollars per million tokens)");
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw s.error(key, "must be zero or more");
        }
        return Optional.of(d);
    }

    /** Returns the date the shipped prices are from. */
    public String asOf() {
        return table().asOf();
    }

    /** Returns the models given in {@code [usage.prices]}. */
    public Set<String> overridden() {
        return table().overridden();
    }

    /** Returns the price of {@code model}: as written, else without a date suffix. */
    public Optional<ModelPrice> of(String model) {
        Map<String, ModelPrice> models = table().models();
        ModelPrice p = models.get(model);
        if (p == null) {
            // a report asks this for every rollup row: the suffix is cut once per model, for a bounded number of
            // models (the names come from logs, on a fleet hub from what enrolled machines send)
            Optional<ModelPrice> known = undated.get(model);
            if (known == null) {
                known = Optional.ofNullable(
                        models.get(DATE_SUFFIX.matcher(model).replaceFirst("")));
                if (undated.size() < UNDATED_CACHE) {
                    undated.put(model, known);
                }
            }
            p = known.orElse(null);
        }
        return Optional.ofNullable(p);
    }

    /** Returns every priced model name, sorted. */
    public Map<String, ModelPrice> all() {
        return new TreeMap<>(table().models());
    }
}
