package dev.tandem.hub.http;

import io.helidon.webserver.http.HttpRouting;

/** A part of the hub served beside MCP (the dashboard): the area the edge guards for it, and its routes. */
public interface HubFeature {
    /** Returns the paths the feature serves and what it takes to enter them. */
    GuardedArea area();

    /** Adds the feature's routes and error mappings. */
    void routes(HttpRouting.Builder routing);
}
