package dev.tandem.core.fleet;

import java.util.Optional;

/**
 * What the fleet made of a presented key.
 *
 * @param host the host whose key it is, when it let the request in
 * @param engine the engine whose key it is ({@code codex}, {@code claude}); empty for the host's own key
 * @param refusal why it was refused (for the hub's log, never the client): empty when accepted
 */
public record KeyCheck(Optional<String> host, Optional<String> engine, Optional<String> refusal) {
    /** Returns an acceptance. */
    public static KeyCheck accepted(String host, Optional<String> engine) {
        return new KeyCheck(Optional.of(host), engine, Optional.empty());
    }

    /** Returns a refusal for {@code why}. */
    public static KeyCheck refused(String why) {
        return new KeyCheck(Optional.empty(), Optional.empty(), Optional.of(why));
    }

    public boolean accepted() {
        return host.isPresent();
    }
}
