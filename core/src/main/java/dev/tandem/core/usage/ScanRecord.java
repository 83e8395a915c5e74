package dev.tandem.core.usage;

import java.time.Instant;
import java.util.Objects;

/**
 * When the logs were last read on a host, and how much there was.
 *
 * @param host the machine
 * @param at when the read finished
 * @param files how many log files there were
 * @param bytes their total size
 */
public record ScanRecord(String host, Instant at, long files, long bytes) {
    public ScanRecord {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(at, "at");
    }
}
