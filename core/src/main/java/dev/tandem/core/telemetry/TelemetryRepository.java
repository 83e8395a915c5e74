package dev.tandem.core.telemetry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The record of hub requests: written in batches by the hub's recorder, read by the dashboard. */
public interface TelemetryRepository {
    /** Returns the host the rows of this process are recorded under. */
    String host();

    /** Inserts the events in one transaction. */
    void insert(List<RequestEvent> events);

    /** Deletes the rows recorded before {@code cutoff}; returns how many. */
    int deleteBefore(Instant cutoff);

    /** Returns the requests recorded in {@code [from, to)}, oldest first. */
    List<Recorded> between(Instant from, Instant to);

    /** Hands every request recorded in {@code [from, to)} to {@code sink}, oldest first, without keeping them. */
    default void samples(Instant from, Instant to, Consumer<Sample> sink) {
        samples(from, to, Optional.empty(), sink);
    }

    /**
     * Hands every request recorded in {@code [from, to)} on {@code host} (every host when empty) to {@code sink},
     * oldest first, without keeping them.
     */
    void samples(Instant from, Instant to, Optional<String> host, Consumer<Sample> sink);

    /** Returns the newest {@code limit} requests that did not end {@code ok}, newest first. */
    default List<Recorded> errors(int limit) {
        return errors(limit, Optional.empty());
    }

    /**
     * Returns the newest {@code limit} requests recorded on {@code host} (every host when empty) that did not end
     * {@code ok}, newest first: the host is chosen in the query, so a quiet host's errors are not crowded out by
     * another's.
     */
    List<Recorded> errors(int limit, Optional<String> host);

    /** Returns, per host (by name), how many requests were recorded in {@code [from, to)}. */
    List<HostCalls> perHost(Instant from, Instant to);
}
