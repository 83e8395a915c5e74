package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;

/**
 * The byte-level reader of Claude lines against Jackson's reading, line by line: wherever it is sure, it must find
 * exactly what Jackson finds (responses, their keys, tokens, times, models, sessions, projects, MCP tool uses);
 * where it is not, Jackson reads the line. On the real CLIs' logs and on generated lines with every trap: field
 * order, whitespace, escapes and Unicode in kept and skipped strings, numbers in all JSON forms and some that are
 * not JSON, kept fields of other types or given twice, deep nesting, truncated lines, flipped bytes; each line is
 * also read with other bytes after its end in the buffer (the next line's), which must not be read.
 */
class ClaudeLineBytesTest {
    private static final String[] FIXTURES = {
        "claude-2.1.329-project-log-full.jsonl",
        "claude-2.1.329-project-log-priced-sonnet.jsonl",
        "claude-2.1.329-project-log-two-turns-then-resumed.jsonl",
        "claude-2.1.332-project-log-full.jsonl",
        "claude-subagent/session.jsonl",
        "claude-subagent/subagents-agent.jsonl",
        "mcp-tools-call-meta-codex-0.171.0-claude-2.1.332.jsonl",
    };
    private static final byte[] AFTER = "\"}]},\"x\":1}\n{\"type\":\"assistant\"".getBytes(StandardCharsets.UTF_8);

    private int sure;
    private int unsure;
    private int found;

    /** What Jackson finds in the line (nothing when it is no JSON object). */
    private static LogFormat.Found jackson(byte[] line) {
        ClaudeLog log = new ClaudeLog("file-session", "file-project");
        try (JsonParser p = JsonFields.parser(line, 0, line.length)) {
            log.read(p, 0);
        } catch (JacksonException e) {
            // not JSON: nothing
        }
        return log.drain();
    }

    /** Compares the two readings of one line, in a buffer where other bytes follow it. */
    private void check(byte[] line) {
        LogFormat.Found expected = jackson(line);
        byte[] buf = LineGen.amid(line, AFTER);
        ClaudeLog log = new ClaudeLog("file-session", "file-project");
        if (log.read(buf, 3, 3 + line.length, 0)) {
            sure++;
            LogFormat.Found got = log.drain();
            assertEquals(expected, got, () -> "line: " + new String(line, StandardCharsets.UTF_8));
            found += got.events().size();
        } else {
            unsure++;
            assertEquals(0, log.drain().events().size(), "an unsure reading adds nothing");
        }
        // alone in its array, too
        ClaudeLog alone = new ClaudeLog("file-session", "file-project");
        if (alone.read(line, 0, line.length, 0)) {
            assertEquals(expected, alone.drain(), () -> "alone: " + new String(line, StandardCharsets.UTF_8));
        }
    }

    @Test
    void theRealCliLogsAreReadAsJacksonReadsThemAndEveryResponseLineSurely() throws IOException {
        int responses = 0;
        for (byte[] line : LineGen.fixtureLines(FIXTURES)) {
            check(line);
            LogFormat.Found j = jackson(line);
            if (!j.events().isEmpty()) {
                responses++;
                ClaudeLog log = new ClaudeLog("s", "p");
                assertTrue(
                        log.read(line, 0, line.length, 0),
                        () -> "a response line of the real CLI went to Jackson: "
                                + new String(line, StandardCharsets.UTF_8));
            }
            // cut anywhere: never more than Jackson finds in the cut line
            for (int cut = 1; cut < line.length; cut += Math.max(1, line.length / 97)) {
                check(Arrays.copyOf(line, cut));
            }
        }
        assertTrue(responses >= 10, "the fixtures hold responses: " + responses);
        assertTrue(found >= responses, "found " + found);
    }

    @Test
    void generatedLinesWithEveryTrapAreReadAsJacksonReadsThem() {
        Random r = new Random(20261207);
        int plainSure = 0;
        int plain = 0;
        for (int n = 0; n < 6000; n++) {
            Gen g = new Gen(r, n % 3 == 0);
            String text = g.line();
            byte[] line = text.getBytes(StandardCharsets.UTF_8);
            int before = sure;
            check(line);
            if (!g.odd) {
                plain++;
                plainSure += sure - before;
            }
            for (byte[] d : LineGen.damaged(line, r)) {
                check(d);
            }
        }
        // not a check that cannot fail: most well-formed lines are read from their bytes, and hold responses
        assertTrue(plain > 1000, "plain lines: " + plain);
        assertTrue(plainSure > plain * 9 / 10, plainSure + " of " + plain + " well-formed lines read surely");
        assertTrue(found > 1000, "responses found surely: " + found);
        assertTrue(unsure > 1000, "unsure: " + unsure);
    }

    @Test
    void nestingDeeperThanJacksonAllowsIsLeftToJackson() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        byte[] line = ("{\"type\":\"assistant\",\"x\":" + deep + ",\"timestamp\":\"2026-12-06T10:00:00Z\","
                        + "\"message\":{\"id\":\"m\",\"model\":\"claude-x\",\"usage\":{\"output_tokens\":1}}}")
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(new ClaudeLog("s", "p").read(line, 0, line.length, 0));
        check(line);
    }

    /** A Claude log line, mostly well-formed; {@code odd} when it holds a trap the byte reader should refuse. */
    private static final class Gen extends LineGen {
        Gen(Random r, boolean traps) {
            super(r, traps, 60, 3);
        }

        /** A whole number for a kept field; sometimes in another JSON form, or not JSON. */
        private String num() {
            long v = r.nextInt(5) == 0 ? r.nextLong(1L << 40) : r.nextInt(100_000);
            if (!traps || p(60)) {
                return Long.toString(v);
            }
            odd = true;
            return switch (r.nextInt(14)) {
                case 0 -> "-" + v;
                case 1 -> v + ".0";
                case 2 -> v + ".75";
                case 3 -> v + "e2";
                case 4 -> "1E+3";
                case 5 -> "12345678901234567890123";
                case 6 -> "0" + v;
                case 7 -> "-0";
                case 8 -> "null";
                case 9 -> "\"" + v + "\"";
                case 10 -> "{\"a\":" + v + "}";
                case 11 -> "[" + v + "]";
                case 12 -> "999999999999999999";
                default -> "true";
            };
        }

        @Override
        String line() {
            List<String> usage = new ArrayList<>();
            usage.add(field("input_tokens", num()));
            usage.add(field("output_tokens", num()));
            if (p(80)) {
                usage.add(field("cache_read_input_tokens", num()));
            }
            if (p(80)) {
                usage.add(field("cache_creation_input_tokens", num()));
            }
            if (p(50)) {
                usage.add(field(
                        "cache_creation",
                        maybeOdd(obj(List.of(
                                field("ephemeral_5m_input_tokens", num()),
                                field("ephemeral_1h_input_tokens", num()))))));
            }
            if (p(20)) {
                usage.add(field("output_tokens_details", maybeOdd(obj(List.of(field("thinking_tokens", num()))))));
            }
            if (p(20)) {
                usage.add(field("speed", maybeOdd(str(p(50) ? "fast" : "standard", true))));
            }
            usage.add(field("service_tier", str("standard", false)));
            if (p(30)) {
                usage.add(field("server_tool_use", any(2)));
            }
            List<String> content = new ArrayList<>();
            for (int k = r.nextInt(4); k > 0; k--) {
                List<String> block = new ArrayList<>();
                boolean tool = p(40);
                block.add(field("type", str(tool ? "tool_use" : p(50) ? "text" : "thinking", true)));
                if (tool) {
                    block.add(field("id", str("toolu_" + plainText(6), true)));
                    block.add(field("name", str(p(60) ? "mcp__tandem__memory_search" : "Bash", true)));
                    block.add(field("input", any(1)));
                } else {
                    block.add(field("text", str(plainText(300), false)));
                }
                content.add(ws() + obj(block) + ws());
            }
            List<String> message = new ArrayList<>();
            message.add(field("id", maybeOdd(str("msg_" + plainText(8), true))));
            message.add(field("type", str("message", false)));
            message.add(field("role", str("assistant", false)));
            message.add(field(
                    "model",
                    maybeOdd(str(
                            new String[] {"claude-sonnet-4-5-20250929", "<synthetic>", "claude-opus-4-5", ""}
                                    [r.nextInt(4)],
                            true))));
            message.add(field("content", maybeOdd("[" + String.join(",", content) + "]")));
            if (p(95)) {
                message.add(field("usage", maybeOdd(obj(usage))));
            }
            if (p(20)) {
                message.add(field("stop_reason", any(1)));
            }
            List<String> top = new ArrayList<>();
            top.add(field("parentUuid", p(50) ? "null" : str(plainText(10), false)));
            top.add(field("isSidechain", "false"));
            top.add(field("type", maybeOdd(str(p(90) ? "assistant" : "user", true))));
            if (p(95)) {
                String ts = time();
                top.add(field("timestamp", maybeOdd(str(p(95) ? ts : "yesterday", true))));
            }
            if (p(90)) {
                top.add(field("sessionId", maybeOdd(str("s-" + plainText(6), true))));
            }
            if (p(90)) {
                top.add(field("cwd", maybeOdd(str("/work/" + plainText(6), true))));
            }
            if (p(80)) {
                top.add(field("requestId", maybeOdd(str("req_" + plainText(6), true))));
            }
            top.add(field("message", maybeOdd(obj(message))));
            for (int k = r.nextInt(3); k > 0; k--) {
                top.add(field("x" + plainText(5), any(0)));
            }
            return ws() + obj(top) + ws() + (traps && p(5) ? "garbage" : "");
        }
    }
}
