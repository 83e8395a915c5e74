package dev.tandem.hub.usage;

import java.util.Optional;

/**
 * Reads the fields {@link ClaudeLog} needs straight from a Claude Code log line's bytes: the long strings (thinking,
 * text, tool input) are passed over without being decoded. It is sure of a line, and reads it as Jackson (the other
 * path of {@link ClaudeLog}) does, under the rules of {@link LineBytes}; the kept numbers are whole ones in a
 * {@code long}. {@code ClaudeLineBytesTest} compares the two on the real CLIs' logs and on generated lines.
 */
final class ClaudeLineBytes extends LineBytes {
    private static final byte[] TYPE = bytes("type");
    private static final byte[] TIMESTAMP = bytes("timestamp");
    private static final byte[] SESSION_ID = bytes("sessionId");
    private static final byte[] CWD = bytes("cwd");
    private static final byte[] REQUEST_ID = bytes("requestId");
    private static final byte[] MESSAGE = bytes("message");
    private static final byte[] ID = bytes("id");
    private static final byte[] MODEL = bytes("model");
    private static final byte[] USAGE = bytes("usage");
    private static final byte[] CONTENT = bytes("content");
    private static final byte[] NAME = bytes("name");
    private static final byte[] INPUT_TOKENS = bytes("input_tokens");
    private static final byte[] OUTPUT_TOKENS = bytes("output_tokens");
    private static final byte[] CACHE_READ = bytes("cache_read_input_tokens");
    private static final byte[] CACHE_CREATION_TOKENS = bytes("cache_creation_input_tokens");
    private static final byte[] SPEED = bytes("speed");
    private static final byte[] CACHE_CREATION = bytes("cache_creation");
    private static final byte[] WRITE_5M = bytes("ephemeral_5m_input_tokens");
    private static final byte[] WRITE_1H = bytes("ephemeral_1h_input_tokens");
    private static final byte[] OUTPUT_DETAILS = bytes("output_tokens_details");
    private static final byte[] THINKING = bytes("thinking_tokens");

    /**
     * Reads the line {@code b[start, end)} into {@code l}; returns false when not sure (then {@code l} holds part of
     * the line and must be dropped).
     */
    boolean read(byte[] b, int start, int end, ClaudeLog.Line l) {
        return walk(b, start, end, () -> top(l));
    }

    private int top(ClaudeLog.Line l) {
        if (nameIs(TYPE)) {
            l.type = string();
            return 1;
        }
        if (nameIs(TIMESTAMP)) {
            l.timestamp = Optional.of(string());
            return 2;
        }
        if (nameIs(SESSION_ID)) {
            l.session = Optional.of(string());
            return 4;
        }
        if (nameIs(CWD)) {
            l.cwd = Optional.of(string());
            return 8;
        }
        if (nameIs(REQUEST_ID)) {
            l.requestId = Optional.of(string());
            return 16;
        }
        if (nameIs(MESSAGE)) {
            object(() -> message(l));
            return 32;
        }
        value(0);
        return 0;
    }

    private int message(ClaudeLog.Line l) {
        if (nameIs(ID)) {
            l.messageId = Optional.of(string());
            return 1;
        }
        if (nameIs(MODEL)) {
            l.model = string();
            return 2;
        }
        if (nameIs(USAGE)) {
            l.hasUsage = true;
            object(() -> usage(l));
            return 4;
        }
        if (nameIs(CONTENT)) {
            content(l);
            return 8;
        }
        value(1);
        return 0;
    }

    private int usage(ClaudeLog.Line l) {
        if (nameIs(INPUT_TOKENS)) {
            l.input = number();
            return 1;
        }
        if (nameIs(OUTPUT_TOKENS)) {
            l.output = number();
            return 2;
        }
        if (nameIs(CACHE_READ)) {
            l.cacheRead = number();
            return 4;
        }
        if (nameIs(CACHE_CREATION_TOKENS)) {
            l.cacheCreation = number();
            return 8;
        }
        if (nameIs(SPEED)) {
            l.fast = string().equals("fast");
            return 16;
        }
        if (nameIs(CACHE_CREATION)) {
            object(() -> cacheCreation(l));
            return 32;
        }
        if (nameIs(OUTPUT_DETAILS)) {
            object(() -> outputDetails(l));
            return 64;
        }
        value(2);
        return 0;
    }

    private int cacheCreation(ClaudeLog.Line l) {
        if (nameIs(WRITE_5M)) {
            l.write5m = number();
            return 1;
        }
        if (nameIs(WRITE_1H)) {
            l.write1h = number();
            return 2;
        }
        value(3);
        return 0;
    }

    private int outputDetails(ClaudeLog.Line l) {
        if (nameIs(THINKING)) {
            l.thinking = number();
            return 1;
        }
        value(3);
        return 0;
    }

    private void content(ClaudeLog.Line l) {
        expect('[');
        ws();
        if (b[i] == ']') {
            i++;
            return;
        }
        while (true) {
            String[] block = new String[3]; // type, id, name
            object(() -> block(block));
            if ("tool_use".equals(block[0]) && block[1] != null && block[2] != null && block[2].startsWith("mcp__")) {
                l.tools.add(new String[] {block[1], block[2]});
            }
            ws();
            byte c = b[i++];
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw unsure;
            }
            ws();
        }
    }

    /** A content block's field: its type, id and name are kept, as {type, id, name}. */
    private int block(String[] block) {
        int k = nameIs(TYPE) ? 0 : nameIs(ID) ? 1 : nameIs(NAME) ? 2 : -1;
        if (k < 0) {
            value(3);
            return 0;
        }
        block[k] = string();
        return 1 << k;
    }
}
