package dev.tandem.core.jobs;

import java.util.Arrays;
import java.util.Locale;

/** Where a job is in its life; the wire name is the lower-case name. */
public enum JobStatus {
    /** Accepted, waiting for a free slot. */
    QUEUED,
    /** Its engine is working on a turn. */
    RUNNING,
    /** Its engine waits on the person: an approval or a question (see the record's {@code pending}). */
    WAITING,
    /** The last turn ended well; an interactive job takes a follow-up. */
    COMPLETED,
    /** The engine reported an error, crashed or ran past its deadline. */
    FAILED,
    /** Stopped on request; its process tree is gone. */
    KILLED,
    /** The hub stopped while the job was queued or running; {@code resume} continues it. */
    INTERRUPTED;

    /** Returns the name used on the wire and in the store ({@code queued}, {@code running}, …). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns whether the job holds (or waits for) an engine process: queued, running or waiting. */
    public boolean active() {
        return this == QUEUED || this == RUNNING || this == WAITING;
    }

    /** Returns the status named {@code wire}. Thrown {@link IllegalArgumentException} for an unknown name. */
    public static JobStatus of(String wire) {
        return Arrays.stream(values())
                .filter(s -> s.wireName().equals(wire))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown job status '" + wire + "'"));
    }
}
