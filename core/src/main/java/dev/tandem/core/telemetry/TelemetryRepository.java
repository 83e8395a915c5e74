package dev.tandem.core.telemetry;

import java.time.Instant;
import java.util.List;
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
    void samples(Instant from, Instant to, Consumer<Sample> sink);

    /** Returns the newest {@code limit} requests that did not end {@code ok}, newest first. */
    List<Recorded> errors(int limit);
}
