package dev.tandem.hub.usage;

import dev.tandem.core.usage.DamagedResponse;
import dev.tandem.core.usage.PriceTier;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.ToolUse;
import dev.tandem.core.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Claude Code's project logs ({@code projects/<encoded cwd>/<session>.jsonl} and the sub-agent files below them):
 * one response per assistant line with {@code message.usage}, keyed by {@code message.id} and {@code requestId}
 * (Claude writes one line per content block, each with the same usage; the store keeps the copy with the most
 * output tokens). {@code <synthetic>} lines (API errors) carry no usage and are skipped. The session and the
 * project come from each line's {@code sessionId} and {@code cwd}; the tool_use blocks of MCP tools
 * ({@code mcp__…}) are kept by id, which Claude also sends the hub with each call.
 */
final class ClaudeLog implements LogFormat {
    static final String ENGINE = "claude";

    private static final byte[] ASSISTANT = "\"assistant\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE_FIRST = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USER_ROLE = "\"role\":\"user\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ATTACHMENT = "\"attachment\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USER_TYPE = "\"type\":\"user\"".getBytes(StandardCharsets.US_ASCII);
    /** Where an assistant line names its role ({@code "message":{"id":…,"role":"assistant"}}) in the usual case. */
    private static final int FIRST = 512;
    /** How much of a line's beginning is enough to judge it in the usual case. */
    private static final int PREFIX = 2048;

    private final String fallbackSession;
    private final String fallbackProject;
    private final List<UsageEvent> events = new ArrayList<>();
    private final List<ToolUse> toolUses = new ArrayList<>();
    private final List<Damaged> damaged = new ArrayList<>();
    private final ClaudeLineBytes bytes = new ClaudeLineBytes();
    /**
     * The session, project and model of the last response: each line of a file repeats them, and a response holds
     * them until it is written, so equal ones share the first one's instance (the memory held per response is a
     * third of what it was, and their hashes are computed once).
     */
    private String session = "";

    private String project = "";
    private String model = "";
    /** The ids and key of the last response (none before the first): its copies follow it, a line per block. */
    private String keyedMessage;

    private Optional<String> keyedRequest = Optional.empty();
    private long key;

    /**
     * @param fallbackSession the session when a line does not name one (the file's name)
     * @param fallbackProject the project when a line has no {@code cwd} (the encoded folder name)
     */
    ClaudeLog(String fallbackSession, String fallbackProject) {
        this.fallbackSession = fallbackSession;
        this.fallbackProject = fallbackProject;
    }

    @Override
    public boolean wanted(byte[] b, int start, int end) {
        int first = Math.min(end, start + FIRST);
        if (JsonFields.indexOf(b, start, first, ASSISTANT) >= 0) {
            return true;
        }
        if (first == end || decidedByPrefix(b, start, first)) {
            return false;
        }
        int prefix = Math.min(end, start + PREFIX);
        if (JsonFields.indexOf(b, first - ASSISTANT.length, prefix, ASSISTANT) >= 0) {
            return true;
        }
        if (prefix == end || decidedByPrefix(b, start, prefix)) {
            return false;
        }
        return JsonFields.indexOf(b, prefix - ASSISTANT.length, end, ASSISTANT) >= 0;
    }

    @Override
    public boolean wantedLong(byte[] b, int start, int end) {
        int prefix = Math.min(end, start + PREFIX);
        return JsonFields.indexOf(b, start, prefix, ASSISTANT) >= 0 || !decidedByPrefix(b, start, prefix);
    }

    /**
     * Whether the beginning of a line without {@code "assistant"} shows it is another type: the type comes first
     * ({@code {"type":"api-request-blob",…}}), or a user message or an attachment begins before any content.
     */
    private static boolean decidedByPrefix(byte[] b, int start, int prefix) {
        return startsWith(b, start, prefix, TYPE_FIRST)
                || JsonFields.indexOf(b, start, prefix, USER_ROLE) >= 0
                || JsonFields.indexOf(b, start, prefix, USER_TYPE) >= 0
                || JsonFields.indexOf(b, start, prefix, ATTACHMENT) >= 0;
    }

    private static boolean startsWith(byte[] b, int start, int end, byte[] head) {
        return end - start >= head.length && JsonFields.indexOf(b, start, start + head.length, head) == start;
    }

    /** What one line holds, as far as it matters here. */
    static final class Line {
        String type = "";
        Optional<String> timestamp = Optional.empty();
        Optional<String> session = Optional.empty();
        Optional<String> cwd = Optional.empty();
        Optional<String> requestId = Optional.empty();
        Optional<String> messageId = Optional.empty();
        String model = "";
        boolean hasUsage;
        long input;
        long output;
        long cacheRead;
        long cacheCreation = -1;
        long write5m;
        long write1h;
        long thinking;
        boolean fast;
        final List<String[]> tools = new ArrayList<>();
    }

    /** Reads the line from its bytes when {@link ClaudeLineBytes} is sure of it; false leaves it to Jackson. */
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
            case "sessionId" -> {
                l.session = JsonFields.string(p, t);
                yield true;
            }
            case "cwd" -> {
                l.cwd = JsonFields.string(p, t);
                yield true;
            }
            case "requestId" -> {
                l.requestId = JsonFields.string(p, t);
                yield true;
            }
            case "message" -> {
                message(p, l);
                yield true;
            }
            default -> false;
        });
        add(l, offset);
    }

    private static void message(JsonParser p, Line l) {
        JsonFields.object(p, (name, t) -> switch (name) {
            case "id" -> {
                l.messageId = JsonFields.string(p, t);
                yield true;
            }
            case "model" -> {
                l.model = JsonFields.string(p, t).orElse("");
                yield true;
            }
            case "usage" -> {
                l.hasUsage = t == JsonToken.START_OBJECT;
                usage(p, l);
                yield true;
            }
            case "content" -> {
                content(p, l);
                yield true;
            }
            default -> false;
        });
    }

    private static void usage(JsonParser p, Line l) {
        JsonFields.object(p, (name, t) -> switch (name) {
            case "input_tokens" -> {
                l.input = JsonFields.number(p, t);
                yield true;
            }
            case "output_tokens" -> {
                l.output = JsonFields.number(p, t);
                yield true;
            }
            case "cache_read_input_tokens" -> {
                l.cacheRead = JsonFields.number(p, t);
                yield true;
            }
            case "cache_creation_input_tokens" -> {
                l.cacheCreation = JsonFields.number(p, t);
                yield true;
            }
            case "speed" -> {
                l.fast = JsonFields.string(p, t).filter("fast"::equals).isPresent();
                yield true;
            }
            case "cache_creation" -> {
                JsonFields.object(p, (n, v) -> switch (n) {
                    case "ephemeral_5m_input_tokens" -> {
                        l.write5m = JsonFields.number(p, v);
                        yield true;
                    }
                    case "ephemeral_1h_input_tokens" -> {
                        l.write1h = JsonFields.number(p, v);
                        yield true;
                    }
                    default -> false;
                });
                yield true;
            }
            case "output_tokens_details" -> {
                JsonFields.object(p, (n, v) -> {
                    if (n.equals("thinking_tokens")) {
                        l.thinking = JsonFields.number(p, v);
                        return true;
                    }
                    return false;
                });
                yield true;
            }
            default -> false;
        });
    }

    private static void content(JsonParser p, Line l) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String[] block = new String[3]; // type, id, name
            JsonFields.object(p, (name, t) -> {
                int i = name.equals("type") ? 0 : name.equals("id") ? 1 : name.equals("name") ? 2 : -1;
                if (i < 0) {
                    return false;
                }
                block[i] = JsonFields.string(p, t).orElse(null);
                return true;
            });
            if ("tool_use".equals(block[0]) && block[1] != null && block[2] != null && block[2].startsWith("mcp__")) {
                l.tools.add(new String[] {block[1], block[2]});
            }
        }
    }

    private void add(Line l, long offset) {
        Optional<Instant> at = JsonFields.instant(l.timestamp);
        if (!l.type.equals("assistant") || !l.hasUsage || l.messageId.isEmpty() || at.isEmpty()) {
            return;
        }
        if (l.model.isEmpty() || l.model.equals("<synthetic>")) {
            return; // an API error Claude wrote itself: no model answered
        }
        if (l.input > MAX_TOKENS
                || l.output > MAX_TOKENS
                || l.cacheRead > MAX_TOKENS
                || l.cacheCreation > MAX_TOKENS
                || l.write5m > MAX_TOKENS
                || l.write1h > MAX_TOKENS
                || l.model.length() > MAX_MODEL) {
            // no response's count (sums of such counts would overflow) or model name: a damaged line, not counted
            // but kept, so the reports say a response was left out
            damaged.add(
                    new Damaged(new DamagedResponse(key(l.messageId.get(), l.requestId), ENGINE, at.get()), offset));
            return;
        }
        // a session or folder longer than any the engine writes is damaged: the file's own stands in
        session = same(l.session.filter(s -> s.length() <= MAX_SESSION).orElse(fallbackSession), session);
        project = same(l.cwd.filter(c -> c.length() <= MAX_CWD).orElse(fallbackProject), project);
        model = same(l.model, model);
        // cache_creation_input_tokens is what is billed; the breakdown only says how much of it is kept an hour
        long writes = l.cacheCreation >= 0 ? l.cacheCreation : l.write5m + l.write1h;
        long write1h = Math.min(l.write1h, writes);
        Tokens tokens =
                new Tokens(l.input, l.cacheRead, writes - write1h, write1h, l.output, Math.min(l.thinking, l.output));
        events.add(new UsageEvent(
                key(l.messageId.get(), l.requestId),
                ENGINE,
                at.get(),
                session,
                project,
                model,
                PriceTier.of(tokens.prompt(), l.fast),
                tokens));
        for (String[] tool : l.tools) {
            toolUses.add(new ToolUse(ENGINE, tool[0], session, tool[1], at.get()));
        }
    }

    /**
     * Returns the key of the response with these ids: {@link UsageEvent#keyOf} of {@code <message>:<request>} (or
     * the message id alone), computed once for the copies that follow one another.
     */
    private long key(String message, Optional<String> request) {
        if (!message.equals(keyedMessage) || !request.equals(keyedRequest)) {
            key = UsageEvent.keyOf(ENGINE, message + request.map(r -> ":" + r).orElse(""));
            keyedMessage = message;
            keyedRequest = request;
        }
        return key;
    }

    /** Returns {@code last} when it equals {@code value}, else {@code value}. */
    private static String same(String value, String last) {
        return value.equals(last) ? last : value;
    }

    @Override
    public Found drain() {
        Found found = new Found(events, List.of(), toolUses, damaged);
        events.clear();
        toolUses.clear();
        damaged.clear();
        return found;
    }

    @Override
    public String state() {
        return "{}";
    }
}
