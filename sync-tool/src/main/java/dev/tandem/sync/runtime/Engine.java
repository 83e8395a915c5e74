package dev.tandem.sync.runtime;

import java.util.Locale;

/** Which client a command acts on. */
public enum Engine {
    CODEX,
    CLAUDE,
    ALL;

    /** Returns whether a manifest entry of {@code engine} ("codex", "claude", "shared") is in scope. */
    public boolean covers(String engine) {
        return this == ALL || engine.equals(name().toLowerCase(Locale.ROOT)) || engine.equals("shared");
    }

    /** Returns whether shared items (the auth helper) may be removed: only when acting on both clients. */
    public boolean ownsShared() {
        return this == ALL;
    }

    public boolean codex() {
        return this != CLAUDE;
    }

    public boolean claude() {
        return this != CODEX;
    }

    /** Returns the engines acted on, by name: {@code codex}, {@code claude}. */
    public java.util.List<String> names() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (codex()) {
            out.add("codex");
        }
        if (claude()) {
            out.add("claude");
        }
        return java.util.List.copyOf(out);
    }
}
