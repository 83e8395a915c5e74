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
 */
public record Query(String engine, Optional<LocalDate> since, Optional<LocalDate> until, boolean byModel) {
    /** The engines a query may name. */
    public static final Set<String> ENGINES = Set.of("all", "codex", "claude");

    public Query {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (!ENGINES.contains(engine)) {
            throw new UsageException("engine must be codex, claude or all, not '" + engine + "'");
        }
        if (since.isPresent() && until.isPresent() && until.get().isBefore(since.get())) {
            throw new UsageException("--until " + until.get() + " is before --since " + since.get());
        }
    }

    /** Everything, both engines, no breakdown. */
    public static Query all() {
        return new Query("all", Optional.empty(), Optional.empty(), false);
    }

    /** Returns whether the query covers {@code engine}. */
    public boolean covers(String e) {
        return engine.equals("all") || engine.equals(e);
    }
}
