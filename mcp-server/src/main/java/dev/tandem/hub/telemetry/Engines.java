package dev.tandem.hub.telemetry;

import java.util.Locale;

/** The engine rule shared by tools and telemetry: which agent a client name belongs to. */
public final class Engines {
    private Engines() {}

    /**
     * Returns {@code codex} or {@code claude} when the client name says so, else {@code other}.
     *
     * <p>Codex CLI introduces itself as {@code codex-mcp-client}, Claude Code as {@code claude-code}.
     */
    public static String of(String clientName) {
        String n = clientName.toLowerCase(Locale.ROOT);
        if (n.contains("codex")) {
            return "codex";
        }
        if (n.contains("claude")) {
            return "claude";
        }
        return "other";
    }
}
