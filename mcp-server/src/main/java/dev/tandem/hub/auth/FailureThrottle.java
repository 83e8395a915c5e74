package dev.tandem.hub.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down repeated authentication failures from one address.
 *
 * <p>The first {@value #FREE_FAILURES} failures in a window answer at once; each further one waits 100 ms more,
 * up to two seconds. A success does not reset the count, so interleaving good and bad tokens does not help.
 */
public final class FailureThrottle {
    static final int FREE_FAILURES = 5;
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final long STEP_MILLIS = 100;
    private static final long MAX_DELAY_MILLIS = 2_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public FailureThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Records a failure from {@code address} and returns how long to delay the answer. */
    public Duration recordFailure(String address) {
        long now = clock.millis();
        Window w = windows.compute(
                address,
                (k, old) -> old == null || now - old.start() > WINDOW.toMillis()
                        ? new Window(now, 1)
                        : new Window(old.start(), old.failures() + 1));
        if (windows.size() > 10_000) {
            windows.entrySet().removeIf(e -> now - e.getValue().start() > WINDOW.toMillis());
        }
        int excess = w.failures() - FREE_FAILURES;
        return excess <= 0 ? Duration.ZERO : Duration.ofMillis(Math.min(MAX_DELAY_MILLIS, excess * STEP_MILLIS));
    }

    private record Window(long start, int failures) {}
}
