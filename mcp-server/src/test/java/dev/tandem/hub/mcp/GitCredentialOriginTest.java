package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tandem.core.config.Section;
import dev.tandem.hub.git.GitSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

/**
 * A configured https token goes to its own origin only (scheme, host and port, and a path prefix on segment
 * boundaries), never along a redirect to another origin, and never into error text. Two loopback servers on
 * port 0 record every {@code Authorization} header they receive.
 */
class GitCredentialOriginTest {
    private static final String TOKEN = "s3cret-token-7f3a";
    private static final String BASIC =
            "Basic " + Base64.getEncoder().encodeToString(("bot:" + TOKEN).getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private GitFixture f;
    private final List<RecordingServer> servers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        f = new GitFixture(dir);
        f.write("a.txt", "a\n");
        f.commitAll("first");
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
    }

    @AfterEach
    void tearDown() {
        f.close();
        servers.forEach(RecordingServer::close);
    }

    private RecordingServer server(Function<RecordingServer.Request, String> answer) throws IOException {
        RecordingServer s = new RecordingServer(answer);
        servers.add(s);
        return s;
    }

    /** Answers 401 with a Basic challenge until credentials come, then {@code authorized}. */
    private static Function<RecordingServer.Request, String> challenge(String authorized) {
        return r -> r.authorization() == null ? UNAUTHORIZED : authorized;
    }

    /** Returns an HTTP/1.1 response with no body that closes the connection. */
    private static String response(String status, String... headers) {
        StringBuilder b = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("Content-Length: 0\r\nConnection: close\r\n\r\n").toString();
    }

    private static final String UNAUTHORIZED = response("401 Unauthorized", "WWW-Authenticate: Basic realm=\"git\"");
    private static final String FORBIDDEN = response("403 Forbidden");

    private void startWithCredential(String prefix) {
        GitSettings settings = GitSettings.from(
                Section.of(
                        dir.resolve("hub.toml"),
                        "git",
                        Toml.parse("[git.credentials.\"" + prefix + "\"]\nusername = \"bot\"\ntoken_file = \"token\"\n")
                                .getTable("git"),
                        dir.resolve("home")),
                dir.resolve("home"));
        f.start(settings);
    }

    private void remote(String url) {
        f.appendConfig("[remote \"origin\"]\n\turl = " + url + "\n");
    }

    @Test
    void theTokenReachesItsOwnOriginAndPathPrefix() throws Exception {
        RecordingServer a = server(challenge(FORBIDDEN));
        remote(a.base() + "/acme/app.git");
        startWithCredential(a.base() + "/acme");
        f.error("git_push", Map.of("dir", "proj"));
        assertEquals(List.of(BASIC), a.authorizations());
    }

    @Test
    void theTokenIsNotSentToAnotherPortOfTheSameHost() throws Exception {
        RecordingServer a = server(challenge(FORBIDDEN));
        remote(a.base() + "/acme/app.git");
        // no port in the prefix means the scheme's default port, 80; the server listens elsewhere
        startWithCredential("http://127.0.0.1");
        f.error("git_push", Map.of("dir", "proj"));
        assertEquals(List.of(), a.authorizations());
    }

    @Test
    void theTokenIsNotSentToAPathThatOnlySharesAStringPrefix() throws Exception {
        RecordingServer a = server(challenge(FORBIDDEN));
        remote(a.base() + "/acme-evil/app.git");
        startWithCredential(a.base() + "/acme");
        f.error("git_push", Map.of("dir", "proj"));
        assertEquals(List.of(), a.authorizations());
    }

    @Test
    void theTokenDoesNotFollowARedirectToAnotherOrigin() throws Exception {
        RecordingServer b = server(challenge(FORBIDDEN));
        RecordingServer a = server(challenge(
                response("302 Found", "Location: " + b.base() + "/acme/app.git/info/refs?service=git-receive-pack")));
        remote(a.base() + "/acme/app.git");
        f.appendConfig("[http]\n\tfollowRedirects = true\n");
        startWithCredential(a.base() + "/acme");
        String message = f.error("git_push", Map.of("dir", "proj"));
        assertEquals(List.of(BASIC), a.authorizations(), "the configured origin gets the token");
        assertTrue(b.requests() > 0, "the redirect was not followed at all: " + message);
        assertEquals(List.of(), b.authorizations(), "the token followed a redirect to another origin");
    }

    @Test
    void errorTextShowsNoSecretInAnyForm() throws Exception {
        RecordingServer a = server(r -> r.authorization() == null
                ? UNAUTHORIZED
                : response("500 echo Authorization: " + r.authorization() + " token " + TOKEN));
        remote("http://someone:URLPASSWORD@127.0.0.1:" + a.port() + "/acme/app.git?access_token=QUERYTOKEN&x=1");
        startWithCredential(a.base() + "/acme");
        String message = f.error("git_push", Map.of("dir", "proj"));
        for (String secret :
                List.of(TOKEN, BASIC.substring("Basic ".length()), "URLPASSWORD", "QUERYTOKEN", "someone:", "Basic ")) {
            assertFalse(message.contains(secret), () -> "'" + secret + "' in: " + message);
        }
        assertTrue(message.contains("push to 'origin'"), message);
    }

    @Test
    void cookiesAreNeitherSentNorStoredWhereTheRepositoryConfigSays() throws Exception {
        RecordingServer a = server(r -> response("403 Forbidden", "Set-Cookie: planted=by-server; Path=/"));
        Path cookies = dir.resolve("cookies.txt");
        String jar = "127.0.0.1\tFALSE\t/\tFALSE\t4102444800\tsession\tPERSON-COOKIE\n";
        Files.writeString(cookies, jar);
        remote(a.base() + "/acme/app.git");
        f.appendConfig("[http]\n\tcookieFile = " + cookies + "\n\tsaveCookies = true\n");
        f.start();
        f.error("git_push", Map.of("dir", "proj"));
        assertTrue(a.requests() > 0);
        assertEquals(List.of(), a.cookies(), "a cookie from an agent-chosen file was sent");
        assertEquals(jar, Files.readString(cookies), "the cookie file named by the repository was written");
    }

    @Test
    void aHubTokenIsSentOnlyOverVerifiedTlsWhateverHttpSslVerifySays() throws Exception {
        HttpsServer https = selfSignedServer();
        try {
            String base = "https://127.0.0.1:" + https.getAddress().getPort();
            remote(base + "/acme/app.git");
            f.appendConfig("[http]\n\tsslVerify = false\n");
            startWithCredential(base);
            String message = f.error("git_push", Map.of("dir", "proj"));
            assertEquals(List.of(), tlsAuthorizations, "the token went to a server whose certificate is not trusted");
            assertFalse(message.contains(TOKEN), message);
        } finally {
            https.stop(0);
        }
    }

    @Test
    void withoutAHubTokenTheRepositoryMayStillTurnTlsVerificationOff() throws Exception {
        HttpsServer https = selfSignedServer();
        try {
            String base = "https://127.0.0.1:" + https.getAddress().getPort();
            remote(base + "/acme/app.git");
            f.appendConfig("[http]\n\tsslVerify = false\n");
            startWithCredential("https://example.org");
            f.error("git_push", Map.of("dir", "proj"));
            assertTrue(tlsRequests.get() > 0, "the handshake with a self-signed server failed");
        } finally {
            https.stop(0);
        }
    }

    private final List<String> tlsAuthorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger tlsRequests = new AtomicInteger();

    /** Starts an https server on loopback with a certificate nobody trusts; it records Authorization headers. */
    private HttpsServer selfSignedServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-keystore",
                        keystore.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            tlsRequests.incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
            } else {
                tlsAuthorizations.add(auth);
                exchange.sendResponseHeaders(403, -1);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    /** A loopback HTTP/1.1 server that answers each connection once and records the requests it saw. */
    static final class RecordingServer implements AutoCloseable {
        record Request(String line, String authorization, String cookie) {}

        private final ServerSocket socket;
        private final Function<Request, String> answer;
        private final List<Request> seen = new CopyOnWriteArrayList<>();
        private final Thread loop;

        RecordingServer(Function<Request, String> answer) throws IOException {
            this.answer = answer;
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            loop = Thread.ofVirtual().start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        String base() {
            return "http://127.0.0.1:" + port();
        }

        int requests() {
            return seen.size();
        }

        List<String> cookies() {
            return seen.stream().map(Request::cookie).filter(c -> c != null).toList();
        }

        List<String> authorizations() {
            return seen.stream()
                    .map(Request::authorization)
                    .filter(a -> a != null)
                    .toList();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setSoTimeout(10_000);
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    String line = in.readLine();
                    String authorization = null;
                    String cookie = null;
                    for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                        String lower = h.toLowerCase(Locale.ROOT);
                        if (lower.startsWith("authorization:")) {
                            authorization =
                                    h.substring("authorization:".length()).strip();
                        } else if (lower.startsWith("cookie:")) {
                            cookie = h.substring("cookie:".length()).strip();
                        }
                    }
                    Request r = new Request(line, authorization, cookie);
                    seen.add(r);
                    OutputStream out = s.getOutputStream();
                    out.write(answer.apply(r).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // a closed server socket ends the loop; a broken client connection is the client's problem
                }
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
                loop.join(5_000);
            } catch (IOException | InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
