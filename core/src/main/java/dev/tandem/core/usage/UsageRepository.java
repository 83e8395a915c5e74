package dev.tandem.core.usage;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The usage ledger: model responses read from the engines' logs, where reading stopped in each log, the engines'
 * rate-limit windows, and what ties the hub's telemetry and Tandem's jobs to sessions. Every row carries the host
 * it was read on ({@link #host()}); event keys are the same on every machine, so ledgers of several machines merge
 * by key without double counting.
 *
 * <p>Writes are idempotent: applying a batch whose events are already stored changes nothing, and a batch whose
 * starting cursor is no longer the stored one is refused whole ({@link #apply} returns false), so several readers
 * (the hub's poller and {@code tandem usage}) can share the cursors.
 */
public interface UsageRepository {
    /** Returns the host this process records its rows under. */
    String host();

    /** Returns this host's cursors, by path. */
    Map<String, FileCursor> cursors();

    /**
     * Writes the batches in one transaction, each only if the stored cursor of its file is then still its
     * {@code from()} (none, when that is empty); returns the batches refused because another reader moved the
     * cursor meanwhile, in order. Batches of one file follow each other: the second starts where the first ends.
     */
    List<UsageBatch> apply(List<UsageBatch> batches);

    /** Writes one batch as {@link #apply(List)} does; returns false when it was refused. */
    default boolean apply(UsageBatch batch) {
        return apply(List.of(batch)).isEmpty();
    }

    /** Records that this host's logs were read. */
    void scanned(ScanRecord scan);

    /** Returns when each host's logs were last read. */
    List<ScanRecord> scans();

    /** Hands {@code sink} every rollup row whose bucket starts in {@code [from, to)}, oldest first. */
    void rollups(Instant from, Instant to, Consumer<Rollup> sink);

    /**
     * Hands {@code sink} the rollup rows whose bucket starts in {@code [from, to)} summed per day of {@code zone}
     * (the day a bucket starts on), host, engine, model and price tier: each row's bucket is its day's start,
     * its session and project are {@code ""}, its first and last times those of the rows it sums. Days oldest first;
     * within a day in the order of {@link #BY_WHAT_IT_SAYS}. Token counts are summed exactly, so whatever is computed
     * from a row (a cost) does not depend on the order the logs were read in.
     */
    default void days(Instant from, Instant to, ZoneId zone, Consumer<Rollup> sink) {
        DaySums sums = new DaySums(zone);
        rollups(from, to, sums::add);
        sums.rows().forEach(sink);
    }

    /** An order of rollup rows by what they say (not by ids, which depend on the order the logs were read in). */
    Comparator<Rollup> BY_WHAT_IT_SAYS = Comparator.comparing(Rollup::host)
            .thenComparing(Rollup::engine)
            .thenComparing(Rollup::session)
            .thenComparing(Rollup::project)
            .thenComparing(Rollup::model)
            .thenComparingInt(Rollup::tier);

    /**
     * Returns how many damaged responses ({@link UsageBatch#damaged}) were read whose log line's 15-minute bucket
     * starts in {@code [from, to)}, as {@link #rollups} counts responses, per host and engine; a key also stored as a
     * counted response is not among them. Read from counts kept as they are written, not from the responses.
     */
    List<DamagedCount> damaged(Instant from, Instant to);

    /** Returns the newest report of each rate-limit window, per host and engine. */
    List<RateLimit> rateLimits();

    /**
     * Returns the hub tool calls made in {@code [from, to)}, per engine session: Codex sends its session with each
     * call, Claude Code a tool-use id found again in its log. Calls tied to no session have session {@code ""}.
     */
    List<HubCalls> hubCalls(Instant from, Instant to);

    /** Marks a session as part of a job or delegation (replacing an earlier mark with the same kind and ref). */
    void tag(SessionTag tag);

    /** Returns the usage of the sessions tagged with {@code kind}, within each tag's time. */
    List<TaggedUsage> tagged(String kind);

    /**
     * Returns the usage of one session read on this host within the tag's time, per model and price tier, to the
     * quarter hour: responses in the 15-minute buckets that overlap {@code [from, to]} (to now while open) count.
     * The tag is not stored: this is how a job's record, which knows its session, finds what it cost.
     */
    List<TaggedUsage> usage(SessionTag tag);

    /**
     * Returns which of {@code keys} are stored as responses read on another host. A machine that sends its own rows
     * to the fleet hub may add responses and raise their counts under its own name only; the hub drops its events
     * whose keys another host's logs already gave.
     */
    Set<Long> keysOfOtherHosts(Collection<Long> keys);
}
