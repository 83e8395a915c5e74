package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a Codex rollout's reader takes from a stored state and from the lines: a session, model or folder longer than
 * any Codex writes is damaged, from either, and is not taken; what was there before stays.
 */
class CodexLogStateTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN_COUNT = "{\"timestamp\":\"2026-12-06T10:00:01Z\",\"type\":\"event_msg\","
            + "\"payload\":{\"type\":\"token_count\",\"info\":{\"last_token_usage\":{\"input_tokens\":10,"
            + "\"cached_input_tokens\":0,\"output_tokens\":1,\"reasoning_output_tokens\":0}}}}";

    private static String state(String session, String model, String cwd) {
        return JSON.writeValueAsString(java.util.Map.of("session", session, "model", model, "cwd", cwd));
    }

    private static List<UsageEvent> read(CodexLog log, String... lines) {
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            if (!log.read(b, 0, b.length, 0)) {
                try (var p = JsonFields.parser(b, 0, b.length)) {
                    log.read(p, 0);
                }
            }
        }
        return log.drain().events();
    }

    @Test
    void aStoredStateWithinTheBoundsIsTakenWhole() {
        String session = "s".repeat(CodexLog.MAX_SESSION);
        String model = "m".repeat(CodexLog.MAX_MODEL);
        String cwd = "/".repeat(CodexLog.MAX_CWD);
        CodexLog log = new CodexLog("file-session", state(session, model, cwd));
        UsageEvent e = read(log, TOKEN_COUNT).get(0);
        assertEquals(List.of(session, model, cwd), List.of(e.session(), e.model(), e.project()));
    }

    @Test
    void aStoredSessionModelOrFolderLongerThanCodexWritesIsNotTaken() {
        String state =
                state("s".repeat(CodexLog.MAX_SESSION + 1), "m".repeat(CodexLog.MAX_MODEL + 1), "/".repeat(1 << 20));
        CodexLog log = new CodexLog("file-session", state);
        UsageEvent e = read(log, TOKEN_COUNT).get(0);
        assertEquals(
                List.of("file-session", UsageEvent.UNKNOWN_MODEL, ""), List.of(e.session(), e.model(), e.project()));
        JsonNode next = JSON.readTree(log.state());
        assertEquals("file-session", next.path("session").asString());
        assertTrue(log.state().length() < 200, "the state written back is as small as a fresh one: " + log.state());
    }

    @Test
    void aStoredValueThatIsNoStringIsNotTaken() {
        CodexLog log = new CodexLog("file-session", "{\"session\":{\"a\":1},\"model\":[1],\"cwd\":7}");
        UsageEvent e = read(log, TOKEN_COUNT).get(0);
        assertEquals(
                List.of("file-session", UsageEvent.UNKNOWN_MODEL, ""), List.of(e.session(), e.model(), e.project()));
    }

    @Test
    void aLineWithASessionModelOrFolderLongerThanCodexWritesLeavesTheLastOneStanding() {
        CodexLog log = new CodexLog("file-session", state("t1", "gpt-5.5", "/work/api"));
        String meta = "{\"timestamp\":\"2026-12-06T10:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\""
                + "x".repeat(CodexLog.MAX_SESSION + 1) + "\",\"cwd\":\"/" + "d".repeat(CodexLog.MAX_CWD) + "\"}}";
        String turn = "{\"timestamp\":\"2026-12-06T10:00:00Z\",\"type\":\"turn_context\",\"payload\":{\"model\":\""
                + "g".repeat(CodexLog.MAX_MODEL + 1) + "\"}}";
        UsageEvent e = read(log, meta, turn, TOKEN_COUNT).get(0);
        assertEquals(List.of("t1", "gpt-5.5", "/work/api"), List.of(e.session(), e.model(), e.project()));
    }
}
