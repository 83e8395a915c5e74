package dev.tandem.hub.usage;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a report covers.
 *
 * @param engine {@code all}, {@code codex} or {@code claude}
 * @param since the first day, inclusive, in the ledger's time zone; empty for all
 * @param until the last day, inclusive; empty for all
 * @param byModel whether rows break down each engine by model
 * @param host only the usage read on this host; empty for every host (the fleet's totals)
 */
public record Query(
        String engine, Optional<LocalDate> since, Optional<LocalDate> until, boolean byModel, Optional<String> host) {
    /** The engines a query may name. */
    public static final Set<String> ENGINES = Set.of("all", "codex", "claude");

    public Query {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(host, "host");
        if (!ENGINES.contains(engine)) {
            throw new UsageException("engine must be codex, claude or all, not '" + engine + "'");
        }
        if (since.isPresent() && until.isPresent() && until.get().isBefore(since.get())) {
            throw new UsageException("--until " + until.get() + " is before --since " + since.get());
        }
    }

    /** A query of every host's usage. */
    public Query(String engine, Optional<LocalDate> since, Optional<LocalDate> until, boolean byModel) {
        this(engine, since, until, byModel, Optional.empty());
    }

    /** Everything, both engines, no breakdown. */
    public static Query all() {
        return new Query("all", Optional.empty(), Optional.empty(), false);
    }

    /** Returns whether the query covers {@code engine}. */
    public boolean covers(String e) {
        return engine.equals("all") || engine.equals(e);
    }

    /** Returns whether the query covers what was read on {@code h}. */
    public boolean coversHost(String h) {
        return host.isEmpty() || host.get().equals(h);
    }
}
