package dev.tandem.core.telemetry;

import java.util.Objects;

/**
 * A request as stored: the event and the host whose hub recorded it.
 *
 * @param host the machine's host name
 * @param event the request
 */
public record Recorded(String host, RequestEvent event) {
    public Recorded {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(event, "event");
    }
}
