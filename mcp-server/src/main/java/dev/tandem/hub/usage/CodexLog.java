package dev.tandem.hub.usage;

import dev.tandem.core.usage.DamagedResponse;
import dev.tandem.core.usage.PriceTier;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Codex CLI's rollouts ({@code sessions/YYYY/MM/DD/rollout-*.jsonl}, {@code archived_sessions/}): one response per
 * {@code event_msg} of type {@code token_count} with a non-null {@code info}, its tokens from
 * {@code last_token_usage} (or, where that is missing, the growth of {@code total_token_usage}); the model from the
 * last {@code turn_context}; the session from {@code session_meta}. {@code token_usage_record} lines repeat the same
 * responses and are not read. A response is keyed by its session and the thread's running totals, which a repeated
 * {@code token_count} repeats too. {@code cached_input_tokens} (and cache writes) are part of {@code input_tokens};
 * {@code reasoning_output_tokens} is part of {@code output_tokens}. {@code rate_limits.primary/secondary} give the
 * rate-limit windows; a null window leaves the last one standing.
 */
final class CodexLog implements LogFormat {
    static final String ENGINE = "codex";

    private static final byte[][] NEEDLES = {
        "\"token_count\"".getBytes(StandardCharsets.US_ASCII),
        "\"turn_context\"".getBytes(StandardCharsets.US_ASCII),
        "\"session_meta\"".getBytes(StandardCharsets.US_ASCII)
    };
    private static final byte[] PAYLOAD_TYPE = "\"payload\":{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE_ITEM = "\"type\":\"response_item\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE_KEY = "\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPEN_BRACE = {'{'};
    private static final byte[] EVENT_MSG = "event_msg".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN_COUNT = "token_count".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TURN_CONTEXT = "turn_context".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SESSION_META = "session_meta".getBytes(StandardCharsets.US_ASCII);
    private static final int PREFIX = 512;
    /**
     * More tokens of a kind than a thread's running totals reach (2^50, about 10^15): they add up every request of the
     * thread, far beyond one response's {@link #MAX_TOKENS}; totals above it are damaged.
     */
    static final long MAX_TOTAL = 1L << 50;

    /** Reads a cursor's state; built only when a file is read on from a cursor (never in a cold run). */
    private static final class State {
        static final JsonMapper READER = JsonMapper.builder().build();
    }

    private final int[] value = new int[1];
    private final CodexLineBytes bytes = new CodexLineBytes();
    private final List<UsageEvent> events = new ArrayList<>();
    private final List<Damaged> damaged = new ArrayList<>();
    /** The newest report of each window since the last drain. */
    private final Map<String, RateLimit> limits = new LinkedHashMap<>();

    private String session;
    private String model = UsageEvent.UNKNOWN_MODEL;
    private String cwd = "";
    /** The thread's running totals: input, cached, output, reasoning, cache writes; null before the first. */
    private long[] total;

    /**
     * @param fallbackSession the session when the file has no {@code session_meta} (the id in its name)
     * @param state what the previous read of this file left, {@code ""} for none
     */
    CodexLog(String fallbackSession, String state) {
        this.session = fallbackSession;
        restore(state);
    }

    @Override
    public boolean wanted(byte[] b, int start, int end) {
        int prefix = Math.min(end, start + PREFIX);
        int decided = byType(b, start, prefix);
        if (decided >= 0) {
            return decided == 1;
        }
        if (any(b, start, prefix)) {
            return true;
        }
        if (prefix == end || decidedByPrefix(b, start, prefix)) {
            return false;
        }
        return any(b, prefix - 16, end);
    }

    @Override
    public boolean wantedLong(byte[] b, int start, int end) {
        int prefix = Math.min(end, start + PREFIX);
        int decided = byType(b, start, prefix);
        if (decided >= 0) {
            return decided == 1;
        }
        return any(b, start, prefix) || !decidedByPrefix(b, start, prefix);
    }

    /**
     * Judges a line by its own {@code type} and its payload's, read from its first bytes (a token count begins
     * {@code "timestamp":…,"type":"event_msg","payload":"type":"token_count"} but with braces): 1 wanted, 0 not, -1
     * when they are not there.
     */
    private int byType(byte[] b, int start, int prefix) {
        int end = JsonFields.valueEnd(b, start, prefix, TYPE_KEY, value);
        if (end < 0 || JsonFields.indexOf(b, start + 1, value[0], OPEN_BRACE) >= 0) {
            return -1; // no type yet, or the first one is inside a nested object
        }
        if (JsonFields.equals(b, value[0], end, TURN_CONTEXT) || JsonFields.equals(b, value[0], end, SESSION_META)) {
            return 1;
        }
        if (!JsonFields.equals(b, value[0], end, EVENT_MSG)) {
            return 0;
        }
        int payload = JsonFields.valueEnd(b, end, prefix, PAYLOAD_TYPE, value);
        return payload < 0 ? -1 : JsonFields.equals(b, value[0], payload, TOKEN_COUNT) ? 1 : 0;
    }

    private static boolean any(byte[] b, int from, int to) {
        for (byte[] n : NEEDLES) {
            if (JsonFields.indexOf(b, from, to, n) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether the beginning already names the line's type or its payload's, and it is none of ours. */
    private static boolean decidedByPrefix(byte[] b, int start, int prefix) {
        return JsonFields.indexOf(b, start, prefix, PAYLOAD_TYPE) >= 0
                || JsonFields.indexOf(b, start, prefix, RESPONSE_ITEM) >= 0;
    }

    /** What one line holds, as far as it matters here. */
    static final class Line {
        String type = "";
        Optional<String> timestamp = Optional.empty();
        String payloadType = "";
        Optional<String> id = Optional.empty();
        Optional<String> model = Optional.empty();
        Optional<String> cwd = Optional.empty();
        boolean infoPresent;
        long[] last;
        long[] totals;
        final Map<String, Window> windows = new LinkedHashMap<>();
    }

    /** A rate-limit window as written. */
    static final class Window {
        Optional<Double> usedPercent = Optional.empty();
        long windowMinutes;
        Optional<Long> resetsAt = Optional.empty();
        Optional<Long> resetsInSeconds = Optional.empty();
    }

    /** Reads the line from its bytes when {@link CodexLineBytes} is sure of it; false leaves it to Jackson. */
    @Override
    public boolean read(byte[] b, int start, int end, long offset) {
        Line l = new Line();
        if (!bytes.read(b, start, end, l)) {
            return false;
        }
        add(l, offset);
        return true;
    }

    @Override
    public void read(JsonParser p, long offset) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return;
        }
        Line l = new Line();
        JsonFields.object(p, (name, t) -> switch (name) {
            case "type" -> {
                l.type = JsonFields.string(p, t).orElse("");
                yield true;
            }
            case "timestamp" -> {
                l.timestamp = JsonFields.string(p, t);
                yield true;
            }
            case "payload" -> {
                payload(p, l);
                yield true;
            }
            default -> false;
        });
        add(l, offset);
    }

    /** Takes what one line holds into this file's reading, whichever path read it. */
    private void add(Line l, long offset) {
        Optional<Instant> at = JsonFields.instant(l.timestamp);
        switch (l.type) {
            case "session_meta" -> {
                l.id.filter(id -> id.length() <= MAX_SESSION).ifPresent(id -> session = id);
                l.cwd.filter(c -> c.length() <= MAX_CWD).ifPresent(c -> cwd = c);
            }
            case "turn_context" -> {
                l.model.filter(m -> !m.isBlank() && m.length() <= MAX_MODEL).ifPresent(m -> model = m);
                l.cwd.filter(c -> c.length() <= MAX_CWD).ifPresent(c -> cwd = c);
            }
            case "event_msg" -> {
                if (l.payloadType.equals("token_count") && at.isPresent()) {
                    tokenCount(l, at.get(), offset);
                }
            }
            default -> {
                // other lines carry nothing the ledger needs
            }
        }
    }

    private static void payload(JsonParser p, Line l) {
        JsonFields.object(p, (name, t) -> switch (name) {
            case "type" -> {
                l.payloadType = JsonFields.string(p, t).orElse("");
                yield true;
            }
            case "id" -> {
                l.id = JsonFields.string(p, t);
                yield true;
            }
            case "model" -> {
                l.model = JsonFields.string(p, t);
                yield true;
            }
            case "cwd" -> {
                l.cwd = JsonFields.string(p, t);
                yield true;
            }
            case "info" -> {
                l.infoPresent = t == JsonToken.START_OBJECT;
                JsonFields.object(p, (n, v) -> switch (n) {
                    case "last_token_usage" -> {
                        l.last = usage(p, v);
                        yield true;
                    }
                    case "total_token_usage" -> {
                        l.totals = usage(p, v);
                        yield true;
                    }
                    default -> false;
                });
                yield true;
            }
            case "rate_limits" -> {
                JsonFields.object(p, (n, v) -> {
                    if (v != JsonToken.START_OBJECT || !(n.equals("primary") || n.equals("secondary"))) {
                        return false; // null: this response did not report the window
                    }
                    l.windows.put(n, window(p));
                    return true;
                });
                yield true;
            }
            default -> false;
        });
    }

    /** Reads {input, cached, output, reasoning, cache writes}; null when the value is not an object. */
    private static long[] usage(JsonParser p, JsonToken t) {
        if (t != JsonToken.START_OBJECT) {
            return null;
        }
        long[] u = new long[5];
        JsonFields.object(p, (name, v) -> {
            int i = switch (name) {
                case "input_tokens" -> 0;
                case "cached_input_tokens" -> 1;
                case "output_tokens" -> 2;
                case "reasoning_output_tokens" -> 3;
                case "cache_write_input_tokens" -> 4;
                default -> -1;
            };
            if (i < 0) {
                return false;
            }
            u[i] = JsonFields.number(p, v);
            return true;
        });
        return u;
    }

    private static Window window(JsonParser p) {
        Window w = new Window();
        JsonFields.object(p, (name, t) -> switch (name) {
            case "used_percent" -> {
                w.usedPercent = JsonFields.decimal(p, t);
                yield true;
            }
            case "window_minutes" -> {
                w.windowMinutes = JsonFields.number(p, t);
                yield true;
            }
            case "resets_at" -> {
                w.resetsAt = JsonFields.decimal(p, t).map(Double::longValue);
                yield true;
            }
            case "resets_in_seconds" -> {
                w.resetsInSeconds = JsonFields.decimal(p, t).map(Double::longValue);
                yield true;
            }
            default -> false;
        });
        return w;
    }

    private void tokenCount(Line l, Instant at, long offset) {
        l.windows.forEach((name, w) -> w.usedPercent.ifPresent(used -> limits.put(
                name,
                new RateLimit(
                        ENGINE, name, used, (int) Math.min(Integer.MAX_VALUE, w.windowMinutes), resets(w, at), at))));
        if (!l.infoPresent || (l.last == null && l.totals == null)) {
            return; // info: null — a usage-limit answer, no response was billed
        }
        long[] last = l.last != null ? l.last : growth(l.totals);
        long[] next = l.totals != null ? l.totals.clone() : total == null ? last.clone() : add(total, last);
        // the running totals identify the response within its thread; a repeated token_count repeats them
        String id = l.totals != null
                ? session + ":" + l.totals[0] + ":" + l.totals[2] + ":" + l.totals[1]
                : session + ":@" + at.toEpochMilli() + ":" + offset;
        if (impossible(next, MAX_TOTAL)) {
            damaged(id, at, offset); // totals no thread has: a damaged line (sums would overflow); the totals stay
            return;
        }
        if (impossible(last, MAX_TOKENS)) {
            // more than one response counts: nothing is counted, but totals the line logs are the thread's, and the
            // next responses count from them (a thread's totals alone pass this after a state that could not be read:
            // then the growth is of many responses, and no line is damaged)
            if (l.last != null || total != null) {
                damaged(id, at, offset);
            }
            if (l.totals != null) {
                total = next;
            }
            return;
        }
        total = next;
        long cached = Math.min(last[1], last[0]);
        long writes = Math.min(last[4], last[0] - cached);
        Tokens tokens = new Tokens(last[0] - cached - writes, cached, writes, 0, last[2], Math.min(last[3], last[2]));
        events.add(new UsageEvent(
                UsageEvent.keyOf(ENGINE, id), ENGINE, at, session, cwd, model, PriceTier.of(last[0], false), tokens));
    }

    private void damaged(String id, Instant at, long offset) {
        damaged.add(new Damaged(new DamagedResponse(UsageEvent.keyOf(ENGINE, id), ENGINE, at), offset));
    }

    /** When the window resets; none when the log says a time beyond any date (a damaged number). */
    private static Optional<Instant> resets(Window w, Instant at) {
        try {
            return w.resetsAt.map(Instant::ofEpochSecond).or(() -> w.resetsInSeconds.map(at::plusSeconds));
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static boolean impossible(long[] counts, long most) {
        for (long n : counts) {
            if (n > most) {
                return true;
            }
        }
        return false;
    }

    private long[] growth(long[] totals) {
        long[] g = new long[5];
        for (int i = 0; i < 5; i++) {
            g[i] = Math.max(0, totals[i] - (total == null ? 0 : total[i]));
        }
        return g;
    }

    private static long[] add(long[] a, long[] b) {
        long[] s = new long[5];
        for (int i = 0; i < 5; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    @Override
    public Found drain() {
        Found found = new Found(events, List.copyOf(limits.values()), List.of(), damaged);
        events.clear();
        damaged.clear();
        limits.clear();
        return found;
    }

    @Override
    public String state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("session", session);
        s.put("model", model);
        s.put("cwd", cwd);
        if (total != null) {
            s.put("total", total);
        }
        return JsonValueWriter.compact(s);
    }

    private void restore(String state) {
        if (state.isBlank()) {
            return;
        }
        try {
            JsonNode s = State.READER.readTree(state);
            session = text(s.path("session"), MAX_SESSION, session);
            model = text(s.path("model"), MAX_MODEL, model);
            cwd = text(s.path("cwd"), MAX_CWD, cwd);
            JsonNode t = s.path("total");
            if (areTotals(t)) {
                total = new long[5];
                for (int i = 0; i < 5; i++) {
                    total[i] = t.get(i).longValue();
                }
            }
        } catch (JacksonException e) {
            // a state this version cannot read: go on as at the start of a file
        }
    }

    /**
     * Returns a stored state's text when it is a string within {@code max} characters, as a line's must be; else
     * {@code otherwise} (a damaged state is read as far as it can be, as at the start of a file).
     */
    private static String text(JsonNode n, int max, String otherwise) {
        return n.isString() && n.stringValue().length() <= max ? n.stringValue() : otherwise;
    }

    /**
     * Whether a state's running totals are five whole numbers from 0 to {@link #MAX_TOTAL}: totals no thread has are
     * damaged, as a line claiming them is, and reading goes on without them, as at the start of a file.
     */
    private static boolean areTotals(JsonNode t) {
        if (!t.isArray() || t.size() != 5) {
            return false;
        }
        for (JsonNode n : t) {
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0 || n.longValue() > MAX_TOTAL) {
                return false;
            }
        }
        return true;
    }
}
