package dev.tandem.hub.git;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Locale;
import org.eclipse.jgit.transport.URIish;

/**
 * An http(s) URL prefix taken apart: the origin (scheme, host, port) and a path prefix matched on whole segments,
 * so {@code https://github.com/acme} covers {@code https://github.com:443/acme/app.git} but not {@code
 * https://github.com.evil.tld/…}, {@code https://github.com@evil.tld/…}, {@code https://github.com:8443/…} or
 * {@code https://github.com/acme-evil/…}.
 *
 * @param scheme {@code http} or {@code https}
 * @param host lower case, without IPv6 brackets
 * @param port the port, the scheme's default when the URL names none
 * @param path starts with {@code /}, no trailing {@code /} except for the root itself
 */
record UrlScope(String scheme, String host, int port, String path) {
    /** Parses a configured prefix; a user name, query, fragment or other scheme is refused with the reason. */
    static UrlScope parse(String prefix) {
        URI u;
        try {
            u = new URI(prefix);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL: " + e.getReason(), e);
        }
        String scheme = lower(u.getScheme());
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("must be an http:// or https:// URL");
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not hold a user name or password (use username and token)");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("must name a host");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("must not have a query or a fragment");
        }
        return new UrlScope(scheme, host(u.getHost()), port(scheme, u.getPort()), path(u.getRawPath()));
    }

    /** Returns the origin of a URL JGit connects to, with an empty path. */
    static UrlScope origin(URL url) {
        String scheme = lower(url.getProtocol());
        return new UrlScope(scheme, host(url.getHost()), port(scheme, url.getPort()), "/");
    }

    /** Returns the origin of a remote URL, with an empty path. */
    static UrlScope origin(URIish uri) {
        String scheme = lower(uri.getScheme());
        return new UrlScope(scheme, host(uri.getHost()), port(scheme, uri.getPort()), "/");
    }

    /** Returns whether {@code uri} has this origin and a path at or below this path, segment by segment. */
    boolean covers(URIish uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        if (!sameOrigin(origin(uri))) {
            return false;
        }
        String p = path(uri.getRawPath());
        return path.equals("/") || p.equals(path) || p.startsWith(path + "/");
    }

    boolean sameOrigin(UrlScope other) {
        return scheme.equals(other.scheme) && host.equals(other.host) && port == other.port;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static String host(String h) {
        String l = lower(h);
        return l.startsWith("[") && l.endsWith("]") ? l.substring(1, l.length() - 1) : l;
    }

    private static int port(String scheme, int port) {
        if (port > 0) {
            return port;
        }
        return scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
    }

    private static String path(String raw) {
        String p = raw == null || raw.isEmpty() ? "/" : raw;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.startsWith("/") ? p : "/" + p;
    }
}
