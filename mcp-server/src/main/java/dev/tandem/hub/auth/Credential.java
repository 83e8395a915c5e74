package dev.tandem.hub.auth;

import java.util.Set;

/**
 * Which credential let a request in: {@code person} (the person's own token file, for the dashboard, {@code tandem}
 * commands and any other client), or an engine's own one, {@code codex} or {@code claude}. The hub derives the engine
 * of a request from it, never from the name a client gives itself.
 *
 * @param name {@code person}, {@code codex} or {@code claude}
 */
public record Credential(String name) {
    // before PERSON: the constructor checks against it
    private static final Set<String> NAMES = Set.of("person", "codex", "claude");

    /** The person's own token. */
    public static final Credential PERSON = new Credential("person");

    public Credential {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown credential " + name);
        }
    }

    /** Returns the credential of {@code engine} ({@code codex} or {@code claude}). */
    public static Credential engine(String engine) {
        return new Credential(engine);
    }

    /**
     * Returns the engine this credential belongs to: {@code codex} or {@code claude}; {@code other} for the person's
     * token, which is no engine's (a client on it gets no engine's memories, tool profile or delegation side).
     */
    public String engineName() {
        return this.equals(PERSON) ? "other" : name;
    }
}
