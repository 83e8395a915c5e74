package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.SyncMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code push-runtime --from} and {@code check-sync --from} against a real hub on port 0 that serves its canonical
 * {@code clients/} ({@code GET /api/fleet/clients}), and the attacks on that API: paths out of the folder, links,
 * huge and special files, a hub that lies about a file.
 */
class FleetSyncTest {
    @TempDir
    Path dir;

    private Path hubSource;

    /** The hub's home holds its own source folder, a copy of this checkout's clients/. */
    @BeforeEach
    void source() throws IOException {
        hubSource = dir.resolve("hub/home/.tandem/source");
        copyTree(Checkouts.copy(dir.resolve("repo")).resolve("clients"), hubSource);
    }

    private TestHub hub() {
        return TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"laptop\"\n", null);
    }

    /** A machine's home enrolled with {@code hub}: its URL and key in {@code ~/.tandem/fleet}. */
    private Path enrolled(String name, TestHub hub) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Path fleet = Files.createDirectories(home.resolve(".tandem/fleet"));
        Files.writeString(fleet.resolve("hub.url"), hub.baseUrl() + "\n");
        Files.writeString(fleet.resolve("host.key"), hub.token() + "\n");
        return home;
    }

    record Run(int exit, String out, String err) {}

    private static Run sync(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SyncMain.commandLine(Map.of());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void pushFromTheFleetWritesTheSameHomeAsALocalPushOfTheSameClients() throws Exception {
        try (TestHub hub = hub()) {
            // the same home both times (the deployed files name the home's own paths), emptied in between
            Path home = Files.createDirectories(dir.resolve("machine"));
            copyTree(hubSource, home.resolve(".tandem/source"));
            // the local push wired to the same hub URL as --from wires the clients to
            Files.writeString(home.resolve(".tandem/hub.toml"), "[sync]\nhub_url = \"" + hub.baseUrl() + "/mcp\"\n");
            String repo = dir.resolve("repo").toString();
            Run l = sync("sync", "push-runtime", "--home", home.toString(), "--repo", repo);
            assertEquals(0, l.exit(), l.err());
            Map<String, String> fromLocal = clientHomes(home);
            assertTrue(fromLocal.size() > 5, fromLocal.keySet().toString());
            for (String top : List.of(".codex", ".claude", ".claude.json", ".tandem")) {
                deleteTree(home.resolve(top));
            }
            enrolled("machine", hub);
            Run f = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(0, f.exit(), f.err());
            assertFalse(Files.exists(home.resolve(".tandem/source")));
            assertEquals(fromLocal, clientHomes(home));
            assertTrue(f.err().contains("is not a fleet host key"), f.err());
            assertFalse(f.out().contains(hub.token()) || f.err().contains(hub.token()));
        }
    }

    @Test
    void checkSyncFromTheFleetReportsDriftOnceTheFleetsContentChanged() throws Exception {
        try (TestHub hub = hub()) {
            Path home = enrolled("fleet", hub);
            assertEquals(
                    0,
                    sync("sync", "push-runtime", "--home", home.toString(), "--from")
                            .exit());
            Run clean = sync("sync", "check-sync", "--home", home.toString(), "--from");
            assertEquals(0, clean.exit(), clean.out() + clean.err());
            Files.writeString(hubSource.resolve("shared/commands/fleet-only.md"), "# Fleet only\n\nA new command.\n");
            Run drift = sync("sync", "check-sync", "--home", home.toString(), "--from", hub.baseUrl());
            assertEquals(1, drift.exit(), drift.out() + drift.err());
            assertTrue(drift.out().contains("fleet-only"), drift.out());
        }
    }

    @Test
    void pushFromANonLoopbackPlainHttpHubIsRefusedBeforeAnyConnection() throws Exception {
        try (TestHub hub = hub()) {
            Path home = enrolled("fleet", hub);
            Run r = sync("sync", "push-runtime", "--home", home.toString(), "--from", "http://192.0.2.1:8080");
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("plain http:// is only for a hub on this machine"), r.err());
            assertFalse(Files.exists(home.resolve(".codex")));
        }
    }

    @Test
    void pushWithAWrongKeyWritesNothingAndNeverPrintsTheKey() throws Exception {
        try (TestHub hub = hub()) {
            Path home = enrolled("fleet", hub);
            String wrong = "not-the-key-0123456789";
            Files.writeString(home.resolve(".tandem/fleet/host.key"), wrong);
            Run r = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("answered 401"), r.err());
            assertFalse(r.err().contains(wrong) || r.out().contains(wrong));
            assertFalse(Files.exists(home.resolve(".codex")));
            assertFalse(Files.exists(home.resolve(".claude")));
        }
    }

    // ---- a hub that lies: the client checks everything before writing anything ------------------------------

    @Test
    void fileThatDoesNotMatchItsSha256StopsThePushWithNothingWritten() throws Exception {
        String good = "# Deploy\n\nSteps.\n";
        String manifest = manifest("shared/commands/deploy.md", Sha256.hex(good), good.length());
        try (Liar liar = new Liar(manifest, Map.of("shared/commands/deploy.md", "# Deploy\n\nSteps!\n"))) {
            Path home = liarHome(liar);
            Run r = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("is not the one the manifest lists"), r.err());
            assertFalse(Files.exists(home.resolve(".codex")));
            assertFalse(Files.exists(home.resolve(".claude")));
        }
    }

    @Test
    void manifestPathOutOfClientsIsRefusedWithNothingWritten() throws Exception {
        String body = "ssh-ed25519 AAAA attacker\n";
        String manifest = manifest("../../.ssh/authorized_keys", Sha256.hex(body), body.length());
        try (Liar liar = new Liar(manifest, Map.of())) {
            Path home = liarHome(liar);
            Run r = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("not a plain path inside clients/"), r.err());
            assertFalse(Files.exists(home.resolve(".ssh")));
            assertFalse(Files.exists(dir.resolve(".ssh")));
        }
    }

    @Test
    void fileLongerThanTheManifestSaysIsRefused() throws Exception {
        String manifest = manifest("shared/commands/deploy.md", Sha256.hex("short"), 5);
        try (Liar liar = new Liar(manifest, Map.of("shared/commands/deploy.md", "short" + "x".repeat(100_000)))) {
            Path home = liarHome(liar);
            Run r = sync("sync", "push-runtime", "--home", home.toString(), "--from");
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("longer than the 5 bytes expected"), r.err());
            assertFalse(Files.exists(home.resolve(".codex")));
        }
    }

    // ---- the hub's side: nothing outside clients/ leaves it --------------------------------------------------

    @Test
    void fleetApiNeedsTheBearerCredential() throws Exception {
        try (TestHub hub = hub()) {
            assertEquals(401, get(hub, "/api/fleet/clients", null).statusCode());
            assertEquals(
                    401,
                    get(hub, "/api/fleet/clients/shared/AGENTS.md", "wrong").statusCode());
            assertEquals(200, get(hub, "/api/fleet/clients", hub.token()).statusCode());
        }
    }

    @Test
    void pathsThatClimbOutOfClientsAreNotServed() throws Exception {
        try (TestHub hub = hub()) {
            Files.writeString(dir.resolve("hub/home/.tandem/secret.txt"), "top secret");
            for (String path : List.of(
                    "/api/fleet/clients/../secret.txt",
                    "/api/fleet/clients/%2e%2e/secret.txt",
                    "/api/fleet/clients/shared/%2e%2e/%2e%2e/secret.txt",
                    "/api/fleet/clients/shared/commands/..%2f..%2f..%2fsecret.txt",
                    "/api/fleet/clients//etc/passwd",
                    "/api/fleet/clients/shared%5C..%5C..%5Csecret.txt")) {
                HttpResponse<String> r = get(hub, path, hub.token());
                assertTrue(r.statusCode() == 404 || r.statusCode() == 400, path + " -> " + r.statusCode());
                assertFalse(r.body().contains("top secret"), path);
            }
        }
    }

    @Test
    void linksOutOfClientsAreNeitherListedNorServed() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.md"), "top secret");
        Files.createSymbolicLink(hubSource.resolve("shared/commands/leak.md"), secret);
        Path outside = Files.createDirectories(dir.resolve("outside/skill"));
        Files.writeString(outside.resolve("SKILL.md"), "top secret skill");
        Files.createSymbolicLink(hubSource.resolve("shared/skills/linked"), outside);
        try (TestHub hub = hub()) {
            String manifest = get(hub, "/api/fleet/clients", hub.token()).body();
            assertFalse(manifest.contains("leak.md") || manifest.contains("linked"), manifest);
            for (String path : List.of("shared/commands/leak.md", "shared/skills/linked/SKILL.md")) {
                HttpResponse<String> r = get(hub, "/api/fleet/clients/" + path, hub.token());
                assertEquals(404, r.statusCode(), path);
                assertFalse(r.body().contains("top secret"), path);
            }
        }
    }

    @Test
    void hugeFileIsRefusedByNameAndAFifoNeverBlocks() throws Exception {
        Files.write(hubSource.resolve("shared/memory/huge.md"), new byte[(8 << 20) + 1]);
        Process mkfifo = new ProcessBuilder(
                        "mkfifo", hubSource.resolve("shared/commands/pipe.md").toString())
                .start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
        try (TestHub hub = hub()) {
            HttpResponse<String> r = get(hub, "/api/fleet/clients", hub.token());
            assertEquals(409, r.statusCode(), r.body());
            assertTrue(r.body().contains("huge.md") && r.body().contains("8 MiB"), r.body());
            assertEquals(
                    404,
                    get(hub, "/api/fleet/clients/shared/commands/pipe.md", hub.token())
                            .statusCode());
            Files.delete(hubSource.resolve("shared/memory/huge.md"));
            String manifest = get(hub, "/api/fleet/clients", hub.token()).body();
            assertFalse(manifest.contains("pipe.md"), manifest);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static HttpResponse<String> get(TestHub hub, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String manifest(String path, String sha, long size) {
        return "{\"label\":\"clients/\",\"files\":[{\"path\":\"" + path + "\",\"sha256\":\"" + sha + "\",\"size\":"
                + size + "}]}";
    }

    private Path liarHome(Liar liar) throws IOException {
        Path home = Files.createDirectories(dir.resolve("victim"));
        Path fleet = Files.createDirectories(home.resolve(".tandem/fleet"));
        Files.writeString(fleet.resolve("hub.url"), liar.url());
        Files.writeString(fleet.resolve("host.key"), "k");
        return home;
    }

    /** A hostile hub on 127.0.0.1:0 answering a fixed manifest and fixed files. */
    private static final class Liar implements AutoCloseable {
        private final HttpServer server;

        Liar(String manifest, Map<String, String> files) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/api/fleet/clients", ex -> {
                String path = ex.getRequestURI().getPath();
                String body = path.equals("/api/fleet/clients")
                        ? manifest
                        : files.get(path.substring("/api/fleet/clients/".length()));
                byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
                ex.getResponseBody().write(bytes);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Returns every file of the clients' homes ({@code .codex}, {@code .claude}, {@code .claude.json}) by path. */
    private static Map<String, String> clientHomes(Path home) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String top : List.of(".codex", ".claude", ".claude.json")) {
            Path start = home.resolve(top);
            if (!Files.exists(start)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(start)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    out.put(home.relativize(p).toString(), Sha256.hex(Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(from)) {
            all.addAll(s.toList());
        }
        for (Path p : all) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
            } else {
                Files.copy(p, target);
            }
        }
    }
}
