package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.hub.fleet.FleetMode;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the hub: required off loopback, and end to end on loopback with a self-signed certificate. */
class FleetTlsTest {
    @TempDir
    Path dir;

    /** Makes a self-signed certificate for 127.0.0.1 with the JDK's keytool; writes cert.pem and key.pem (0600). */
    private KeyStore selfSigned() throws Exception {
        Path store = dir.resolve("hub.p12");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "hub",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=tandem-test-hub",
                        "-ext",
                        "san=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate("hub");
        PrivateKey key = (PrivateKey) ks.getKey("hub", "changeit".toCharArray());
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(
                dir.resolve("cert.pem"),
                "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(cert.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(
                keyFile,
                "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("hub", cert);
        return trust;
    }

    private String tlsToml() {
        return "[tls]\ncert = \"" + dir.resolve("cert.pem") + "\"\nkey = \"" + dir.resolve("key.pem") + "\"\n";
    }

    private HubConfig config(String host, Boolean allowRemote, String toml) throws Exception {
        Path home = Files.createDirectories(dir.resolve("cfg/home"));
        Path tandem = Files.createDirectories(home.resolve(".tandem"));
        Files.writeString(tandem.resolve("hub.toml"), toml);
        HubConfigLoader loader = new HubConfigLoader(home, dir, dir, Map.of());
        return loader.load(
                Optional.empty(), new HubFlags(host, 0, allowRemote, null, null, null, List.of(dir), null, null, null));
    }

    @Test
    void nonLoopbackAddressWithoutTlsIsRefusedBeforeAnythingIsBound() throws Exception {
        ConfigException e =
                assertThrows(ConfigException.class, () -> FleetMode.from(config("0.0.0.0", true, ""), false));
        assertTrue(e.getMessage().contains("refusing to bind 0.0.0.0 without TLS"), e.getMessage());
        assertTrue(e.getMessage().contains("[tls] cert") && e.getMessage().contains("[tls] key"), e.getMessage());
    }

    @Test
    void fleetOnTheSqliteStoreIsRefused() throws Exception {
        ConfigException e =
                assertThrows(ConfigException.class, () -> FleetMode.from(config("127.0.0.1", null, ""), true));
        assertTrue(e.getMessage().startsWith("--fleet needs a PostgreSQL store"), e.getMessage());
    }

    @Test
    void tlsKeyOthersCanReadIsRefused() throws Exception {
        selfSigned();
        Files.setPosixFilePermissions(dir.resolve("key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e =
                assertThrows(ConfigException.class, () -> FleetMode.from(config("0.0.0.0", true, tlsToml()), false));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void hubServesMcpOverHttpsToAClientThatTrustsItsCertificate() throws Exception {
        KeyStore trust = selfSigned();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (TestHub hub = TestHub.start(dir.resolve("hub"), tlsToml(), null)) {
            assertTrue(
                    hub.hub().url().startsWith("https://127.0.0.1:"), hub.hub().url());
            String base = "https://127.0.0.1:" + hub.port();
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> health = https.send(
                    HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            // plain HTTP is not served, and a client that does not trust the certificate gets no answer
            assertThrows(
                    Exception.class,
                    () -> HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(5))
                            .build()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/health"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()));
            assertThrows(
                    Exception.class,
                    () -> HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(base + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()));
            String token = hub.token();
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base)
                    .endpoint("/mcp")
                    .clientBuilder(HttpClient.newBuilder().sslContext(ssl))
                    .addHttpRequestCustomizer(
                            (b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + token))
                    .build();
            try (McpSyncClient client = McpClient.sync(transport)
                    .clientInfo(McpSchema.Implementation.builder("tls-test", "1.0.0")
                            .build())
                    .requestTimeout(Duration.ofSeconds(30))
                    .build()) {
                client.initialize();
                McpSchema.CallToolResult info = client.callTool(McpSchema.CallToolRequest.builder("hub_info")
                        .arguments(Map.of())
                        .build());
                assertFalse(info.isError(), info.content().toString());
            }
        }
    }

    // ---- the plain loopback listener beside TLS -------------------------------------------------------------

    private static int initializeFrom(String base, String key, String from, Optional<SSLContext> ssl) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder()
                .localAddress(java.net.InetAddress.getByName(from))
                .connectTimeout(Duration.ofSeconds(10));
        ssl.ifPresent(b::sslContext);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/mcp"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(McpHttp.initialize("2025-11-25")));
        McpHttp.headers(key).forEach(req::header);
        return b.build().send(req.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private SSLContext trustingSelfSigned() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(selfSigned());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    @Test
    void hubWithTlsAlsoAnswersMcpInPlainHttpOn127001Only() throws Exception {
        trustingSelfSigned();
        try (TestHub hub = TestHub.start(dir.resolve("hub"), tlsToml(), null)) {
            int local = hub.hub().server().localPort().orElseThrow();
            assertEquals("http://127.0.0.1:" + local + "/mcp", hub.hub().localUrl());
            HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                            "http://127.0.0.1:" + local)
                    .endpoint("/mcp")
                    .addHttpRequestCustomizer(
                            (b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + hub.token()))
                    .build();
            try (McpSyncClient client = McpClient.sync(transport)
                    .clientInfo(McpSchema.Implementation.builder("local-test", "1.0.0")
                            .build())
                    .requestTimeout(Duration.ofSeconds(30))
                    .build()) {
                client.initialize();
                McpSchema.CallToolResult info = client.callTool(McpSchema.CallToolRequest.builder("hub_info")
                        .arguments(Map.of())
                        .build());
                assertFalse(info.isError(), info.content().toString());
            }
            // the same edge as the TLS listener: no token, a forged Host, a foreign Origin are refused
            assertEquals(
                    401,
                    RawHttp.send(local, "POST", "/mcp", McpHttp.headers("wrong"), McpHttp.initialize("2025-11-25"))
                            .status());
            assertEquals(
                    421,
                    RawHttp.send(
                                    local,
                                    "POST",
                                    "/mcp",
                                    McpHttp.with(McpHttp.headers(hub.token()), "Host", "evil.example:" + local),
                                    McpHttp.initialize("2025-11-25"))
                            .status());
            assertEquals(
                    403,
                    RawHttp.send(
                                    local,
                                    "POST",
                                    "/mcp",
                                    McpHttp.with(McpHttp.headers(hub.token()), "Origin", "http://evil.example"),
                                    McpHttp.initialize("2025-11-25"))
                            .status());
            // bound to 127.0.0.1 alone: another loopback address and every address of this machine's interfaces
            // that is not loopback find nothing listening there
            List<java.net.InetAddress> others = new java.util.ArrayList<>();
            others.add(java.net.InetAddress.getByName("127.0.0.2"));
            for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                java.util.Collections.list(nic.getInetAddresses()).stream()
                        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                        .forEach(others::add);
            }
            for (java.net.InetAddress a : others) {
                assertThrows(
                        java.io.IOException.class,
                        () -> {
                            try (java.net.Socket s = new java.net.Socket()) {
                                s.connect(new java.net.InetSocketAddress(a, local), 3000);
                            }
                        },
                        a + " reached the plain listener");
            }
        }
    }

    @Test
    void hostKeyBindingHoldsOnThePlainListenerAsOnTheTlsOne() throws Exception {
        SSLContext ssl = trustingSelfSigned();
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "locallistener");
                TestHub hub = TestHub.start(dir.resolve("hub"), db.hubToml("desktop") + tlsToml(), null)) {
            String tls = "https://127.0.0.1:" + hub.port();
            String plain = "http://127.0.0.1:" + hub.hub().server().localPort().orElseThrow();
            // a machine at 127.0.0.2 binds its key over TLS; the same key on the plain listener (which only the hub's
            // own machine reaches, from 127.0.0.1) is refused like a stolen key
            String far = db.fleet().add("far", false, "test").key();
            assertEquals(200, initializeFrom(tls, far, "127.0.0.2", Optional.of(ssl)));
            assertEquals(
                    401,
                    initializeFrom(
                            plain,
                            dev.tandem.core.fleet.HostKey.engineKey(far, "codex"),
                            "127.0.0.1",
                            Optional.empty()));
            // a key bound to 127.0.0.1 works on both listeners
            String near = db.fleet().add("near", false, "test").key();
            assertEquals(200, initializeFrom(plain, near, "127.0.0.1", Optional.empty()));
            assertEquals(200, initializeFrom(tls, near, "127.0.0.1", Optional.of(ssl)));
            db.fleet().revoke("near", "test");
            assertEquals(401, initializeFrom(plain, near, "127.0.0.1", Optional.empty()));
            // over TLS the binding is the literal address too, never a name reverse DNS gives (here: localhost)
            String viaTls = db.fleet().add("viatls", false, "test").key();
            assertEquals(200, initializeFrom(tls, viaTls, "127.0.0.1", Optional.of(ssl)));
            assertEquals(
                    "127.0.0.1",
                    db.fleet().hosts().stream()
                            .filter(h -> h.name().equals("viatls"))
                            .findFirst()
                            .orElseThrow()
                            .boundIp()
                            .orElseThrow());
            assertEquals(200, initializeFrom(plain, viaTls, "127.0.0.1", Optional.empty()));
        }
    }

    @Test
    void servedWithTlsTheRuntimeFileNamesThePlainListenerAndDoctorAndDashboardUseIt() throws Exception {
        trustingSelfSigned();
        Path home = Files.createDirectories(dir.resolve("child"));
        Files.createDirectories(home.resolve(".tandem"));
        Files.writeString(home.resolve(".tandem/hub.toml"), tlsToml());
        try (ChildHub hub = ChildHub.run(
                home,
                "serve",
                "--port",
                "0",
                "--root",
                Files.createDirectories(home.resolve("work")).toString())) {
            String ready = hub.readLine();
            assertTrue(
                    ready != null && ready.startsWith("tandem hub listening on https://127.0.0.1:"), hub::stderrSoFar);
            tools.jackson.databind.JsonNode runtime = dev.tandem.core.json.Json.mapper()
                    .readTree(Files.readString(home.resolve(".tandem/state/hub.json")));
            String url = runtime.path("url").asString();
            assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/mcp"), url);
            assertTrue(hub.stderrSoFar().contains("for this machine's own clients: " + url), hub::stderrSoFar);
            String origin = url.substring(0, url.length() - "/mcp".length());
            try (ChildHub dashboard = ChildHub.run(home, "dashboard")) {
                String line = dashboard.readLine();
                assertEquals(0, dashboard.waitFor(60), dashboard::stderr);
                assertTrue(line != null && line.startsWith(origin + "/"), () -> line + dashboard.stderr());
            }
            try (ChildHub doctor = ChildHub.run(home, "doctor", "--json")) {
                StringBuilder out = new StringBuilder();
                for (String l = doctor.readLine(); l != null; l = doctor.readLine()) {
                    out.append(l);
                }
                doctor.waitFor(120);
                tools.jackson.databind.JsonNode hubCheck = null;
                for (tools.jackson.databind.JsonNode c :
                        dev.tandem.core.json.Json.mapper().readTree(out.toString())) {
                    if (c.path("check").asString().equals("hub")) {
                        hubCheck = c;
                    }
                }
                assertTrue(hubCheck != null, out::toString);
                assertEquals("ok", hubCheck.path("status").asString(), hubCheck.toString());
                assertTrue(hubCheck.path("detail").asString().contains(url), hubCheck.toString());
            }
        }
    }

    @Test
    void plainListenerThatRanOutOfDescriptorsIsStartedAgain() throws Exception {
        trustingSelfSigned();
        Path home = Files.createDirectories(dir.resolve("child"));
        Files.createDirectories(home.resolve(".tandem"));
        Files.writeString(home.resolve(".tandem/hub.toml"), "[hub]\nidle_connection_seconds = 2\n" + tlsToml());
        try (ChildHub hub = ChildHub.run(
                home,
                "serve",
                "--port",
                "0",
                "--root",
                Files.createDirectories(home.resolve("work")).toString())) {
            String ready = hub.readLine();
            assertTrue(ready != null && ready.startsWith("tandem hub listening on https://"), hub::stderrSoFar);
            String url = dev.tandem.core.json.Json.mapper()
                    .readTree(Files.readString(home.resolve(".tandem/state/hub.json")))
                    .path("url")
                    .asString();
            int local = URI.create(url).getPort();
            assertEquals(200, ChildHub.health(local));
            // the limit drops below what the hub planned for when it started: accept on the plain listener fails,
            // and Helidon's listener there gives up as the main one would (FileDescriptorLimitTest)
            long pid = hub.process.pid();
            long open;
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                open = fds.count();
            }
            Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + (open + 20))
                    .inheritIO()
                    .start();
            assertEquals(0, prlimit.waitFor());
            FileDescriptorLimitTest.flood(local, 200);
            int status = FileDescriptorLimitTest.healthWithin(local, 60_000);
            hub.process.destroy();
            String log = hub.stderr();
            assertEquals(200, status, log);
            assertTrue(
                    log.contains("the plain-HTTP listener on 127.0.0.1:" + local + " stopped accepting connections"),
                    "the plain listener never failed: " + log);
        }
    }
}
