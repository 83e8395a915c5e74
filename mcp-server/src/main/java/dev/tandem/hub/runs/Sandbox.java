package dev.tandem.hub.runs;

import java.util.Arrays;
import java.util.List;

/**
 * What a run may change on disk. Codex enforces it with its own sandbox ({@code --sandbox}); Claude Code, which has
 * no such flag in {@code -p}, gets the nearest permission set (docs/jobs.md, "Sandbox and approvals").
 */
public enum Sandbox {
    READ_ONLY("read-only"),
    WORKSPACE_WRITE("workspace-write"),
    DANGER_FULL_ACCESS("danger-full-access");

    private final String wireName;

    Sandbox(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Returns the sandboxes a caller may ask for: danger-full-access only when {@code dangerAllowed}. */
    public static List<Sandbox> offered(boolean dangerAllowed) {
        return dangerAllowed ? List.of(values()) : List.of(READ_ONLY, WORKSPACE_WRITE);
    }

    /** Returns the sandbox named {@code name}. Thrown {@link IllegalArgumentException} naming the choices. */
    public static Sandbox of(String name) {
        return Arrays.stream(values())
                .filter(s -> s.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "sandbox must be read-only, workspace-write or danger-full-access, got '" + name + "'"));
    }
}
