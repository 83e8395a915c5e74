package dev.tandem.core.telemetry;

import java.util.Locale;

/** How a request ended. */
public enum Outcome {
    /** A result that is not a tool error. */
    OK,
    /** A {@code tools/call} result with {@code isError: true}. */
    TOOL_ERROR,
    /** A JSON-RPC error reply. */
    RPC_ERROR;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** Returns the stored spelling: {@code ok}, {@code tool_error}, {@code rpc_error}. */
    public String wireName() {
        return wireName;
    }

    /** Returns the outcome stored as {@code wireName}. */
    public static Outcome of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
