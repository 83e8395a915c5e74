package dev.tandem.core.telemetry;

import java.util.Optional;

/**
 * The few fields of a recorded request the overview aggregates.
 *
 * @param atMillis when it arrived, epoch milliseconds
 * @param engine the engine
 * @param method the JSON-RPC method
 * @param target the tool, URI or prompt, if any
 * @param durationMicros how long it took
 * @param ok whether it ended {@code ok}
 */
public record Sample(
        long atMillis, String engine, String method, Optional<String> target, long durationMicros, boolean ok) {}
