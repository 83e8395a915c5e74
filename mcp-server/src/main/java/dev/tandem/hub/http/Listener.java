package dev.tandem.hub.http;

import io.helidon.webserver.WebServer;
import java.net.InetSocketAddress;
import java.util.function.IntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One listening socket of the hub: the server on it now, and how to start a new one on the same port. */
final class Listener {
    private static final Logger LOG = Logger.getLogger(HubServer.class.getName());

    private final String name;
    private final String host;
    private final int port;
    private final IntFunction<WebServer> servers;
    private volatile WebServer server;

    /**
     * @param name what the log calls it ("the listener on port 8765", "the plain-HTTP listener on 127.0.0.1:41877")
     * @param host the address it is bound to
     * @param server the running server, whose port a restart binds again
     * @param servers makes a server, not yet started, for a port
     */
    Listener(String name, String host, WebServer server, IntFunction<WebServer> servers) {
        this.name = name;
        this.host = host;
        this.server = server;
        this.servers = servers;
        this.port = server.port();
    }

    int port() {
        return port;
    }

    WebServer server() {
        return server;
    }

    /** Returns where a connection proves the listener is there: a wildcard address is reached on loopback. */
    InetSocketAddress probeAddress() {
        String target = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host;
        return new InetSocketAddress(target, port);
    }

    /** Starts a new server on the same port after the old one gave up; a failure is logged and left to the next try. */
    void restart() {
        LOG.warning(name + " stopped accepting connections (for example when the process ran out of file "
                + "descriptors); starting it again");
        try {
            server.stop();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "stopping the old listener failed", e);
        }
        WebServer fresh = servers.apply(port);
        try {
            fresh.start();
        } catch (RuntimeException e) {
            LOG.warning(name + " did not start again (" + e.getMessage() + "); retrying");
            return;
        }
        if (!fresh.isRunning() || fresh.port() != port) {
            fresh.stop();
            LOG.warning(name + " did not start again; retrying");
            return;
        }
        server = fresh;
    }

    @Override
    public String toString() {
        return name;
    }

    void stop() {
        server.stop();
    }
}
