package dev.tandem.hub.dashboard;

import dev.tandem.hub.config.ConfigException;
import java.time.Duration;
import org.tomlj.TomlTable;

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

    /** Reads {@code enabled} (default true) and {@code session_hours} (default 12). */
    public static DashboardSettings from(TomlTable section) {
        if (section.contains("enabled") && !section.isBoolean("enabled")) {
            throw new ConfigException("[dashboard] enabled must be true or false");
        }
        if (section.contains("session_hours") && !section.isLong("session_hours")) {
            throw new ConfigException("[dashboard] session_hours must be a whole number");
        }
        boolean enabled = !section.contains("enabled") || Boolean.TRUE.equals(section.getBoolean("enabled"));
        long hours = section.contains("session_hours") ? section.getLong("session_hours") : DEFAULT_SESSION_HOURS;
        if (hours < 1 || hours > 24 * 365) {
            throw new ConfigException("[dashboard] session_hours must be 1 to 8760, got " + hours);
        }
        return new DashboardSettings(enabled, Duration.ofHours(hours));
    }
}
