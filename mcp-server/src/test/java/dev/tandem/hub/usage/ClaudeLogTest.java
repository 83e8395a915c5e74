package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaudeLogTest {
    private static String line(String session, String messageId, String requestId, long output) {
        return "{\"type\":\"assistant\",\"timestamp\":\"2026-12-06T09:47:37.176Z\",\"sessionId\":\"" + session
                + "\",\"cwd\":\"/home/dev/p\",\"message\":{\"id\":\"" + messageId
                + "\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":3,\"output_tokens\":" + output + "}}"
                + (requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"") + "}";
    }

    private static List<UsageEvent> read(String... lines) {
        ClaudeLog log = new ClaudeLog("file-session", "-home-dev-p");
        for (String l : lines) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            assertTrue(log.read(b, 0, b.length, 0), l);
        }
        return log.drain().events();
    }

    @Test
    void eachResponseIsKeyedByItsOwnIdsWhateverTheLineBeforeIt() {
        List<UsageEvent> events = read(
                line("s1", "m1", "r1", 1),
                line("s1", "m1", "r1", 9), // a copy: the same key
                line("s1", "m1", "r2", 9),
                line("s1", "m2", "r2", 9),
                line("s1", "m2", null, 9),
                line("s1", "", null, 9),
                line("s1", "m2", null, 9),
                line("s1", "m2", "r2", 9));
        List<String> ids = List.of("m1:r1", "m1:r1", "m1:r2", "m2:r2", "m2", "", "m2", "m2:r2");
        assertEquals(ids.size(), events.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(UsageEvent.keyOf("claude", ids.get(i)), events.get(i).key(), "line " + i);
        }
    }

    @Test
    void responsesOfOneSessionShareItsStringsAndKeepTheirOwnValues() {
        List<UsageEvent> events = read(line("s1", "m1", "r1", 1), line("s1", "m2", "r2", 2), line("s2", "m3", "r3", 3));
        assertSame(events.get(0).session(), events.get(1).session());
        assertSame(events.get(0).model(), events.get(1).model());
        assertSame(events.get(0).project(), events.get(2).project());
        assertEquals(
                List.of("s1", "s1", "s2"),
                events.stream().map(UsageEvent::session).toList());
        assertEquals("/home/dev/p", events.get(2).project());
    }

    @Test
    void aSessionFolderOrModelLongerThanTheEngineWritesIsNotTaken() {
        String longSession = "s".repeat(LogFormat.MAX_SESSION + 1);
        String longCwd = "/" + "d".repeat(LogFormat.MAX_CWD);
        String longModel = "m".repeat(LogFormat.MAX_MODEL + 1);
        String base = line("s1", "m1", "r1", 1);
        ClaudeLog log = new ClaudeLog("file-session", "-home-dev-p");
        for (String l : List.of(
                base,
                line(longSession, "m2", "r2", 2).replace("/home/dev/p", longCwd),
                line("s1", "m3", "r3", 3).replace("claude-sonnet-4-5", longModel),
                line("s1", "m4", "r4", 4).replace("claude-sonnet-4-5", "m".repeat(LogFormat.MAX_MODEL)))) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            assertTrue(log.read(b, 0, b.length, 0), l);
        }
        LogFormat.Found found = log.drain();
        List<UsageEvent> events = found.events();
        assertEquals(3, events.size());
        // the file's own session and folder stand in for values no log of the engine has
        assertEquals("file-session", events.get(1).session());
        assertEquals("-home-dev-p", events.get(1).project());
        assertEquals(2, events.get(1).tokens().output());
        assertEquals("m".repeat(LogFormat.MAX_MODEL), events.get(2).model());
        // a model name no response has: the response is left out, and counted as damaged
        assertEquals(1, found.damaged().size());
        assertEquals(
                UsageEvent.keyOf("claude", "m3:r3"),
                found.damaged().get(0).response().key());
    }
}
