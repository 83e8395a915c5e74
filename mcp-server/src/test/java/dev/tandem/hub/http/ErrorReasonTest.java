package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorReasonTest {
    @Test
    void theReasonIsTheFirstNonBlankLineOfTheMessage() {
        assertEquals(
                "tool_error: no such memory: abc",
                RequestTelemetry.withReason("tool_error", "\n  no such memory: abc  \nsecond line"));
    }

    @Test
    void aLongReasonIsClipped() {
        String kept = RequestTelemetry.withReason("-32602", "x".repeat(5000));
        assertEquals("-32602: ".length() + RequestTelemetry.MAX_REASON, kept.length());
        assertTrue(kept.endsWith("…"), kept);
    }

    @Test
    void noMessageLeavesTheClassAlone() {
        assertEquals("tool_error", RequestTelemetry.withReason("tool_error", null));
        assertEquals("-32603", RequestTelemetry.withReason("-32603", " \n "));
    }
}
