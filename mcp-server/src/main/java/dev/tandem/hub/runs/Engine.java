package dev.tandem.hub.runs;

import java.util.Arrays;
import java.util.Locale;

/** The agent CLIs the hub can run: OpenAI Codex CLI and Anthropic Claude Code. */
public enum Engine {
    CODEX("codex"),
    CLAUDE("claude");

    private final String wireName;

    Engine(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the name on the wire and the binary's usual name on {@code PATH}. */
    public String wireName() {
        return wireName;
    }

    /** Returns the engine named {@code name}. Thrown {@link IllegalArgumentException} naming the choices. */
    public static Engine of(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(e -> e.wireName.equals(n))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("engine must be codex or claude, got '" + name + "'"));
    }
}
