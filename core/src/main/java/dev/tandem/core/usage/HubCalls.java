package dev.tandem.core.usage;

import java.util.Objects;

/**
 * How often one engine session called one hub tool, as the hub's telemetry recorded it.
 *
 * @param engine the engine
 * @param session the engine's session; {@code ""} for calls that could not be tied to one
 * @param tool the hub tool
 * @param calls how many calls
 * @param errors how many of them failed
 */
public record HubCalls(String engine, String session, String tool, long calls, long errors) {
    public HubCalls {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(tool, "tool");
    }
}
