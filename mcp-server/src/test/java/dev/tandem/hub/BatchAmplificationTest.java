package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.json.Json;
import dev.tandem.hub.fs.FsReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A JSON-RPC batch cannot make the hub hold or send more than {@code [hub] max_batch_answer_bytes}, nor run more than
 * {@code [hub] max_batch_messages} messages: a small request body must not turn into a huge answer.
 */
class BatchAmplificationTest {
    /** The one protocol revision offered that has JSON-RPC batches. */
    static final String BATCHES = "2025-03-26";

    @TempDir
    Path dir;

    @Test
    void aSmallBatchCannotMakeTheHubHoldAHugeAnswer() throws Exception {
        try (TestHub hub = TestHub.start(dir)) {
            Files.writeString(dir.resolve("root/big.txt"), ("y".repeat(1023) + "\n").repeat(1024));
            String session = McpHttp.openSession(hub, BATCHES);
            // 60 reads of 1 MiB each were a 120 MiB answer, held whole in the heap before the first byte went out
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 60; i++) {
                batch.append(i == 0 ? "" : ",").append(read(i + 10, "big.txt", FsReader.MAX_MAX_BYTES));
            }
            String body = batch.append(']').toString();
            long answered = answerBytes(hub, session, body);
            assertTrue(
                    answered < 9L * 1024 * 1024,
                    "a " + body.length() + "-byte batch got a " + answered / 1024 + " KiB answer");
        }
    }

    @Test
    void requestsPastTheAnswerLimitGetAnErrorNamingItAndAreNotRun() throws Exception {
        try (TestHub hub = TestHub.start(dir, "[hub]\nmax_batch_answer_bytes = 4096\n", null)) {
            Files.writeString(dir.resolve("root/k.txt"), "k".repeat(999) + "\n");
            String session = McpHttp.openSession(hub, BATCHES);
            String body = "[" + read(1, "k.txt", 4096) + "," + read(2, "k.txt", 4096) + ","
                    + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"fs_write\","
                    + "\"arguments\":{\"path\":\"new.txt\",\"content\":\"x\"}}}]";
            RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), session), body);
            assertEquals(200, r.status(), r.body());
            JsonNode answers = Json.mapper().readTree(r.body());
            assertEquals(3, answers.size(), r.body());
            assertTrue(answers.get(0).has("result"), r.body());
            String leftOut = answers.get(1).path("error").path("message").asString();
            assertTrue(
                    leftOut.contains("limit of 4096 bytes ([hub] max_batch_answer_bytes)")
                            && leftOut.startsWith("Answer left out"),
                    leftOut);
            String notRun = answers.get(2).path("error").path("message").asString();
            assertTrue(notRun.startsWith("Not run") && notRun.contains("4096"), notRun);
            assertEquals(3, answers.get(2).path("id").asInt());
            assertFalse(Files.exists(dir.resolve("root/new.txt")), "a request after the limit was run");
        }
    }

    @Test
    void aBatchOverTheMessageLimitIsRefusedWholeAndNothingRuns() {
        try (TestHub hub = TestHub.start(dir)) {
            String session = McpHttp.openSession(hub, BATCHES);
            StringBuilder batch = new StringBuilder("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"fs_write\",\"arguments\":{\"path\":\"new.txt\",\"content\":\"x\"}}}");
            for (int i = 0; i < 64; i++) {
                batch.append(",{\"jsonrpc\":\"2.0\",\"id\":").append(i + 2).append(",\"method\":\"ping\"}");
            }
            RawHttp.Response r =
                    RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), session), batch + "]");
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("\"code\":-32600"), r.body());
            assertTrue(
                    r.body().contains("a batch of 65 messages is over the limit of 64 ([hub] max_batch_messages)"),
                    r.body());
            assertFalse(Files.exists(dir.resolve("root/new.txt")), "a request of a refused batch was run");
        }
    }

    @Test
    void aBatchOnASessionOfAProtocolWithoutBatchesIsRefusedAndNothingRuns() {
        try (TestHub hub = TestHub.start(dir)) {
            String session = McpHttp.openSession(hub, "2025-11-25");
            String write = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"fs_write\","
                    + "\"arguments\":{\"path\":\"new.txt\",\"content\":\"x\"}}}";
            RawHttp.Response r =
                    RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), session), "[" + write + "]");
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("has no JSON-RPC batches"), r.body());
            assertFalse(Files.exists(dir.resolve("root/new.txt")), "a request of a refused batch was run");
            RawHttp.Response alone =
                    RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), session), write);
            assertEquals(200, alone.status(), alone.body());
            assertTrue(Files.exists(dir.resolve("root/new.txt")), "the same request alone runs");
        }
    }

    /**
     * A body of a few MiB can hold millions of tiny values (a tree of 100+ MB): it is refused while it is read, before
     * the batch or any message is looked at, with the limit named; a body just under the limit is read.
     */
    @Test
    void aBodyOfMillionsOfTinyValuesIsRefusedWhileReadNamingTheLimit() {
        try (TestHub hub = TestHub.start(dir)) {
            String session = McpHttp.openSession(hub, BATCHES);
            String tiny = "[" + "{},".repeat(1_000_000) + "{}]"; // 3 MB, 2 million tokens
            RawHttp.Response r = RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), session), tiny);
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("\"code\":-32700"), r.body());
            assertTrue(r.body().contains("more than 100000 JSON tokens"), r.body());
            // one ping whose params hold 30,000 values: within the limit, read and answered
            String many = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\",\"params\":{\"_meta\":{\"v\":["
                    + "1,".repeat(30_000) + "1]}}}";
            RawHttp.Response ok = RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), session), many);
            assertEquals(200, ok.status(), ok.body());
            assertTrue(ok.body().contains("\"id\":7"), ok.body());
        }
    }

    @Test
    void aBatchAtTheMessageLimitIsAnswered() {
        try (TestHub hub = TestHub.start(dir)) {
            String session = McpHttp.openSession(hub, BATCHES);
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 64; i++) {
                batch.append(i == 0 ? "" : ",")
                        .append("{\"jsonrpc\":\"2.0\",\"id\":")
                        .append(i + 1)
                        .append(",\"method\":\"ping\"}");
            }
            RawHttp.Response r =
                    RawHttp.send(hub.port(), "POST", "/mcp", McpHttp.headers(hub.token(), session), batch + "]");
            assertEquals(200, r.status(), r.body());
            assertTrue(r.body().endsWith("{\"jsonrpc\":\"2.0\",\"id\":64,\"result\":{}}]"), r.body());
        }
    }

    private static String read(int id, String path, int maxBytes) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"fs_read\","
                + "\"arguments\":{\"path\":\"" + path + "\",\"max_bytes\":" + maxBytes + "}}}";
    }

    /**
     * Sends the batch and counts the answer's bytes without keeping them: the head, then the body by its
     * Content-Length (the hub may keep the connection open after answering).
     */
    private static long answerBytes(TestHub hub, String session, String body) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), hub.port())) {
            socket.setSoTimeout(120_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + hub.port() + "\r\nAuthorization: Bearer "
                    + hub.token() + "\r\nContent-Type: application/json\r\nAccept: " + McpHttp.ACCEPT_BOTH
                    + "\r\nMcp-Session-Id: " + session + "\r\nConnection: close\r\nContent-Length: " + bytes.length
                    + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answerHead = new StringBuilder();
            while (!answerHead.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                assertTrue(c >= 0, "the hub closed the connection before its answer's head ended: " + answerHead);
                answerHead.append((char) c);
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(answerHead);
            assertTrue(length.find(), answerHead.toString());
            long declared = Long.parseLong(length.group(1));
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; total < declared && (n = in.read(buf)) >= 0; ) {
                total += n;
            }
            return answerHead.length() + total;
        }
    }
}
