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
}
