package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
    /** What a changed byte becomes: JSON's structure, number and escape characters, a control byte, a high one. */
    private static final String FLIPS = " \"\\{}[],:0-.eE\u00ffnu\t\u0001ax";

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
        byte[] buf = new byte[3 + line.length + AFTER.length];
        buf[0] = '{';
        buf[1] = '"';
        buf[2] = '\n';
        System.arraycopy(line, 0, buf, 3, line.length);
        System.arraycopy(AFTER, 0, buf, 3 + line.length, AFTER.length);
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

    private static List<byte[]> fixtureLines() throws IOException {
        List<byte[]> lines = new ArrayList<>();
        for (String f : FIXTURES) {
            try (InputStream in = ClaudeLineBytesTest.class.getResourceAsStream("/usage/" + f)) {
                assertTrue(in != null, f);
                for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .lines()
                        .toList()) {
                    if (!l.isEmpty()) {
                        lines.add(l.getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return lines;
    }

    @Test
    void theRealCliLogsAreReadAsJacksonReadsThemAndEveryResponseLineSurely() throws IOException {
        int responses = 0;
        for (byte[] line : fixtureLines()) {
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
            // truncated
            check(Arrays.copyOf(line, r.nextInt(line.length)));
            // one byte changed, inserted or removed
            byte[] flip = line.clone();
            int at = r.nextInt(flip.length);
            flip[at] = (byte) FLIPS.charAt(r.nextInt(FLIPS.length()));
            check(flip);
            byte[] cut = new byte[line.length - 1];
            System.arraycopy(line, 0, cut, 0, at);
            System.arraycopy(line, at + 1, cut, at, line.length - at - 1);
            check(cut);
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
    private static final class Gen {
        private final Random r;
        private final boolean traps;
        boolean odd;

        Gen(Random r, boolean traps) {
            this.r = r;
            this.traps = traps;
        }

        private boolean p(int percent) {
            return r.nextInt(100) < percent;
        }

        private String ws() {
            return p(85) ? "" : new String[] {" ", "  ", "\t", "\r", " \t "}[r.nextInt(5)];
        }

        private String plainText(int max) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(max + 1);
            for (int k = 0; k < n; k++) {
                sb.append((char) ('a' + r.nextInt(26)));
                if (p(10)) {
                    sb.append(' ');
                }
            }
            return sb.toString();
        }

        /** A JSON string literal: plain, or with escapes and Unicode (raw or escaped). */
        private String str(String plain, boolean kept) {
            if (!traps || p(60)) {
                return "\"" + plain + "\"";
            }
            if (kept) {
                odd = true;
            }
            StringBuilder sb = new StringBuilder("\"").append(plain);
            int n = 1 + r.nextInt(4);
            for (int k = 0; k < n; k++) {
                sb.append(
                        switch (r.nextInt(12)) {
                            case 0 -> "\\n";
                            case 1 -> "\\\"";
                            case 2 -> "\\\\";
                            case 3 -> "\\u00e9";
                            case 4 -> "\\ud83d\\ude00";
                            case 5 -> "\u00e9t\u00e9";
                            case 6 -> "\ud83d\ude00";
                            case 7 -> "\u4e2d\u6587";
                            case 8 -> "\\/";
                            case 9 -> "\\t\\r\\b\\f";
                            case 10 -> "\\u0041";
                            default -> "\u00ff\u0100\u07ff\u0800\uffff";
                        });
            }
            if (kept && p(20)) {
                sb = new StringBuilder("\"").append(plain); // a plain kept value after all
            }
            return sb.append('"').toString();
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

        /** Any value, for fields that are skipped. */
        private String any(int depth) {
            int k = depth > 3 ? r.nextInt(6) : r.nextInt(9);
            return switch (k) {
                case 0 -> str(plainText(40), false);
                case 1 -> Integer.toString(r.nextInt(1000) - 500);
                case 2 -> new String[] {"1.5", "-0.25e-3", "6E10", "0", "-0", "1e400"}[r.nextInt(6)];
                case 3 -> "true";
                case 4 -> "false";
                case 5 -> "null";
                case 6 -> "[]";
                case 7 -> {
                    List<String> items = new ArrayList<>();
                    for (int j = r.nextInt(4); j > 0; j--) {
                        items.add(ws() + any(depth + 1) + ws());
                    }
                    yield "[" + String.join(",", items) + "]";
                }
                default -> {
                    List<String> f = new ArrayList<>();
                    for (int j = r.nextInt(4); j > 0; j--) {
                        f.add(field(plainText(8), any(depth + 1)));
                    }
                    yield obj(f);
                }
            };
        }

        private String field(String name, String value) {
            String key = "\"" + name + "\"";
            if (traps && p(3)) {
                odd = true; // a name with an escape may spell a kept one: left to Jackson
                key = str(name, false);
            }
            return ws() + key + ws() + ":" + ws() + value + ws();
        }

        /** An object of the fields, in random order, sometimes with a kept field given twice. */
        private String obj(List<String> fields) {
            List<String> f = new ArrayList<>(fields);
            java.util.Collections.shuffle(f, r);
            if (traps && !f.isEmpty() && p(5)) {
                odd = true;
                f.add(r.nextInt(f.size() + 1), f.get(r.nextInt(f.size())));
            }
            return "{" + String.join(",", f) + "}";
        }

        private String maybeOdd(String good) {
            if (traps && p(4)) {
                odd = true;
                return new String[] {"null", "1", "{}", "[]", "true"}[r.nextInt(5)];
            }
            return good;
        }

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
                String ts = String.format(
                        Locale.ROOT,
                        "2026-%02d-%02dT%02d:%02d:%02d.%03dZ",
                        1 + r.nextInt(12),
                        1 + r.nextInt(28),
                        r.nextInt(24),
                        r.nextInt(60),
                        r.nextInt(60),
                        r.nextInt(1000));
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
