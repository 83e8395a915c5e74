package dev.tandem.hub.http;

import io.helidon.webserver.http.ServerRequest;

/**
 * The machine a request let in by the HTTP edge comes from: the enrolled host whose key it carries, else the hub's
 * own host ({@code [memory] host}). Registered in the request's context; HTTP handlers (the dashboard's API, the
 * fleet API) read it with {@link #of}.
 *
 * @param name the host's name
 */
public record RequestHost(String name) {
    /** Returns the host of {@code req}; {@code ""} for a request the edge did not let in (an open path). */
    public static String of(ServerRequest req) {
        return req.context().get(RequestHost.class).map(RequestHost::name).orElse("");
    }
}
