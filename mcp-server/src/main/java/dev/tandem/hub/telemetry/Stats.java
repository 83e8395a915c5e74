package dev.tandem.hub.telemetry;

import java.util.Arrays;

/**
 * Counts and latency percentiles (nearest rank, in milliseconds) of a group of requests.
 *
 * @param calls how many requests
 * @param errors how many did not end {@code ok}
 * @param p50 median duration
 * @param p95 95th percentile duration
 * @param p99 99th percentile duration
 */
public record Stats(long calls, long errors, double p50, double p95, double p99) {

    /** Collects the durations and errors of one group, 8 bytes a request. */
    static final class Builder {
        private long[] micros = new long[16];
        private int size;
        private long errors;

        void add(long durationMicros, boolean ok) {
            if (size == micros.length) {
                micros = Arrays.copyOf(micros, size * 2);
            }
            micros[size++] = durationMicros;
            if (!ok) {
                errors++;
            }
        }

        Stats build() {
            long[] sorted = Arrays.copyOf(micros, size);
            Arrays.sort(sorted);
            return new Stats(
                    size, errors, percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99));
        }
    }

    /** Nearest-rank percentile of sorted values, in milliseconds; 0 for none. */
    static double percentile(long[] sortedMicros, double q) {
        if (sortedMicros.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sortedMicros.length);
        return sortedMicros[Math.clamp(rank - 1, 0, sortedMicros.length - 1)] / 1000.0;
    }
}
