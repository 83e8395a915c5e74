package dev.tandem.hub.http;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * How much of the hub a client gets before it has proven anything: connections, and time to send a request.
 *
 * @param maxConnections the most TCP connections served at once; more wait in the kernel's queue until one closes.
 *     Lowered at start to half the file descriptors still free, so connections alone never exhaust them
 * @param idleConnectionTimeout how long a connection may sit without a request (before its first, between two, or
 *     while its request line trickles in) before the hub closes it
 * @param requestReadTimeout how long a client has, once its request line arrived, to send the headers and the whole
 *     body; then the hub closes the connection. Handling the request (a tool call) is not counted
 */
public record HttpLimits(int maxConnections, Duration idleConnectionTimeout, Duration requestReadTimeout) {
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final Duration DEFAULT_IDLE_CONNECTION = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REQUEST_READ = Duration.ofSeconds(30);
    private static final int MAX_SECONDS = 86_400;
    private static final Logger LOG = Logger.getLogger(HttpLimits.class.getName());

    /** Thrown {@link ConfigException} naming the {@code [hub]} key of the first value out of range. */
    public HttpLimits {
        if (maxConnections < 1) {
            throw new ConfigException("[hub] max_connections must be at least 1, got " + maxConnections);
        }
        if (idleConnectionTimeout.isNegative() || idleConnectionTimeout.isZero()) {
            throw new ConfigException(
                    "[hub] idle_connection_seconds must be positive, got " + idleConnectionTimeout.toSeconds());
        }
        if (requestReadTimeout.isNegative() || requestReadTimeout.isZero()) {
            throw new ConfigException(
                    "[hub] request_read_seconds must be positive, got " + requestReadTimeout.toSeconds());
        }
    }

    /** Returns the defaults: 256 connections, 60 s idle, 30 s to send a request. */
    public static HttpLimits defaults() {
        return new HttpLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_CONNECTION, DEFAULT_REQUEST_READ);
    }

    /** Reads {@code max_connections}, {@code idle_connection_seconds} and {@code request_read_seconds} of {@code [hub]}. */
    public static HttpLimits from(Section hub) {
        int connections = (int) hub.whole("max_connections", 1, 65_535, DEFAULT_MAX_CONNECTIONS);
        int idle = (int) hub.whole("idle_connection_seconds", 1, MAX_SECONDS, DEFAULT_IDLE_CONNECTION.toSeconds());
        int read = (int) hub.whole("request_read_seconds", 1, MAX_SECONDS, DEFAULT_REQUEST_READ.toSeconds());
        return new HttpLimits(connections, Duration.ofSeconds(idle), Duration.ofSeconds(read));
    }

    /**
     * Returns how many connections to serve at once: {@code configured}, but at most half the file descriptors
     * still free, so connections alone can never exhaust them (Helidon's listener stops for good when
     * {@code accept} fails; the hub's watchdog is the second line).
     */
    static int connectionBudget(int configured) {
        if (!(ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean os)) {
            return configured;
        }
        long limit = os.getMaxFileDescriptorCount();
        long free = limit - os.getOpenFileDescriptorCount();
        int budget = (int) Math.max(1, Math.min(configured, free / 2));
        if (budget < configured) {
            LOG.warning("serving at most " + budget + " connections at once instead of " + configured
                    + " ([hub] max_connections): only " + free + " of " + limit
                    + " file descriptors are free (raise the limit with 'ulimit -n')");
        }
        return budget;
    }
}
