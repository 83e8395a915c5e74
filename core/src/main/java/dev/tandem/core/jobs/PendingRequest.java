package dev.tandem.core.jobs;

import java.time.Instant;
import java.util.Objects;

/**
 * Something a job's engine waits on the person for: an approval of a command, a file change or a tool call.
 *
 * @param id the job-local id {@code tandem jobs approve} takes ({@code 1}, {@code 2}, …)
 * @param kind {@code command}, {@code file_change}, {@code tool} or {@code permission}
 * @param summary what is asked, in one line (redacted)
 * @param since when the engine asked
 */
public record PendingRequest(String id, String kind, String summary, Instant since) {
    public PendingRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(since, "since");
    }
}
