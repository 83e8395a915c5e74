package dev.tandem.hub.dashboard;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import java.time.Duration;

/**
 * The {@code [dashboard]} settings.
 *
 * @param enabled false serves no {@code /dashboard} and no {@code /api/} (404)
 * @param sessionTtl how long a browser stays logged in
 */
public record DashboardSettings(boolean enabled, Duration sessionTtl) {
    public static final long DEFAULT_SESSION_HOURS = 12;

    public DashboardSettings {
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new ConfigException("[dashboard] session_hours must be positive");
        }
    }

    /** Reads {@code enabled} (default true) and {@code session_hours} (default 12, at most a year). */
    public static DashboardSettings from(Section section) {
        boolean enabled = section.bool("enabled", true);
        long hours = section.whole("session_hours", 1, 24 * 365, DEFAULT_SESSION_HOURS);
        return new DashboardSettings(enabled, Duration.ofHours(hours));
    }
}
