package dev.tandem.hub.telemetry;

import dev.tandem.core.config.Section;

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
    private static final int MAX_RETENTION_DAYS = 36_500;
    private static final int MAX_QUEUE_CAPACITY = 1 << 24;

    public TelemetrySettings {
        if (retentionDays < 1 || retentionDays > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("retentionDays must be 1 to 36500, got " + retentionDays);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive, got " + queueCapacity);
        }
    }

    /** Reads {@code enabled}, {@code retention_days} ({@value #RETENTION_ENV} wins) and {@code queue_capacity}. */
    public static TelemetrySettings from(Section section) {
        boolean enabled = section.bool("enabled", true);
        long days = section.whole("retention_days", RETENTION_ENV, 1, MAX_RETENTION_DAYS, DEFAULT_RETENTION_DAYS);
        long capacity = section.whole("queue_capacity", 1, MAX_QUEUE_CAPACITY, DEFAULT_QUEUE_CAPACITY);
        return new TelemetrySettings(enabled, (int) days, (int) capacity);
    }
}
