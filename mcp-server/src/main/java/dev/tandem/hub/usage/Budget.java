package dev.tandem.hub.usage;

import java.util.Locale;
import java.util.Objects;

/**
 * A spending limit from {@code [usage]} ({@code daily_usd}, {@code monthly_usd}) or {@code [usage.codex]} /
 * {@code [usage.claude]}.
 *
 * @param engine {@code all}, {@code codex} or {@code claude}
 * @param period the calendar day or month (in the ledger's time zone) it applies to
 * @param limitUsd US dollars
 */
public record Budget(String engine, Period period, double limitUsd) {
    /** The part of the calendar a budget covers. */
    public enum Period {
        DAY,
        MONTH;

        /** Returns {@code day} or {@code month}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Share of a budget at which it warns. */
    public static final double WARN_AT = 0.8;

    public Budget {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(period, "period");
        if (!(limitUsd > 0) || Double.isInfinite(limitUsd)) {
            throw new IllegalArgumentException("a budget must be a positive number of dollars");
        }
    }
}
