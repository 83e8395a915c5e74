package dev.tandem.hub.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down repeated authentication failures from one address.
 *
 * <p>The first {@value #FREE_FAILURES} failures in a window answer at once; each further one waits 100 ms more,
 * up to two seconds. A success does not reset the count, so interleaving good and bad tokens does not help. Delays
 * alone do not slow a guesser who opens many connections at once, so after {@value #BLOCK_AFTER} failures in a
 * window the address is {@linkplain #blocked blocked} until the window ends: its requests are refused before any
 * credential is checked, the right one too. The hub's own machine ({@code 127.0.0.1}, {@code ::1}) is slowed but never
 * blocked: the person, both engines and their agents all connect from there, so one agent sending wrong tokens must
 * not lock the others out of the hub.
 */
public final class FailureThrottle {
    static final int FREE_FAILURES = 5;
    static final int BLOCK_AFTER = 30;
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final long STEP_MILLIS = 100;
    private static final long MAX_DELAY_MILLIS = 2_000;
    private static final java.util.Set<String> OWN_MACHINE =
            java.util.Set.of("127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "localhost");

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

    /**
     * Returns whether {@code address} failed {@value #BLOCK_AFTER} times in the current window; never for the hub's
     * own machine.
     */
    public boolean blocked(String address) {
        if (OWN_MACHINE.contains(address)) {
            return false;
        }
        Window w = windows.get(address);
        return w != null && clock.millis() - w.start() <= WINDOW.toMillis() && w.failures() >= BLOCK_AFTER;
    }

    private record Window(long start, int failures) {}
}
