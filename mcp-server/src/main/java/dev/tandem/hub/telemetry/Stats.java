package dev.tandem.hub.telemetry;

import java.util.Arrays;
import java.util.List;

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

    /** Returns the stats of {@code events}. */
    static Stats of(List<RequestEvent> events) {
        long[] micros = events.stream().mapToLong(RequestEvent::durationMicros).toArray();
        Arrays.sort(micros);
        long errors = events.stream().filter(e -> e.outcome() != Outcome.OK).count();
        return new Stats(
                micros.length, errors, percentile(micros, 0.50), percentile(micros, 0.95), percentile(micros, 0.99));
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
