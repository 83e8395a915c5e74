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
 * The byte-level reader of Codex rollout lines against Jackson's reading: wherever it is sure, the log must end in
 * exactly the state Jackson's reading leaves (responses with their keys, tokens, times, sessions, projects and
 * models; rate-limit windows; the state saved to go on: session, model, project, running totals); where it is not,
 * nothing changed and Jackson reads the line. Each line is read from two starting states (a fresh file, and one with
 * a session, a model and running totals), with the next line's bytes after its end in the buffer, which must not be
 * read; whole files are also read line by line both ways, as the scanner does. On the real CLI's rollouts, cut at
 * many places, and on generated lines with every trap: field order, whitespace, escapes and Unicode in kept and
 * skipped strings, numbers in all JSON forms and some that are not JSON, null {@code info}, usages, windows and
 * window fields, kept fields of other types or given twice, impossible counts and reset times, trailing bytes.
 */
class CodexLineBytesTest {
    private static final String[] FIXTURES = {
        "codex-0.169.0-rollout-app-server-approvals-resumed.jsonl",
        "codex-0.169.0-rollout-full-then-resumed.jsonl",
        "codex-0.169.0-rollout-usage-limit-429.jsonl",
        "codex-0.171.0-rollout-full.jsonl",
    };
    /** Where a line starts in its file: part of the key of a response known by its time alone. */
    private static final long OFFSET = 4242;
    /** A fresh file, and one read up to a response before (the state as {@link CodexLog#state} writes it). */
    private static final String[] STATES = {
        "", "{\"session\":\"kept-session\",\"model\":\"gpt-kept\",\"cwd\":\"/kept\",\"total\":[5000,1000,500,50,10]}"
    };

    private static final byte[] AFTER = "\"}]},\"x\":1}\n{\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\""
            .getBytes(StandardCharsets.UTF_8);

    private int sure;
    private int unsure;
    private int found;
    private int limits;

    /** What a log holds after reading: what it found, and what it saves to go on. */
    private record After(LogFormat.Found found, String state) {
        static After of(CodexLog log) {
            return new After(log.drain(), log.state());
        }
    }

    private static void jackson(CodexLog log, byte[] line) {
        try (JsonParser p = JsonFields.parser(line, 0, line.length)) {
            log.read(p, OFFSET);
        } catch (JacksonException e) {
            // not JSON: nothing
        }
    }

    /** What Jackson's reading leaves, from the given state. */
    private static After jackson(byte[] line, String state) {
        CodexLog log = new CodexLog("file-session", state);
        jackson(log, line);
        return After.of(log);
    }

    /** Compares the two readings of one line from each starting state, in a buffer where other bytes follow it. */
    private void check(byte[] line) {
        for (String state : STATES) {
            After expected = jackson(line, state);
            byte[] buf = LineGen.amid(line, AFTER);
            CodexLog log = new CodexLog("file-session", state);
            if (log.read(buf, 3, 3 + line.length, OFFSET)) {
                sure++;
                After got = After.of(log);
                assertEquals(expected, got, () -> "line: " + new String(line, StandardCharsets.UTF_8));
                found += got.found().events().size();
                limits += got.found().limits().size();
            } else {
                unsure++;
                assertEquals(
                        After.of(new CodexLog("file-session", state)),
                        After.of(log),
                        "an unsure reading changes nothing");
            }
            // alone in its array, too
            CodexLog alone = new CodexLog("file-session", state);
            if (alone.read(line, 0, line.length, OFFSET)) {
                assertEquals(expected, After.of(alone), () -> "alone: " + new String(line, StandardCharsets.UTF_8));
            }
        }
    }

    /** One file read both ways, line after line: by Jackson alone, and from the bytes where sure as the scanner does. */
    private static final class Both {
        private final CodexLog jackson;
        private final CodexLog bytes;

        Both(String fallbackSession) {
            jackson = new CodexLog(fallbackSession, "");
            bytes = new CodexLog(fallbackSession, "");
        }

        void read(byte[] line) {
            CodexLineBytesTest.jackson(jackson, line);
            if (!bytes.read(line, 0, line.length, OFFSET)) {
                CodexLineBytesTest.jackson(bytes, line);
            }
            assertEquals(
                    After.of(jackson), After.of(bytes), () -> "after: " + new String(line, StandardCharsets.UTF_8));
        }
    }

    @Test
    void theRealCliRolloutsAreReadAsJacksonReadsThemAndEveryWantedLineSurely() throws IOException {
        int wanted = 0;
        for (String fixture : FIXTURES) {
            Both both = new Both("file-session");
            for (byte[] line : LineGen.fixtureLines(fixture)) {
                both.read(line);
                check(line);
                CodexLog log = new CodexLog("s", "");
                if (log.wanted(line, 0, line.length)) {
                    wanted++;
                    assertTrue(
                            log.read(line, 0, line.length, OFFSET),
                            () -> "a wanted line of the real CLI went to Jackson: "
                                    + new String(line, StandardCharsets.UTF_8));
                }
                // cut anywhere: the same as Jackson's reading of the cut line (which finds nothing)
                for (int cut = 1; cut < line.length; cut += Math.max(1, line.length / 97)) {
                    check(Arrays.copyOf(line, cut));
                }
            }
        }
        assertTrue(wanted >= 20, "the fixtures hold session heads, turn contexts and token counts: " + wanted);
        assertTrue(found >= 20, "responses found surely: " + found);
        assertTrue(limits >= 4, "rate-limit windows found surely: " + limits);
    }

    @Test
    void generatedLinesWithEveryTrapAreReadAsJacksonReadsThem() {
        Random r = new Random(20261207);
        Both both = new Both("file-session");
        int plainSure = 0;
        int plain = 0;
        int oddSure = 0;
        for (int n = 0; n < 6000; n++) {
            Gen g = new Gen(r, n % 3 == 0);
            byte[] line = g.line().getBytes(StandardCharsets.UTF_8);
            int before = sure;
            check(line);
            both.read(line);
            if (!g.odd) {
                plain++;
                plainSure += sure - before;
            } else {
                oddSure += sure - before;
            }
            for (byte[] d : LineGen.damaged(line, r)) {
                check(d);
                both.read(d);
            }
        }
        // not a check that cannot fail: most well-formed lines are read from their bytes, and hold responses
        assertTrue(plain > 1000, "plain lines: " + plain);
        assertTrue(plainSure > plain * 2 * 9 / 10, plainSure + " readings of " + plain + " well-formed lines sure");
        assertTrue(found > 1000, "responses found surely: " + found);
        assertTrue(limits > 500, "rate-limit windows found surely: " + limits);
        assertTrue(unsure > 1000, "unsure: " + unsure);
        // and the traps the reader takes (nulls, numbers of other forms, Unicode in skipped strings) are compared
        assertTrue(oddSure > 300, "readings of lines with a trap sure: " + oddSure);
    }

    /** Each kept number given in each form, JSON's and others, one at a time in an otherwise plain token count. */
    @Test
    void everyFormOfEveryKeptNumberIsReadAsJacksonReadsIt() {
        String[] forms = {
            "0",
            "-0",
            "7",
            "-7",
            "12.5",
            "-0.0",
            "0.1",
            "1e2",
            "1E-2",
            "1e+2",
            "5.000000000000001",
            "33.333333333333333333333",
            "2.5e-320",
            "1e400",
            "-1e400",
            "123456789012345678",
            "1234567890123456789",
            "9223372036854775807",
            "12345678901234567890123",
            "1796560000",
            "1796560000.5",
            "31556889864403200",
            "1125899906842624",
            "1125899906842625",
            "01",
            "1.",
            "-",
            ".5",
            "+1",
            "1e",
            "0x10",
            "NaN",
            "Infinity",
            "null",
            "true",
            "\"1\"",
            "[]",
            "{}",
            "1 ",
            " 1"
        };
        String line = "{\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":"
                + "\"token_count\",\"info\":{\"total_token_usage\":{\"input_tokens\":#0,\"cached_input_tokens\":#1,"
                + "\"cache_write_input_tokens\":#2,\"output_tokens\":#3,\"reasoning_output_tokens\":#4},"
                + "\"last_token_usage\":{\"input_tokens\":#5,\"cached_input_tokens\":#6,\"output_tokens\":#7}},"
                + "\"rate_limits\":{\"primary\":{\"used_percent\":#8,\"window_minutes\":#9,\"resets_at\":#10},"
                + "\"secondary\":{\"used_percent\":#11,\"resets_in_seconds\":#12}}}}";
        String[] plain = {
            "9000", "3000", "100", "700", "50", "1200", "1000", "60", "12.5", "300", "1796560000", "40", "600"
        };
        int before = sure;
        for (int slot = 0; slot < plain.length; slot++) {
            for (String form : forms) {
                String text = line;
                for (int k = plain.length - 1; k >= 0; k--) {
                    text = text.replace("#" + k, k == slot ? form : plain[k]);
                }
                check(text.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(sure - before > plain.length * 2 * 10, "sure readings: " + (sure - before));
    }

    @Test
    void nestingDeeperThanJacksonAllowsIsLeftToJackson() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        byte[] line = ("{\"timestamp\":\"2026-12-06T10:00:00Z\",\"type\":\"event_msg\",\"payload\":{\"type\":"
                        + "\"token_count\",\"x\":" + deep + ",\"info\":{\"last_token_usage\":{\"output_tokens\":1}}}}")
                .getBytes(StandardCharsets.UTF_8);
        assertFalse(new CodexLog("s", "").read(line, 0, line.length, OFFSET));
        check(line);
    }

    /** A Codex rollout line, mostly well-formed; {@code odd} when it holds a trap the byte reader should refuse. */
    private static final class Gen extends LineGen {
        Gen(Random r, boolean traps) {
            super(r, traps, 90, 1);
        }

        private String num() {
            long v = p(20) ? r.nextLong(1L << 40) : r.nextInt(200_000);
            if (!traps || p(95)) {
                return Long.toString(v);
            }
            odd = true;
            return pick(new String[] {
                "-" + v,
                v + ".0",
                v + ".75",
                v + "e2",
                "1E+3",
                "12345678901234567890123",
                "0" + v,
                "-0",
                "null",
                "\"" + v + "\"",
                "{\"a\":" + v + "}",
                "[" + v + "]",
                "999999999999999999",
                "1125899906842625",
                "true"
            });
        }

        /** A window's used percent, in the forms Codex writes and others. */
        private String percent() {
            if (!traps || p(40)) {
                return pick(
                        new String[] {"12.5", "40.0", "100.0", "0.0", "7", "99.9", Integer.toString(r.nextInt(101))});
            }
            odd = true;
            return pick(new String[] {
                "-0",
                "-0.0",
                "1e2",
                "1E-2",
                "0.1",
                "5.000000000000001",
                "33.333333333333333333333",
                "2.5e-320",
                "1e400",
                "-12.5",
                "12345678901234567890",
                "null",
                "\"12\"",
                "true",
                "[]",
                "{}"
            });
        }

        /** Epoch seconds, or seconds from now, as a reset time. */
        private String seconds() {
            if (!traps || p(40)) {
                return pick(new String[] {"1796560000", "1797000000", Integer.toString(r.nextInt(20_000)), "null"});
            }
            odd = true;
            return pick(new String[] {
                "1796560000.5",
                "1.79656E9",
                "-5",
                "1e300",
                "-1e300",
                "31556889864403200",
                "9000000000000000000",
                "9223372036854775807",
                "\"soon\"",
                "{}",
                "false"
            });
        }

        /** A line's time: mostly as Codex writes it, sometimes another ISO form or none. */
        private String timestamp() {
            return p(97)
                    ? time()
                    : pick(new String[] {"yesterday", "2026-12-06T10:00:00+01:00", "2026-02-30T10:00:00Z"});
        }

        private String usage() {
            List<String> u = new ArrayList<>();
            u.add(field("input_tokens", num()));
            u.add(field("cached_input_tokens", num()));
            if (p(70)) {
                u.add(field("cache_write_input_tokens", num()));
            }
            u.add(field("output_tokens", num()));
            u.add(field("reasoning_output_tokens", num()));
            u.add(field("total_tokens", p(90) ? "1050" : any(2)));
            return p(5) ? "null" : maybeOdd(obj(u));
        }

        private String window(int minutes) {
            if (p(60)) {
                return "null";
            }
            List<String> w = new ArrayList<>();
            if (p(95)) {
                w.add(field("used_percent", percent()));
            }
            w.add(field("window_minutes", p(90) ? Integer.toString(minutes) : p(50) ? "null" : num()));
            if (p(80)) {
                w.add(field("resets_at", seconds()));
            }
            if (p(20)) {
                w.add(field("resets_in_seconds", seconds()));
            }
            return maybeOdd(obj(w));
        }

        private List<String> tokenCount() {
            List<String> payload = new ArrayList<>();
            payload.add(field("type", maybeOdd(str(p(95) ? "token_count" : "agent_message", true))));
            if (p(90)) {
                List<String> info = new ArrayList<>();
                if (p(90)) {
                    info.add(field("total_token_usage", usage()));
                }
                if (p(80)) {
                    info.add(field("last_token_usage", usage()));
                }
                info.add(field("last_usage_includes_reasoning", "false"));
                info.add(field("model_context_window", "258400"));
                payload.add(field("info", p(10) ? "null" : maybeOdd(obj(info))));
            }
            if (p(90)) {
                List<String> rl = new ArrayList<>();
                rl.add(field("limit_id", str("codex", false)));
                rl.add(field("limit_name", "null"));
                rl.add(field("primary", window(300)));
                rl.add(field("secondary", window(10080)));
                rl.add(field("credits", p(80) ? "null" : any(2)));
                rl.add(field("plan_type", "null"));
                payload.add(field("rate_limits", p(10) ? "null" : maybeOdd(obj(rl))));
            }
            return payload;
        }

        private List<String> sessionMeta(String cwd) {
            List<String> payload = new ArrayList<>();
            String id = "01a24ac5-" + plainText(8);
            payload.add(field("session_id", str(id, false)));
            if (p(95)) {
                payload.add(field("id", maybeOdd(str(id, true))));
            }
            payload.add(field("timestamp", str(timestamp(), false)));
            if (p(95)) {
                payload.add(field("cwd", maybeOdd(str(cwd, true))));
            }
            payload.add(field("cli_version", str("0.169.0", false)));
            payload.add(field("base_instructions", obj(List.of(field("text", str(plainText(400), false))))));
            return payload;
        }

        private List<String> turnContext(String cwd) {
            List<String> payload = new ArrayList<>();
            payload.add(field("turn_id", str(plainText(12), false)));
            if (p(90)) {
                payload.add(field("cwd", maybeOdd(str(cwd, true))));
            }
            if (p(95)) {
                String model = pick(new String[] {"gpt-5.5", "gpt-5.3-codex", "gpt-5.1-codex-mini", "", " \t"});
                payload.add(field("model", maybeOdd(str(model, true))));
            }
            payload.add(field(
                    "collaboration_mode",
                    obj(List.of(
                            field("mode", str("default", false)),
                            field("settings", obj(List.of(field("model", str("gpt-nested", false)))))))));
            payload.add(field("developer_instructions", str(plainText(200), false)));
            return payload;
        }

        @Override
        String line() {
            String cwd = "/work/" + plainText(6);
            int kind = r.nextInt(10);
            String type;
            List<String> payload;
            if (kind == 0) {
                type = "session_meta";
                payload = sessionMeta(cwd);
            } else if (kind == 1) {
                type = "turn_context";
                payload = turnContext(cwd);
            } else if (kind == 2) {
                type = "response_item";
                payload = List.of(field("type", str("message", false)), field("content", any(1)));
            } else {
                type = "event_msg";
                payload = tokenCount();
            }
            List<String> top = new ArrayList<>();
            if (p(97)) {
                top.add(field("timestamp", maybeOdd(str(timestamp(), true))));
            }
            top.add(field("ordinal", Integer.toString(r.nextInt(100))));
            top.add(field("type", maybeOdd(str(type, true))));
            top.add(field("payload", maybeOdd(obj(payload))));
            for (int k = r.nextInt(3); k > 0; k--) {
                top.add(field("x" + plainText(5), any(0)));
            }
            return ws() + obj(top) + ws() + (traps && p(5) ? "garbage" : "");
        }
    }
}
