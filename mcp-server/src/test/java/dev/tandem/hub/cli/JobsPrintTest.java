package dev.tandem.hub.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class JobsPrintTest {
    @Test
    void aProtectedFileAnEarlierLookDidNotReachSaysWhetherTheJobChangedItIsUnknown() {
        String json = """
                {"id":"abcd2345","engine":"codex","mode":"interactive","status":"completed","dir":"/work/shop",
                 "protected_changes":[{"path":"/work/shop","change":"unchecked"},
                                      {"path":"/work/shop/.envrc","change":"present"},
                                      {"path":"/work/shop/.mcp.json","change":"added"}]}
                """;
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            JobsPrint.record(out, HubClient.JSON.readTree(json));
        }
        String shown = text.toString();
        assertTrue(
                shown.contains("PROTECTED:  present /work/shop/.envrc  (there now; an earlier look did not reach it,"
                        + " so whether the job changed it is unknown: review it)"),
                shown);
        assertTrue(shown.contains("PROTECTED:  unchecked /work/shop  (changes may have been missed"), shown);
        assertTrue(shown.contains("PROTECTED:  added /work/shop/.mcp.json  (runs code when the project"), shown);
    }
}
