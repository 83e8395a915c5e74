package dev.tandem.hub.usage;

import dev.tandem.core.usage.HubCalls;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a report: a day, month, session or project, with each engine's amount and their total.
 *
 * @param key the day ({@code 2026-12-06}), month ({@code 2026-12}), session id or project
 * @param labels what else identifies the row (a session's engine, project, first and last activity), in order
 * @param engines the amount per engine ({@code codex}, {@code claude}), only engines with responses
 * @param models the amount per engine and model (filled when the report breaks down by model)
 * @param total both engines together
 * @param hubCalls the hub tools this row's sessions called (session reports)
 */
public record Row(
        String key,
        Map<String, String> labels,
        Map<String, Amount> engines,
        Map<String, Map<String, Amount>> models,
        Amount total,
        List<HubCalls> hubCalls) {
    public Row {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(total, "total");
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        engines = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(engines));
        models = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(models));
        hubCalls = List.copyOf(hubCalls);
    }
}
