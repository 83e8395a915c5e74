package dev.tandem.hub.http;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A part of the hub's URL space behind the {@link HttpEdge}, and what it takes to enter it: the bearer token, or
 * the area's own session.
 *
 * @param covers which paths belong to the area
 * @param open paths in the area whose handlers check their own credential (a one-time login code, a token proof)
 *     and throw {@link UnauthorizedException} when it is wrong
 * @param session whether a request carries a live session of the area (the dashboard's cookie)
 * @param sameOriginWrites whether a POST, PUT, PATCH or DELETE let in by its session must carry the hub's own
 *     {@code Origin}
 * @param headers added to every answer in the area
 * @param unauthorized writes the area's 401, given why (the {@link UnauthorizedException}'s message, or none when
 *     the request carried no accepted credential)
 * @param credentialHeaders headers besides {@code Authorization} and {@code Cookie} that carry a credential of the
 *     area (the usage key): a request that brings one is blocked and its failure counted like a wrong token
 */
public record GuardedArea(
        Predicate<String> covers,
        Set<String> open,
        Predicate<ServerRequest> session,
        boolean sameOriginWrites,
        Map<String, String> headers,
        Refusal unauthorized,
        Set<String> credentialHeaders) {

    public GuardedArea {
        open = Set.copyOf(open);
        headers = Map.copyOf(headers);
        credentialHeaders = Set.copyOf(credentialHeaders);
    }

    /** An area whose credentials travel only in {@code Authorization} and {@code Cookie}. */
    public GuardedArea(
            Predicate<String> covers,
            Set<String> open,
            Predicate<ServerRequest> session,
            boolean sameOriginWrites,
            Map<String, String> headers,
            Refusal unauthorized) {
        this(covers, open, session, sameOriginWrites, headers, unauthorized, Set.of());
    }

    /** Writes a 401. */
    @FunctionalInterface
    public interface Refusal {
        void write(ServerRequest req, ServerResponse res, java.util.Optional<String> why);
    }
}
