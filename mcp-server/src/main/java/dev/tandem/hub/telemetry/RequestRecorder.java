package dev.tandem.hub.telemetry;

import dev.tandem.core.telemetry.RequestEvent;

/** Where the transport hands each answered request; must return at once and never throw. */
@FunctionalInterface
public interface RequestRecorder {
    /** Records nothing (telemetry disabled). */
    RequestRecorder NONE = event -> {};

    void record(RequestEvent event);
}
