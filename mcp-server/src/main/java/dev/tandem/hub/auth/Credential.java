package dev.tandem.hub.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which credential let a request in: {@code person} (the person's own token file, for the dashboard, {@code tandem}
 * commands and any other client), or an engine's own one, {@code codex} or {@code claude}. On a fleet hub, a key of
 * an enrolled machine: that host's own key ({@code host}) or the key of an engine on it ({@code codex},
 * {@code claude}), with {@link #host()} naming the machine. The hub derives the engine and the host of a request from
 * it, never from a name or header a client sends.
 *
 * @param name {@code person}, {@code codex}, {@code claude}, or {@code host} (an enrolled host's own key)
 * @param host the enrolled host whose key it is; empty for the credentials of the hub's own machine
 */
public record Credential(String name, Optional<String> host) {
    // before PERSON: the constructor checks against it
    private static final Set<String> NAMES = Set.of("person", "codex", "claude", "host");

    /** The person's own token. */
    public static final Credential PERSON = new Credential("person");

    public Credential {
        Objects.requireNonNull(host, "host");
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown credential " + name);
        }
        if (host.isPresent() ? name.equals("person") : name.equals("host")) {
            throw new IllegalArgumentException("credential " + name + " and host " + host + " do not go together");
        }
    }

    /** A credential of the hub's own machine. */
    public Credential(String name) {
        this(name, Optional.empty());
    }

    /** Returns the credential of {@code engine} ({@code codex} or {@code claude}) on the hub's own machine. */
    public static Credential engine(String engine) {
        return new Credential(engine);
    }

    /**
     * Returns the credential of enrolled host {@code host}: its own key when {@code engine} is empty, else the key of
     * that engine on it.
     */
    public static Credential enrolled(String host, Optional<String> engine) {
        return new Credential(engine.orElse("host"), Optional.of(host));
    }

    /**
     * Returns the engine this credential belongs to: {@code codex} or {@code claude}; {@code other} for the person's
     * token and a host's own key, which are no engine's (a client on them gets no engine's memories, tool profile or
     * delegation side).
     */
    public String engineName() {
        return name.equals("codex") || name.equals("claude") ? name : "other";
    }

    /** Returns whether this is the person's token on the hub's own machine: the only admin credential. */
    public boolean admin() {
        return this.equals(PERSON);
    }

    /** Returns the credential as telemetry and task owners record it: {@code name}, or {@code name@host}. */
    public String label() {
        return host.map(h -> name + "@" + h).orElse(name);
    }
}
