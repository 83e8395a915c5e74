package dev.tandem.hub.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Guards against DNS rebinding: the {@code Host} must name a loopback host (or the explicitly bound one) and an
 * {@code Origin}, when sent, must be a loopback origin.
 *
 * <p>Spec: https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning
 */
public final class LoopbackGuard {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    private final Set<String> allowedHosts;

    public LoopbackGuard(String boundHost) {
        this(boundHost, Set.of());
    }

    /**
     * Allows loopback names, the bound host and {@code certified}: the names and addresses of the hub's TLS
     * certificate (a fleet hub bound to {@code 0.0.0.0} is reached by the name its certificate is for).
     */
    public LoopbackGuard(String boundHost, Set<String> certified) {
        String bound = boundHost.toLowerCase(Locale.ROOT);
        var set = new java.util.HashSet<>(LOOPBACK);
        if (!(bound.equals("0.0.0.0") || bound.equals("::") || LOOPBACK.contains(bound))) {
            set.add(bracketed(bound));
        }
        certified.forEach(n -> set.add(bracketed(n.toLowerCase(Locale.ROOT))));
        this.allowedHosts = Set.copyOf(set);
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** Returns whether the {@code Host} header names an allowed host (any port). */
    public boolean hostAllowed(Optional<String> host) {
        return host.map(h -> allowedHosts.contains(stripPort(h.strip().toLowerCase(Locale.ROOT))))
                .orElse(false);
    }

    /** Returns whether the {@code Origin} header is absent or a loopback origin. */
    public boolean originAllowed(Optional<String> origin) {
        if (origin.isEmpty()) {
            return true; // non-browser clients (Codex, Claude Code) send none
        }
        try {
            URI uri = new URI(origin.get().strip());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null) {
                return false;
            }
            boolean web = scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https");
            return web && allowedHosts.contains(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Returns whether {@code origin} is the hub's own: {@code http} or {@code https}, one of the names the hub answers
     * to (loopback, the bound host, its certificate's names) and the port the request came in on. Dashboard writes
     * need it (a page of another origin cannot make them), also on a fleet hub reached by its certificate's name.
     */
    public boolean ownOrigin(Optional<String> origin, int port) {
        if (origin.isEmpty() || !originAllowed(origin)) {
            return false;
        }
        try {
            URI uri = new URI(origin.get().strip());
            int given = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            return given == port && bare && uri.getRawQuery() == null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 || host.indexOf(':') != colon ? host : host.substring(0, colon);
    }
}
