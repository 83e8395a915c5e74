package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tandem.hub.mcp.Capability;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a local process without the token can do to the HTTP edge with raw sockets: hold connections idle, send
 * requests slowly or never finish them, open more connections than the hub accepts. Each must end without help
 * from the attacker.
 */
class ConnectionLimitsTest {
    /** How long a test waits for the hub to close a connection; far above the limits configured below. */
    private static final int PATIENCE_MILLIS = 20_000;

    @TempDir
    Path dir;

    private TestHub hub;
    private final List<Socket> sockets = new ArrayList<>();

    /** A tool that takes 2.5 s to answer. */
    static final class SlowCapability implements Capability {
        @Override
        public String name() {
            return "slow";
        }

        @Override
        public List<McpServerFeatures.SyncToolSpecification> tools() {
            var tool = McpSchema.Tool.builder("slow", McpJsonDefaults.getMapper(), "{\"type\":\"object\"}")
                    .build();
            return List.of(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(tool)
                    .callHandler((exchange, req) -> {
                        try {
                            Thread.sleep(2500);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return McpSchema.CallToolResult.builder()
                                .addTextContent("slept")
                                .build();
                    })
                    .build());
        }
    }

    private void start(String hubSection) {
        hub = TestHub.start(dir, "[hub]\n" + hubSection, List.of(new SlowCapability()));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), hub.port());
        sockets.add(s);
        s.setSoTimeout(PATIENCE_MILLIS);
        return s;
    }

    /** Reads until the hub closes the connection; fails if it is still open after {@link #PATIENCE_MILLIS}. */
    private static String readUntilClosed(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            fail("the hub kept the connection open for " + PATIENCE_MILLIS + " ms; received: " + got);
        } catch (IOException e) {
            // reset by the hub: closed as well
        }
        return got.toString();
    }

    /**
     * Sends {@code bytes} one at a time, {@code pauseMillis} apart; returns how many were written before the hub
     * closed the connection (all of them if it never did).
     */
    private static int trickle(Socket s, String bytes, long pauseMillis) throws InterruptedException {
        try {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < bytes.length(); i++) {
                out.write(bytes.charAt(i));
                out.flush();
                Thread.sleep(pauseMillis);
                if (closedByPeer(s)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            return -1; // the write failed: the hub closed the connection
        }
        return bytes.length();
    }

    private static boolean closedByPeer(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                s.setSoTimeout(PATIENCE_MILLIS);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + hub.port() + "\r\n\r\n";
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws IOException {
        start("idle_connection_seconds = 1\n");
        Socket s = connect();
        assertEquals("", readUntilClosed(s));
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        start("idle_connection_seconds = 1\n");
        Socket s = connect();
        s.getOutputStream().write(get("/health").getBytes(StandardCharsets.US_ASCII));
        String got = readUntilClosed(s);
        assertTrue(got.startsWith("HTTP/1.1 200"), got);
    }

    @Test
    void aRequestLineTrickledByteByByteIsCutOff() throws Exception {
        start("idle_connection_seconds = 1\nrequest_read_seconds = 1\n");
        Socket s = connect();
        String request = get("/health") + "x".repeat(200);
        int sent = trickle(s, request, 200);
        assertTrue(sent < request.length(), "the hub read all " + sent + " trickled bytes");
        String got = readUntilClosed(s);
        assertTrue(!got.contains("200 OK"), got);
    }

    @Test
    void headersTrickledByteByByteAreCutOffAfterTheReadTimeout() throws Exception {
        start("request_read_seconds = 1\n");
        Socket s = connect();
        s.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        String headers = "Host: 127.0.0.1\r\nX-Slow: " + "y".repeat(300) + "\r\n\r\n";
        int sent = trickle(s, headers, 50);
        assertTrue(sent < headers.length(), "the hub read all " + sent + " trickled header bytes");
        String got = readUntilClosed(s);
        assertTrue(!got.contains("200 OK"), got);
    }

    @Test
    void aBodyThatNeverArrivesIsCutOffAfterTheReadTimeout() throws IOException {
        start("request_read_seconds = 1\n");
        Socket s = connect();
        String head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + hub.token()
                + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + "Content-Length: 1000\r\n\r\n{\"jsonrpc\":";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        String got = readUntilClosed(s);
        assertTrue(!got.contains("200 OK"), got);
    }

    @Test
    void aBodyThatNeverArrivesWithoutTheTokenIsCutOffToo() throws IOException {
        start("request_read_seconds = 1\n");
        Socket s = connect();
        String head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        readUntilClosed(s);
    }

    @Test
    void aBodyTrickledByteByByteIsCutOffAfterTheReadTimeout() throws Exception {
        start("request_read_seconds = 1\n");
        Socket s = connect();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"" + " ".repeat(300) + "}";
        String head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + hub.token()
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        int sent = trickle(s, body, 50);
        assertTrue(sent < body.length(), "the hub read all " + sent + " trickled body bytes");
    }

    @Test
    void aToolCallSlowerThanTheReadTimeoutIsAnswered() throws Exception {
        start("request_read_seconds = 1\n");
        // the read deadline ends once the request is read: a tool may take longer than it
        String session = McpHttp.openSession(hub);
        Socket s = connect();
        s.getOutputStream().write(post(session, McpHttp.call(7, "slow")).getBytes(StandardCharsets.UTF_8));
        String got = readResponse(s);
        assertTrue(got.startsWith("HTTP/1.1 200") && got.contains("slept"), got);
    }

    @Test
    void eachRequestOnAKeepAliveConnectionGetsItsOwnReadDeadline() throws Exception {
        start("request_read_seconds = 1\n");
        String session = McpHttp.openSession(hub);
        Socket s = connect();
        String request = post(session, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}");
        for (int i = 0; i < 3; i++) {
            // three requests on one connection, 1.5 s apart: the deadline of one does not run on into the next
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String got = readResponse(s);
            assertTrue(got.startsWith("HTTP/1.1 200"), got);
            Thread.sleep(1500);
        }
    }

    private String post(String session, String body) {
        return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + hub.token()
                + "\r\nMcp-Session-Id: " + session
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString()
                .lines()
                .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .findFirst()
                .orElse("content-length: 0")
                .substring(15)
                .strip());
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void anOversizedRequestLineIsRefusedAndTheConnectionClosed() throws IOException {
        start("");
        Socket s = connect();
        s.getOutputStream()
                .write(("GET /health?" + "a".repeat(5000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        String got = readUntilClosed(s);
        assertTrue(got.matches("(?s)HTTP/1.1 4\\d\\d .*"), got);
    }

    @Test
    void oversizedHeadersAreRefusedAndTheConnectionClosed() throws IOException {
        start("");
        Socket s = connect();
        s.getOutputStream()
                .write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        String got = readUntilClosed(s);
        assertTrue(got.matches("(?s)HTTP/1.1 4\\d\\d .*"), got);
    }

    @Test
    void connectionsBeyondTheCapWaitUntilOneCloses() throws IOException {
        start("max_connections = 4\n");
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket s = connect();
            // a served request proves the hub accepted this connection
            s.getOutputStream().write(get("/health").getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(s).startsWith("HTTP/1.1 200"));
            held.add(s);
        }
        Socket fifth = connect();
        fifth.setSoTimeout(1500);
        fifth.getOutputStream().write(get("/health").getBytes(StandardCharsets.US_ASCII));
        assertThrows(SocketTimeoutException.class, () -> fifth.getInputStream().read(), "a fifth was served");
        held.get(0).close();
        fifth.setSoTimeout(PATIENCE_MILLIS);
        assertTrue(readResponse(fifth).startsWith("HTTP/1.1 200"));
    }

    @Test
    void healthStillAnswersAfterTheAttackerLeaves() throws IOException {
        start("max_connections = 8\nidle_connection_seconds = 1\nrequest_read_seconds = 1\n");
        for (int i = 0; i < 40; i++) {
            connect().getOutputStream().write("GET /health HTT".getBytes(StandardCharsets.US_ASCII));
        }
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
        RawHttp.Response r = RawHttp.send(hub.port(), "GET", "/health", Map.of(), null);
        assertEquals(200, r.status());
    }
}
