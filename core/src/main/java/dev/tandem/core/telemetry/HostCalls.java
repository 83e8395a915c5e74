package dev.tandem.core.telemetry;

import java.util.Objects;

/**
 * How many requests one host made in a time range, and how many of them did not end ok.
 *
 * @param host the host the requests were recorded under
 * @param calls how many requests
 * @param errors how many did not end ok
 */
public record HostCalls(String host, long calls, long errors) {
    public HostCalls {
        Objects.requireNonNull(host, "host");
    }
}
