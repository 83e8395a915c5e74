package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.Checkouts;
import dev.tandem.hub.FleetDatabase;
import dev.tandem.hub.TestCa;
import dev.tandem.hub.TestHub;
import dev.tandem.sync.SyncMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * End to end with the real, pinned Claude Code and Codex CLI: a fleet hub over TLS (a private test CA) on a real
 * PostgreSQL, a second home enrolled as host {@code laptop} and set up by {@code push-runtime --from} alone, then
 * each client (talking to its scripted mock model) calls {@code hub_info} on the fleet hub, which names the caller
 * {@code claude@laptop} / {@code codex@laptop}: the derived keys, the helper and the CA wiring all work as written.
 */
class FleetClientsTest {
    private static final Pattern CLAUDE_AT_LAPTOP =
            Pattern.compile("engine\\\\*\":\\\\*\"claude\\\\*\".*host\\\\*\":\\\\*\"laptop", Pattern.DOTALL);
    private static final Pattern CODEX_AT_LAPTOP =
            Pattern.compile("engine\\\\*\":\\\\*\"codex\\\\*\".*host\\\\*\":\\\\*\"laptop", Pattern.DOTALL);

    @TempDir
    Path dir;

    private FleetDatabase db;
    private TestHub hub;
    private MockModel codexModel;
    private MockModel claudeModel;
    private Path home;
    private final Map<String, String> env = new LinkedHashMap<>();

    @BeforeEach
    void fleet() throws Exception {
        RealClis.require();
        TestCa ca = TestCa.create(dir.resolve("ca"), "tandem-test-fleet-ca");
        db = FleetDatabase.create(dir.resolve("db"), "clients");
        Path hubDir = dir.resolve("hub");
        copyTree(Checkouts.copy(dir.resolve("repo")).resolve("clients"), hubDir.resolve("home/.tandem/source"));
        hub = TestHub.start(hubDir, db.hubToml("desktop") + ca.tlsToml(), null);
        codexModel = MockModel.codex(dir.resolve("codex-model"));
        claudeModel = MockModel.claude(dir.resolve("claude-model"));

        // the laptop: enrolled (hub.url, host.key, ca.pem), its Codex set to the mock model, then push --from
        home = Files.createDirectories(dir.resolve("laptop"));
        Path fleet = Files.createDirectories(home.resolve(".tandem/fleet"));
        Files.writeString(fleet.resolve("hub.url"), "https://127.0.0.1:" + hub.port() + "\n");
        Files.writeString(
                fleet.resolve("host.key"),
                db.fleet().add("laptop", true, "test").key() + "\n");
        Files.copy(ca.caPem(), fleet.resolve("ca.pem"));
        Files.createDirectories(home.resolve(".codex"));
        Files.writeString(home.resolve(".codex/config.toml"), JobWorld.codexConfig(codexModel.url(), ""));
        StringWriter out = new StringWriter();
        CommandLine cl = SyncMain.commandLine(Map.of());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        assertEquals(0, cl.execute("sync", "push-runtime", "--home", home.toString(), "--from"), out.toString());

        // nothing about the hub, its key or its CA comes from here: only what push-runtime wrote under HOME
        env.put("PATH", RealClis.BIN + ":/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("LANG", "C.UTF-8");
        env.put("NO_PROXY", "127.0.0.1,localhost");
        env.put("MOCK_KEY", "dummy");
        env.put("ANTHROPIC_BASE_URL", claudeModel.url());
        env.put("ANTHROPIC_API_KEY", "dummy");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        env.put("ENABLE_TOOL_SEARCH", "false");
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {claudeModel, codexModel, hub, db}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the next one still closes
            }
        }
    }

    @Test
    void claudeCodeOnTheEnrolledMachineReachesTheFleetHubAsClaudeAtLaptop() throws Exception {
        claudeModel.script("""
                {"name":"who","turns":[{"match":"who am I","steps":[
                  {"tool":"mcp__tandem__hub_info","input":{}}],
                  "final":"the hub says: {{last_result}}"}]}
                """);
        String out = run(
                List.of(
                        RealClis.claude().toString(),
                        "-p",
                        "who am I to the hub",
                        "--allowedTools",
                        "mcp__tandem__hub_info",
                        "--output-format",
                        "stream-json",
                        "--verbose"),
                "");
        String result = out.lines()
                .filter(l -> l.contains("\"type\":\"result\""))
                .findFirst()
                .orElse(out);
        assertTrue(result.contains("the hub says:"), result);
        assertTrue(CLAUDE_AT_LAPTOP.matcher(result).find(), result);
    }

    @Test
    void codexOnTheEnrolledMachineReachesTheFleetHubAsCodexAtLaptopFromANewShell() throws Exception {
        codexModel.script("""
                {"name":"who","turns":[{"match":"who am I","steps":[
                  {"call":{"namespace":"mcp__tandem","tool":"hub_info","arguments":{}}}],
                  "final":"the hub says: {{last_result}}"}]}
                """);
        // a shell started after the push: its rc file exports CODEX_CA_CERTIFICATE
        String out = run(
                List.of("bash", "-c", ". \"$HOME/.bashrc\" && exec codex exec --json --skip-git-repo-check -"),
                "who am I to the hub");
        String call = out.lines()
                .filter(l -> l.contains("\"mcp_tool_call\"") && l.contains("item.completed"))
                .findFirst()
                .orElse(out);
        assertTrue(call.contains("\"status\":\"completed\""), call);
        assertTrue(CODEX_AT_LAPTOP.matcher(call).find(), call);

        // without the CA export, Codex cannot verify the fleet hub's certificate and never gets the answer
        String untrusted =
                run(List.of("bash", "-c", "exec codex exec --json --skip-git-repo-check -"), "who am I to the hub");
        assertFalse(CODEX_AT_LAPTOP.matcher(untrusted).find(), untrusted);
    }

    private String run(List<String> command, String stdin) throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve("work"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path err = dir.resolve("client.err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), () -> out + "\nstderr:\n" + readQuietly(err));
        return out;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
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
