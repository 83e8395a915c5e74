package dev.tandem.hub.usage;

import java.util.Locale;
import java.util.Objects;

/**
 * How much of a budget is spent.
 *
 * @param budget the budget
 * @param periodKey the day or month it is counted for ({@code 2026-12-06}, {@code 2026-12})
 * @param spentUsd what the priced responses of that period cost
 * @param unpricedResponses responses of that period whose model has no price (not in {@code spentUsd})
 */
public record BudgetStatus(Budget budget, String periodKey, double spentUsd, long unpricedResponses) {
    /** How close to its limit a budget is. */
    public enum Level {
        OK,
        /** 80 % or more. */
        WARNING,
        /** 100 % or more. */
        OVER;

        /** Returns {@code ok}, {@code warning} or {@code over}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BudgetStatus {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(periodKey, "periodKey");
    }

    /** Returns the spent share of the limit, 1.0 being all of it. */
    public double share() {
        return spentUsd / budget.limitUsd();
    }

    public Level level() {
        double s = share();
        return s >= 1 ? Level.OVER : s >= Budget.WARN_AT ? Level.WARNING : Level.OK;
    }
}
