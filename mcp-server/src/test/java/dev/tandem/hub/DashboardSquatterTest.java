package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TandemCli.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem dashboard} against whatever listens on the port: a squatter that records every byte and answers
 * whatever pleases the client, a relay that passes everything on to the real hub, and a real hub with another
 * token. None of them may get the token, or anything that logs in at the real hub.
 */
class DashboardSquatterTest {
    @TempDir
    Path dir;

    private static Run dashboard(int port, Path tokenFile) {
        return TandemCli.tandem("dashboard", "--port", Integer.toString(port), "--token-file", tokenFile.toString());
    }

    /**
     * A loopback server that records every byte it receives. Alone it answers every request with 200 and a JSON
     * body a client might take for a login code or a proof; with a {@code target} it relays both ways instead.
     */
    static final class Recorder implements AutoCloseable {
        final ServerSocket server;
        final List<byte[]> requests = new CopyOnWriteArrayList<>();
        private final Integer target;

        Recorder(Integer target) throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.target = target;
            Thread.ofVirtual().start(this::serve);
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> handle(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void handle(Socket s) {
            try (s) {
                if (target != null) {
                    relay(s);
                    return;
                }
                InputStream in = s.getInputStream();
                while (true) {
                    byte[] request = readRequest(in);
                    if (request.length == 0) {
                        return;
                    }
                    requests.add(request);
                    String body = "{\"code\":\"squatted\",\"path\":\"/dashboard/login?code=squatted\","
                            + "\"hubNonce\":\"1.AAAA\",\"proof\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
                            + "\"expiresInSeconds\":60}";
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                                    + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private void relay(Socket client) throws IOException {
            try (Socket hub = new Socket(InetAddress.getLoopbackAddress(), target)) {
                Thread back = Thread.ofVirtual().start(() -> {
                    try {
                        hub.getInputStream().transferTo(client.getOutputStream());
                    } catch (IOException e) {
                        // closed
                    }
                });
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                int n;
                InputStream in = client.getInputStream();
                while ((n = in.read(buf)) >= 0) {
                    seen.write(buf, 0, n);
                    requests.add(seen.toByteArray());
                    hub.getOutputStream().write(buf, 0, n);
                }
                back.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Reads one request: head, then a Content-Length body. */
        private static byte[] readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                buf.write(b);
                if (buf.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    break;
                }
            }
            String head = buf.toString(StandardCharsets.ISO_8859_1);
            int length = head.lines()
                    .filter(l -> l.regionMatches(true, 0, "content-length:", 0, 15))
                    .map(l -> Integer.parseInt(l.substring(15).strip()))
                    .findFirst()
                    .orElse(0);
            buf.write(in.readNBytes(length));
            return buf.toByteArray();
        }

        String all() {
            StringBuilder sb = new StringBuilder();
            requests.forEach(
                    r -> sb.append(new String(r, StandardCharsets.ISO_8859_1)).append("\n----\n"));
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Sends each recorded request, byte for byte, to the real hub; returns the answers. */
    private static List<RawHttp.Response> replay(Recorder squatter, int hubPort) throws IOException {
        List<RawHttp.Response> answers = new java.util.ArrayList<>();
        for (byte[] request : squatter.requests) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), hubPort)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request);
                s.shutdownOutput();
                String raw = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (raw.startsWith("HTTP/1.1 ")) {
                    int status = Integer.parseInt(raw.substring(9, 12));
                    answers.add(new RawHttp.Response(status, Map.of(), raw));
                }
            }
        }
        return answers;
    }

    private static void assertNothingLogsIn(Recorder squatter, TestHub hub) throws IOException {
        String seen = squatter.all();
        assertFalse(seen.contains(hub.token()), "the token reached the squatter:\n" + seen);
        assertFalse(seen.toLowerCase(java.util.Locale.ROOT).contains("authorization:"), seen);
        for (RawHttp.Response answer : replay(squatter, hub.port())) {
            assertFalse(
                    answer.status() == 200 && answer.body().contains("\"code\""),
                    "a replayed request got a login code from the real hub: " + answer.body());
        }
    }

    @Test
    void aSquatterOnThePortGetsNeitherTheTokenNorALoginCode() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), List.of());
                Recorder squatter = new Recorder(null)) {
            Run run = dashboard(squatter.port(), hub.config().tokenFile());
            assertEquals(2, run.exit(), run.out() + run.err());
            assertEquals("", run.out());
            assertTrue(run.err().contains("127.0.0.1:" + squatter.port()), run.err());
            assertTrue(run.err().contains("not the hub"), run.err());
            assertFalse(run.err().contains(hub.token()), run.err());
            assertNothingLogsIn(squatter, hub);
        }
    }

    @Test
    void aRelayToTheRealHubIsRefusedBeforeAnySecretPasses() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), List.of());
                Recorder relay = new Recorder(hub.port())) {
            Run run = dashboard(relay.port(), hub.config().tokenFile());
            assertEquals(2, run.exit(), run.out() + run.err());
            assertTrue(run.err().contains("not the hub"), run.err());
            assertNothingLogsIn(relay, hub);
        }
    }

    @Test
    void aHubWithAnotherTokenIsRefusedAndLearnsNothing() throws Exception {
        try (TestHub mine = TestHub.start(dir.resolve("mine"), List.of());
                TestHub other = TestHub.start(dir.resolve("other"), List.of());
                Recorder front = new Recorder(other.port())) {
            Run run = dashboard(front.port(), mine.config().tokenFile());
            assertEquals(2, run.exit(), run.out() + run.err());
            assertTrue(run.err().contains("not the hub"), run.err());
            assertNothingLogsIn(front, mine);
            // and straight at the other hub, without the relay
            assertEquals(2, dashboard(other.port(), mine.config().tokenFile()).exit());
        }
    }

    @Test
    void theRealHubStillLogsIn() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), List.of());
                DashboardHttp http = new DashboardHttp(hub)) {
            Run run = dashboard(hub.port(), hub.config().tokenFile());
            assertEquals(0, run.exit(), run.err());
            String path = run.out().strip().substring(("http://127.0.0.1:" + hub.port()).length());
            HttpResponse<String> login = http.get(path, Map.of());
            assertEquals(303, login.statusCode(), login.body());
        }
    }

    @Test
    void aLoginCodeWorksOnlyOnTheHubThatIssuedItAndOnlyForItsHost() throws Exception {
        try (TestHub a = TestHub.start(dir.resolve("a"), List.of());
                TestHub b = TestHub.start(dir.resolve("b"), List.of())) {
            String url = dashboard(a.port(), a.config().tokenFile()).out().strip();
            String path = url.substring(("http://127.0.0.1:" + a.port()).length());
            // another hub never issued it
            assertEquals(
                    401, RawHttp.send(b.port(), "GET", path, Map.of(), null).status());
            // the issuing hub, reached by another loopback name than the one the code was made for
            assertEquals(
                    401,
                    RawHttp.send(a.port(), "GET", path, Map.of("Host", "localhost:" + a.port()), null)
                            .status());
            // a refused attempt does not use it up for the right host
            assertEquals(
                    303, RawHttp.send(a.port(), "GET", path, Map.of(), null).status());
            assertEquals(
                    401, RawHttp.send(a.port(), "GET", path, Map.of(), null).status());
        }
    }

    @Test
    void theTokenFileIsNeverReadIntoAnErrorMessage() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "f".repeat(64) + "\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (Recorder squatter = new Recorder(null)) {
            Run run = dashboard(squatter.port(), token);
            assertEquals(2, run.exit());
            assertFalse(run.err().contains("f".repeat(64)), run.err());
            assertFalse(squatter.all().contains("f".repeat(64)), squatter.all());
        }
    }
}
