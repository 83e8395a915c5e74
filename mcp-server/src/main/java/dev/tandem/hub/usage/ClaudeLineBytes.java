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

    private ClaudeLog.Line line;

    /**
     * Reads the line {@code b[start, end)} into {@code l}; returns false when not sure (then {@code l} holds part of
     * the line and must be dropped).
     */
    boolean read(byte[] b, int start, int end, ClaudeLog.Line l) {
        this.line = l;
        try {
            return walk(b, start, end);
        } finally {
            this.line = null;
        }
    }

    @Override
    void fields() {
        top(line);
    }

    private void top(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(TYPE)) {
                    bit = 1;
                    l.type = string();
                } else if (nameIs(TIMESTAMP)) {
                    bit = 2;
                    l.timestamp = Optional.of(string());
                } else if (nameIs(SESSION_ID)) {
                    bit = 4;
                    l.session = Optional.of(string());
                } else if (nameIs(CWD)) {
                    bit = 8;
                    l.cwd = Optional.of(string());
                } else if (nameIs(REQUEST_ID)) {
                    bit = 16;
                    l.requestId = Optional.of(string());
                } else if (nameIs(MESSAGE)) {
                    bit = 32;
                    expect('{');
                    message(l);
                } else {
                    bit = 0;
                    value(0);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void message(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(ID)) {
                    bit = 1;
                    l.messageId = Optional.of(string());
                } else if (nameIs(MODEL)) {
                    bit = 2;
                    l.model = string();
                } else if (nameIs(USAGE)) {
                    bit = 4;
                    expect('{');
                    l.hasUsage = true;
                    usage(l);
                } else if (nameIs(CONTENT)) {
                    bit = 8;
                    content(l);
                } else {
                    bit = 0;
                    value(1);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void usage(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(INPUT_TOKENS)) {
                    bit = 1;
                    l.input = number();
                } else if (nameIs(OUTPUT_TOKENS)) {
                    bit = 2;
                    l.output = number();
                } else if (nameIs(CACHE_READ)) {
                    bit = 4;
                    l.cacheRead = number();
                } else if (nameIs(CACHE_CREATION_TOKENS)) {
                    bit = 8;
                    l.cacheCreation = number();
                } else if (nameIs(SPEED)) {
                    bit = 16;
                    l.fast = string().equals("fast");
                } else if (nameIs(CACHE_CREATION)) {
                    bit = 32;
                    expect('{');
                    cacheCreation(l);
                } else if (nameIs(OUTPUT_DETAILS)) {
                    bit = 64;
                    expect('{');
                    outputDetails(l);
                } else {
                    bit = 0;
                    value(2);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void cacheCreation(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(WRITE_5M)) {
                    bit = 1;
                    l.write5m = number();
                } else if (nameIs(WRITE_1H)) {
                    bit = 2;
                    l.write1h = number();
                } else {
                    bit = 0;
                    value(3);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void outputDetails(ClaudeLog.Line l) {
        int seen = 0;
        if (firstName()) {
            do {
                int bit;
                if (nameIs(THINKING)) {
                    bit = 1;
                    l.thinking = number();
                } else {
                    bit = 0;
                    value(3);
                }
                seen = once(seen, bit);
            } while (nextName());
        }
    }

    private void content(ClaudeLog.Line l) {
        expect('[');
        ws();
        if (b[i] == ']') {
            i++;
            return;
        }
        while (true) {
            expect('{');
            String[] block = new String[3]; // type, id, name
            int seen = 0;
            if (firstName()) {
                do {
                    int bit;
                    if (nameIs(TYPE)) {
                        bit = 1;
                        block[0] = string();
                    } else if (nameIs(ID)) {
                        bit = 2;
                        block[1] = string();
                    } else if (nameIs(NAME)) {
                        bit = 4;
                        block[2] = string();
                    } else {
                        bit = 0;
                        value(3);
                    }
                    seen = once(seen, bit);
                } while (nextName());
            }
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
}
