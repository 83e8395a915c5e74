package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.fleet.HostKey;
import dev.tandem.sync.SyncMain;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * An enrolled machine's {@code push-runtime --from} wires its Codex and Claude Code to the fleet hub (a real one on a
 * real PostgreSQL): the hub's {@code /mcp}, each engine with the key derived from the host key, which the hub then
 * knows as {@code codex@laptop} / {@code claude@laptop}; over TLS, trusting the fleet's private CA.
 */
class FleetWiringTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run sync(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SyncMain.commandLine(Map.of());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A fleet hub for host "desktop" serving a copy of this checkout's clients/ (its own source folder). */
    private TestHub fleetHub(FleetDatabase db, String extraToml) throws IOException {
        Path hubDir = dir.resolve("hub");
        copyTree(Checkouts.copy(dir.resolve("repo")).resolve("clients"), hubDir.resolve("home/.tandem/source"));
        return TestHub.start(hubDir, db.hubToml("desktop") + extraToml, null);
    }

    /** The laptop's home, enrolled as {@code tandem fleet enroll} leaves it. */
    private Path enrol(String url, String key, Optional<Path> ca) throws IOException {
        Path home = Files.createDirectories(dir.resolve("laptop"));
        Path fleet = Files.createDirectories(home.resolve(".tandem/fleet"));
        Files.writeString(fleet.resolve("hub.url"), url + "\n");
        Files.writeString(fleet.resolve("host.key"), key + "\n");
        Files.setPosixFilePermissions(fleet.resolve("host.key"), PosixFilePermissions.fromString("rw-------"));
        if (ca.isPresent()) {
            Files.copy(ca.get(), fleet.resolve("ca.pem"));
        }
        return home;
    }

    /** Runs the command a client's entry names for its headers (as Codex and Claude Code do: sh -c) and returns the key. */
    private static String helperKey(Path home, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command);
        pb.environment().clear();
        pb.environment().put("HOME", home.toString());
        pb.environment().put("PATH", "/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, command + ": " + out);
        String header = JSON.readTree(out).path("Authorization").asString();
        assertTrue(header.startsWith("Bearer "), "the helper prints a bearer header");
        return header.substring("Bearer ".length());
    }

    /** Enrols a machine with {@code key} and returns its home once its first {@code push-runtime --from} wired it. */
    private Path wired(TestHub hub, String key) throws IOException {
        Path home = enrol(hub.baseUrl(), key, Optional.empty());
        Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from");
        assertEquals(0, push.exit(), push.all());
        return home;
    }

    /** Returns how many files {@code check-sync --from} checks on the machine at {@code home}, which is in sync. */
    private int checked(Path home) {
        Run clean = sync("sync", "check-sync", "--home", home.toString(), "--from", "--json");
        assertEquals(0, clean.exit(), clean.all());
        return JSON.readTree(clean.out()).path("checked").asInt();
    }

    /** Returns {@code hub_info}'s caller as "ENGINE@HOST" for a client on {@code key}. */
    private static String caller(String base, String key, Optional<SSLContext> ssl) {
        HttpClient.Builder http = HttpClient.newBuilder();
        ssl.ifPresent(http::sslContext);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base)
                .endpoint("/mcp")
                .clientBuilder(http)
                .addHttpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + key))
                .build();
        try (McpSyncClient client = McpClient.sync(transport)
                .clientInfo(
                        McpSchema.Implementation.builder("wiring-test", "1.0.0").build())
                .requestTimeout(Duration.ofSeconds(30))
                .build()) {
            client.initialize();
            McpSchema.CallToolResult info = client.callTool(McpSchema.CallToolRequest.builder("hub_info")
                    .arguments(Map.of())
                    .build());
            assertFalse(info.isError(), info.content().toString());
            JsonNode who = JSON.valueToTree(info.structuredContent()).path("caller");
            return who.path("engine").asString() + "@" + who.path("host").asString();
        }
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            anchors.setCertificateEntry("ca", c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private static JsonNode claudeEntry(Path home) throws IOException {
        return JSON.readTree(Files.readString(home.resolve(".claude.json")))
                .path("mcpServers")
                .path("tandem");
    }

    private static String codexHelper(Path home) throws IOException {
        String config = Files.readString(home.resolve(".codex/config.toml"));
        return config.lines()
                .filter(l -> l.startsWith("http_headers_helper = "))
                .findFirst()
                .map(l -> l.substring("http_headers_helper = ".length()).replaceAll("^\"|\"$", ""))
                .orElseThrow(() -> new AssertionError("no http_headers_helper in\n" + config));
    }

    private static void assertNoKey(Run r, String hostKey) {
        for (String k : List.of(hostKey, HostKey.engineKey(hostKey, "codex"), HostKey.engineKey(hostKey, "claude"))) {
            assertFalse(r.all().contains(k), "a key was printed");
        }
    }

    @Test
    void pushFromWiresBothEnginesToTheFleetHubAsThatHostsEngines() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wire");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = enrol(hub.baseUrl(), key, Optional.empty());
            Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(0, push.exit(), push.all());
            assertNoKey(push, key);

            String mcp = hub.baseUrl() + "/mcp";
            assertTrue(Files.readString(home.resolve(".codex/config.toml")).contains("url = \"" + mcp + "\""));
            assertEquals(mcp, claudeEntry(home).path("url").asString());
            String codexKey = helperKey(home, codexHelper(home));
            String claudeKey =
                    helperKey(home, claudeEntry(home).path("headersHelper").asString());
            assertEquals(HostKey.engineKey(key, "codex"), codexKey);
            assertEquals(HostKey.engineKey(key, "claude"), claudeKey);
            assertEquals("codex@laptop", caller(hub.baseUrl(), codexKey, Optional.empty()));
            assertEquals("claude@laptop", caller(hub.baseUrl(), claudeKey, Optional.empty()));

            Path keys = home.resolve(".tandem/fleet/keys");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
            for (String engine : List.of("codex", "claude")) {
                assertEquals(
                        "rw-------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(engine))));
            }
            // the keys live only in their own files: not in the clients' config, the helper, the manifest or backups
            try (Stream<Path> all = Files.walk(home)) {
                for (Path f : all.filter(Files::isRegularFile).toList()) {
                    if (f.startsWith(keys) || f.equals(home.resolve(".tandem/fleet/host.key"))) {
                        continue;
                    }
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertFalse(
                            text.contains(codexKey) || text.contains(claudeKey) || text.contains(key), f.toString());
                }
            }
            Run again = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(0, again.exit(), again.all());
            assertTrue(again.out().contains("nothing to write"), again.out());
            assertFalse(again.all().contains("no token file"), "a fleet machine needs no token of its own");
        }
    }

    @Test
    void checkSyncFromReportsAMissingOrRotatedEngineKeyAndPushMendsIt() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wirecheck");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = wired(hub, key);
            Run clean = sync("sync", "check-sync", "--home", home.toString(), "--from");
            assertEquals(0, clean.exit(), clean.all());

            // a client pointed back at another hub is drift, named by its key path
            Path claudeJson = home.resolve(".claude.json");
            String wired = Files.readString(claudeJson);
            Files.writeString(claudeJson, wired.replace(hub.baseUrl() + "/mcp", "http://127.0.0.1:8765/mcp"));
            Run url = sync("sync", "check-sync", "--home", home.toString(), "--from");
            assertEquals(1, url.exit(), url.all());
            assertTrue(
                    url.out()
                                    .contains("mcpServers.tandem: expected {\"type\":\"http\",\"url\":\""
                                            + hub.baseUrl() + "/mcp")
                            && url.out().contains("\"url\":\"http://127.0.0.1:8765/mcp\""),
                    url.out());
            Files.writeString(claudeJson, wired);

            Path claudeKey = home.resolve(".tandem/fleet/keys/claude");
            Files.delete(claudeKey);
            Run missing = sync("sync", "check-sync", "--home", home.toString(), "--from");
            assertEquals(1, missing.exit(), missing.all());
            assertTrue(
                    missing.out().contains(claudeKey.toString())
                            && missing.out().contains("no file"),
                    missing.out());

            String rotated = db.fleet().rotate("laptop", "test").key();
            Files.writeString(home.resolve(".tandem/fleet/host.key"), rotated + "\n");
            Run stale = sync("sync", "check-sync", "--home", home.toString(), "--from", "--json");
            assertEquals(1, stale.exit(), stale.all());
            assertTrue(stale.out().contains("another key"), stale.out());
            assertNoKey(stale, key);
            assertNoKey(stale, rotated);

            Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(0, push.exit(), push.all());
            assertEquals(
                    0,
                    sync("sync", "check-sync", "--home", home.toString(), "--from")
                            .exit());
            String codexKey = helperKey(home, codexHelper(home));
            assertEquals(HostKey.engineKey(rotated, "codex"), codexKey);
            assertEquals("codex@laptop", caller(hub.baseUrl(), codexKey, Optional.empty()));
        }
    }

    @Test
    void dryRunFromNamesTheEngineKeysItWouldWriteButNeverTheirContent() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wiredry");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = enrol(hub.baseUrl(), key, Optional.empty());
            Run dry = sync("sync", "push-runtime", "--home", home.toString(), "--from", "--dry-run");
            assertEquals(0, dry.exit(), dry.all());
            assertNoKey(dry, key);
            Path keys = home.resolve(".tandem/fleet/keys");
            for (String engine : List.of("codex", "claude")) {
                assertTrue(
                        dry.out()
                                .contains("would write " + keys.resolve(engine) + " (the " + engine
                                        + " key derived from the host key, now no file; a key is never shown)"),
                        dry.out());
            }
            assertFalse(Files.exists(keys), "a dry run wrote a key");
            // the count names every file the dry run listed, the keys included
            long listed = dry.out().lines().filter(l -> l.startsWith("would ")).count();
            assertTrue(
                    dry.out().contains("tandem: dry run, nothing written (" + listed + " file(s) would change)"),
                    dry.out());

            assertEquals(
                    0,
                    sync("sync", "push-runtime", "--home", home.toString(), "--from")
                            .exit());
            Run again = sync("sync", "push-runtime", "--home", home.toString(), "--from", "--dry-run");
            assertEquals(0, again.exit(), again.all());
            assertTrue(again.out().lines().noneMatch(l -> l.startsWith("would ")), again.out());
        }
    }

    @Test
    void checkSyncFromCountsTheEngineKeysWhetherOrNotTheyDrifted() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wirecount");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = wired(hub, key);
            int checked = checked(home);

            Files.delete(home.resolve(".tandem/fleet/keys/claude"));
            Run missing = sync("sync", "check-sync", "--home", home.toString(), "--from", "--json");
            assertEquals(1, missing.exit(), missing.all());
            assertEquals(checked, JSON.readTree(missing.out()).path("checked").asInt(), missing.out());
            Run text = sync("sync", "check-sync", "--home", home.toString(), "--from");
            assertTrue(text.out().contains("drift in 1 of " + checked + " files"), text.out());
            // a push's dry run counts the same files: the keys are checked there too
            Run dry = sync("sync", "push-runtime", "--home", home.toString(), "--from", "--dry-run");
            assertTrue(dry.out().contains("(1 file(s) would change)"), dry.out());
            assertEquals(
                    0,
                    sync("sync", "push-runtime", "--home", home.toString(), "--from")
                            .exit());
            Run synced = sync("sync", "push-runtime", "--home", home.toString(), "--from", "--dry-run");
            assertTrue(
                    synced.out().contains("tandem: nothing to write, " + checked + " files already in sync"),
                    synced.out());
        }
    }

    @Test
    void pushWithOnlyAnEngineKeyToWriteNamesItAndCountsOnlyTheFilesInSync() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wirekeyonly");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = wired(hub, key);
            int checked = checked(home);

            Path claudeKey = home.resolve(".tandem/fleet/keys/claude");
            Files.delete(claudeKey);
            Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(0, push.exit(), push.all());
            assertNoKey(push, key);
            assertFalse(push.out().contains("nothing to write"), push.out());
            assertTrue(
                    push.out()
                            .contains("write " + claudeKey
                                    + " (the claude key derived from the host key, was no file; a key is never shown)"),
                    push.out());
            assertTrue(
                    push.out()
                            .contains("tandem: wrote 1 engine key file(s), " + (checked - 1)
                                    + " other files already in sync"),
                    push.out());
            assertEquals(HostKey.engineKey(key, "claude") + "\n", Files.readString(claudeKey));
            assertTrue(
                    sync("sync", "push-runtime", "--home", home.toString(), "--from")
                            .out()
                            .contains("tandem: nothing to write, " + checked + " files already in sync"),
                    "in sync again");
        }
    }

    @Test
    void pushThatLeavesAnEditedFileAloneSaysWhichKeyFilesWaitAndCountsNeitherAsInSync() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wirewait");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = wired(hub, key);
            int checked = checked(home);

            Path claudeKey = home.resolve(".tandem/fleet/keys/claude");
            Files.delete(claudeKey);
            Path skill = home.resolve(".claude/skills/recall/SKILL.md");
            Files.writeString(skill, "my own recall\n");
            Path claudeJson = home.resolve(".claude.json");
            String wired = Files.readString(claudeJson);
            Files.writeString(claudeJson, wired.replace(hub.baseUrl() + "/mcp", "http://127.0.0.1:8765/mcp"));

            // a file written, an edited one left alone: the key waits, and the summary says so
            Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(1, push.exit(), push.all());
            assertTrue(
                    push.out()
                            .contains("tandem: wrote 1 file(s); backups under " + home.resolve(".tandem/backups")
                                    + "; 1 engine key file(s) wait for the edited file(s) below to be settled\n"),
                    push.out());
            assertFalse(Files.exists(claudeKey), "a key was written beside an edited file");

            // nothing else to write: neither the waiting key nor the edited file counts as in sync
            Run again = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(1, again.exit(), again.all());
            assertTrue(
                    again.out()
                            .contains("tandem: nothing written; 1 engine key file(s) wait for the edited file(s)"
                                    + " below to be settled, " + (checked - 2) + " other files already in sync\n"),
                    again.out());
            assertTrue(again.out().contains("tandem: " + skill + ": edited since the last push"), again.out());

            Run forced = sync("sync", "push-runtime", "--home", home.toString(), "--from", "--force", skill.toString());
            assertEquals(0, forced.exit(), forced.all());
            assertNoKey(forced, key);
            assertTrue(
                    forced.out()
                            .contains("tandem: wrote 2 file(s); backups under " + home.resolve(".tandem/backups")
                                    + " (none of the 1 key file(s): a key is never backed up)\n"),
                    forced.out());
            assertEquals(HostKey.engineKey(key, "claude") + "\n", Files.readString(claudeKey));

            // no key to write, an edited file left alone: it is not counted as in sync either
            Files.writeString(skill, "my own recall again\n");
            Run edited = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(1, edited.exit(), edited.all());
            assertTrue(
                    edited.out().contains("tandem: nothing to write, " + (checked - 1) + " files already in sync\n"),
                    edited.out());
        }
    }

    @Test
    void anEngineKeyFileThatCannotBeReadIsReportedStaleAndReplacedByPush() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wireunread");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = enrol(hub.baseUrl(), key, Optional.empty());
            // a key file every read of which fails, even as root (whom mode 000 does not stop): a link to this
            // process's memory, whose first page is never mapped, so reading it fails with EIO
            Path claudeKey =
                    Files.createDirectories(home.resolve(".tandem/fleet/keys")).resolve("claude");
            Files.createSymbolicLink(claudeKey, Path.of("/proc/self/mem"));
            Run check = sync("sync", "check-sync", "--home", home.toString(), "--from");
            assertEquals(1, check.exit(), check.all());
            assertTrue(
                    check.out()
                            .contains("drift: " + claudeKey + "\n  key: expected the claude key derived from the"
                                    + " host key, actual unreadable ("),
                    check.out());

            Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(0, push.exit(), push.all());
            assertNoKey(push, key);
            assertTrue(
                    push.out()
                            .contains("write " + claudeKey
                                    + " (the claude key derived from the host key, was unreadable ("),
                    push.out());
            assertTrue(push.out().contains("tandem: wrote "), push.out());
            assertTrue(Files.isRegularFile(claudeKey, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the link is replaced");
            assertEquals(HostKey.engineKey(key, "claude") + "\n", Files.readString(claudeKey));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(claudeKey)));
            Run again = sync("sync", "check-sync", "--home", home.toString(), "--from");
            assertEquals(0, again.exit(), again.all());
        }
    }

    @Test
    void aKeyFileThatCannotBeWrittenIsNamedWithItsCauseAfterTheSummaryAndTheOtherKeyIsWritten() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wirekeyfail");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = enrol(hub.baseUrl(), key, Optional.empty());
            // the claude key's staging file (written beside it, then renamed over it) is a folder that is not empty:
            // the write fails even as root, whom permission bits do not stop
            Path keys = Files.createDirectories(home.resolve(".tandem/fleet/keys"));
            Path obstacle = Files.createDirectories(keys.resolve(".claude.tmp/in-the-way"));
            Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from");

            assertEquals(2, push.exit(), push.all());
            assertNoKey(push, key);
            // the summary says what was written and where the backups are, the error names the key file and why
            assertTrue(
                    push.out()
                            .contains("; backups under " + home.resolve(".tandem/backups")
                                    + " (none of the 1 key file(s): a key is never backed up); 1 engine key file(s)"
                                    + " could not be written (below)\n"),
                    push.out());
            assertTrue(push.out().contains("write " + keys.resolve("codex") + " ("), push.out());
            assertFalse(push.out().contains("write " + keys.resolve("claude") + " ("), push.out());
            assertTrue(
                    push.err()
                            .contains("tandem: " + keys.resolve("claude") + ": cannot write the engine's key ("
                                    + keys.resolve(".claude.tmp") + ": directory not empty); the files listed"
                                    + " above were written"),
                    push.err());
            assertEquals(HostKey.engineKey(key, "codex") + "\n", Files.readString(keys.resolve("codex")));
            assertFalse(Files.exists(keys.resolve("claude")), "the claude key was written");
            assertTrue(
                    Files.readString(home.resolve(".codex/config.toml")).contains(hub.baseUrl() + "/mcp"),
                    "the config files were written before the key");

            Files.delete(obstacle);
            Files.delete(obstacle.getParent());
            Run again = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(0, again.exit(), again.all());
            assertTrue(again.out().contains("tandem: wrote 1 engine key file(s), "), again.out());
            assertEquals(HostKey.engineKey(key, "claude") + "\n", Files.readString(keys.resolve("claude")));
        }
    }

    @Test
    void anEngineKeyFileOthersCanReadIsDriftAndPushMakesItOwnerOnly() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wiremode");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = wired(hub, key);
            Path claudeKey = home.resolve(".tandem/fleet/keys/claude");
            Files.setPosixFilePermissions(claudeKey, PosixFilePermissions.fromString("rw-r--r--"));

            Run check = sync("sync", "check-sync", "--home", home.toString(), "--from");
            assertEquals(1, check.exit(), check.all());
            assertTrue(
                    check.out()
                            .contains("drift: " + claudeKey + "\n  key: expected the claude key derived from the host"
                                    + " key, owner-only (rw-------), actual readable by others (rw-r--r--)"),
                    check.out());
            assertNoKey(check, key);

            Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(0, push.exit(), push.all());
            assertTrue(push.out().contains("tandem: wrote 1 engine key file(s), "), push.out());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(claudeKey)));
            assertEquals(HostKey.engineKey(key, "claude") + "\n", Files.readString(claudeKey));
            assertEquals(
                    0,
                    sync("sync", "check-sync", "--home", home.toString(), "--from")
                            .exit());
        }
    }

    @Test
    void pushFromInEnvModeExportsTheDerivedKeys() throws Exception {
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wireenv");
                TestHub hub = fleetHub(db, "")) {
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = enrol(hub.baseUrl(), key, Optional.empty());
            Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from", "--auth", "env");
            assertEquals(0, push.exit(), push.all());
            ProcessBuilder pb =
                    new ProcessBuilder("bash", "-c", ". \"$HOME/.bashrc\"; printf %s \"$TANDEM_CLAUDE_TOKEN\"");
            pb.environment().put("HOME", home.toString());
            Process p = pb.start();
            String exported = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(HostKey.engineKey(key, "claude"), exported);
            assertEquals("claude@laptop", caller(hub.baseUrl(), exported, Optional.empty()));
        }
    }

    // ---- over TLS, with the fleet's private CA ---------------------------------------------------------------

    @Test
    void pushFromAnHttpsHubTrustsTheEnrolledCaAndWiresItIntoBothClients() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "tandem-test-fleet-ca");
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wiretls");
                TestHub hub = fleetHub(db, ca.tlsToml())) {
            String base = "https://127.0.0.1:" + hub.port();
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = enrol(base, key, Optional.of(ca.caPem()));
            Run push = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(0, push.exit(), push.all());
            assertTrue(push.err().contains("CODEX_CA_CERTIFICATE"), push.err());
            Path enrolledCa = home.resolve(".tandem/fleet/ca.pem");
            assertEquals(base + "/mcp", claudeEntry(home).path("url").asString());
            JsonNode settings = JSON.readTree(Files.readString(home.resolve(".claude/settings.json")));
            assertEquals(
                    enrolledCa.toString(),
                    settings.path("env").path("NODE_EXTRA_CA_CERTS").asString());
            assertTrue(
                    Files.readString(home.resolve(".bashrc")).contains("export CODEX_CA_CERTIFICATE=" + enrolledCa),
                    Files.readString(home.resolve(".bashrc")));
            String claudeKey =
                    helperKey(home, claudeEntry(home).path("headersHelper").asString());
            assertEquals("claude@laptop", caller(base, claudeKey, Optional.of(trusting(ca.caPem()))));
            assertEquals(
                    0,
                    sync("sync", "check-sync", "--home", home.toString(), "--from")
                            .exit());
        }
    }

    @Test
    void pushFromAnHttpsHubWithoutItsCaIsRefusedAndWritesNothing() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "tandem-test-fleet-ca");
        TestCa other = TestCa.create(dir.resolve("other"), "tandem-test-other-ca");
        try (FleetDatabase db = FleetDatabase.create(dir.resolve("db"), "wirenoca");
                TestHub hub = fleetHub(db, ca.tlsToml())) {
            String base = "https://127.0.0.1:" + hub.port();
            String key = db.fleet().add("laptop", true, "test").key();
            Path home = enrol(base, key, Optional.empty());
            Run none = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(2, none.exit(), none.all());
            assertTrue(none.err().contains(base + "/api/fleet/clients: cannot reach the fleet hub"), none.err());
            assertNoKey(none, key);
            Run wrong = sync(
                    "sync",
                    "push-runtime",
                    "--home",
                    home.toString(),
                    "--from",
                    "--ca-file",
                    other.caPem().toString());
            assertEquals(2, wrong.exit(), wrong.all());
            assertTrue(wrong.err().contains("cannot reach the fleet hub"), wrong.err());
            for (String written : List.of(".codex", ".claude", ".claude.json", ".bashrc", ".tandem/fleet/keys")) {
                assertFalse(Files.exists(home.resolve(written)), written);
            }
            Run right = sync(
                    "sync",
                    "push-runtime",
                    "--home",
                    home.toString(),
                    "--from",
                    "--ca-file",
                    ca.caPem().toString());
            assertEquals(0, right.exit(), right.all());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
