package dev.tandem.hub.telemetry;

import java.util.Map;
import org.tomlj.TomlTable;

/**
 * The {@code [telemetry]} settings.
 *
 * @param enabled false records nothing
 * @param retentionDays rows older than this many days are deleted
 * @param queueCapacity how many rows may wait for the writer before new ones are dropped
 */
public record TelemetrySettings(boolean enabled, int retentionDays, int queueCapacity) {
    public static final int DEFAULT_RETENTION_DAYS = 30;
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    static final String RETENTION_ENV = "TANDEM_TELEMETRY_RETENTION_DAYS";

    public TelemetrySettings {
        if (retentionDays < 1 || retentionDays > 36_500) {
            throw new TelemetryException("[telemetry] retention_days must be 1 to 36500, got " + retentionDays);
        }
        if (queueCapacity < 1) {
            throw new TelemetryException("[telemetry] queue_capacity must be positive, got " + queueCapacity);
        }
    }

    /** Reads {@code enabled}, {@code retention_days} ({@value #RETENTION_ENV} wins) and {@code queue_capacity}. */
    public static TelemetrySettings from(TomlTable section, Map<String, String> env) {
        if (section.contains("enabled") && !section.isBoolean("enabled")) {
            throw new TelemetryException("[telemetry] enabled must be true or false");
        }
        boolean enabled = !section.contains("enabled") || Boolean.TRUE.equals(section.getBoolean("enabled"));
        long days = whole(section, "retention_days", DEFAULT_RETENTION_DAYS);
        String fromEnv = env.get(RETENTION_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            try {
                days = Long.parseLong(fromEnv.strip());
            } catch (NumberFormatException e) {
                throw new TelemetryException(RETENTION_ENV + ": expected a whole number, got '" + fromEnv + "'", e);
            }
        }
        long capacity = whole(section, "queue_capacity", DEFAULT_QUEUE_CAPACITY);
        return new TelemetrySettings(enabled, Math.clamp(days, 0, 100_000), Math.clamp(capacity, 0, 1 << 24));
    }

    private static long whole(TomlTable section, String key, long fallback) {
        if (!section.contains(key)) {
            return fallback;
        }
        if (!section.isLong(key)) {
            throw new TelemetryException("[telemetry] " + key + " must be a whole number");
        }
        return section.getLong(key);
    }
}
