package dev.tandem.hub.http;

import dev.tandem.hub.auth.Credential;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** One MCP session as the transport tracks it: the SDK session, who opened it, and when it was last used. */
final class HubSession {
    final McpStreamableServerSession session;
    final String clientName;
    final String clientVersion;
    final String protocolVersion;
    /** The credential of the {@code initialize} request; every later request of the session must bring the same. */
    final Credential credential;

    final Set<ListeningStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastActive;

    HubSession(
            McpStreamableServerSession session,
            String clientName,
            String clientVersion,
            String protocolVersion,
            Credential credential,
            long now) {
        this.session = session;
        this.clientName = clientName;
        this.clientVersion = clientVersion;
        this.protocolVersion = protocolVersion;
        this.credential = credential;
        this.lastActive = new AtomicLong(now);
    }

    String id() {
        return session.getId();
    }

    void touch(long now) {
        lastActive.accumulateAndGet(now, Math::max);
    }

    /** Returns when the session was last used, in the transport clock's milliseconds. */
    long lastActive() {
        return lastActive.get();
    }

    /** Returns whether a GET stream of the session is open. */
    boolean streaming() {
        streams.removeIf(s -> !s.isOpen());
        return !streams.isEmpty();
    }

    /** Returns whether nothing happened for longer than {@code idleMillis} and no GET stream is open. */
    boolean idleSince(long now, long idleMillis) {
        streams.removeIf(s -> !s.isOpen());
        return streams.isEmpty() && now - lastActive.get() > idleMillis;
    }

    void closeStreams() {
        streams.forEach(ListeningStream::close);
        streams.clear();
    }
}
