package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.json.Json;
import dev.tandem.hub.TandemCli.Run;
import dev.tandem.hub.jobs.RealClis;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code tandem doctor} on real homes: a real hub on port 0, real token files, a real Codex config.toml. */
class DoctorCommandTest {
    /** jdk, token, hub, codex, codex-auth, codex-config, claude, claude-auth, claude-config, drift, codex-memory. */
    private static final int CHECKS = 11;

    @TempDir
    Path dir;

    private Path config(int port, Path tokenFile) throws Exception {
        return Files.writeString(
                dir.resolve("hub.toml"), "[hub]\nport = " + port + "\ntoken_file = \"" + tokenFile + "\"\n");
    }

    private Path codexHome(String configToml) throws Exception {
        Path codex = Files.createDirectories(dir.resolve("codex"));
        Files.writeString(codex.resolve("config.toml"), configToml);
        return codex;
    }

    private Run doctor(Path config, Path codex, String... more) {
        String[] base = {
            "doctor",
            "--config",
            config.toString(),
            "--codex-home",
            codex.toString(),
            "--home",
            dir.resolve("never-pushed").toString(),
            "--repo",
            dir.toString()
        };
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return TandemCli.tandem(args);
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    private Path token(String mode) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t".repeat(43));
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString(mode));
        return token;
    }

    @Test
    void homeNeverPushedWarnsButTheHubIsOk() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Run run = doctor(config(hub.port(), hub.config().tokenFile()), codexHome("[features]\nmemories = false\n"));
            assertEquals(1, run.exit(), run.out() + run.err());
            assertEquals(CHECKS, run.out().lines().count(), run.out());
            assertTrue(line(run, "ok   hub").contains("answers MCP initialize"), run.out());
            assertTrue(line(run, "warn codex-auth").contains("has no [mcp_servers.tandem]"), run.out());
            assertTrue(line(run, "warn claude-auth").contains(".claude.json is absent"), run.out());
            assertTrue(line(run, "warn drift").contains("holds no clients/"), run.out());
            assertFalse(run.out().contains(hub.token()), "the token is never printed");
        }
    }

    @Test
    void pushedHomeWithThePinnedClientsIsHealthyInEveryCheck() throws Exception {
        RealClis.require();
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path config = pushed(hub, RealClis.codex());
            Run run = doctor(config);
            assertEquals(0, run.exit(), run.out() + run.err());
            assertEquals(CHECKS, run.out().lines().count(), run.out());
            assertTrue(run.out().lines().allMatch(l -> l.startsWith("ok ")), run.out());
            assertTrue(run.out().contains("codex-cli") || run.out().contains("0.169.0"), run.out());
            assertTrue(line(run, "ok   claude-auth").contains("prints the hub's Authorization header"), run.out());
            assertTrue(
                    line(run, "ok   codex-config").contains("codex mcp list reads tandem at " + hub.baseUrl()),
                    run.out());
            assertTrue(line(run, "ok   claude-config").contains("Connected"), run.out());
            assertTrue(line(run, "ok   drift").contains("in sync"), run.out());
            assertFalse(run.out().contains(hub.token()), "the token is never printed");
        }
    }

    @Test
    void driftedCodexEntryWarnsInDriftAndInCodexsOwnReading() throws Exception {
        RealClis.require();
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path config = pushed(hub, RealClis.codex());
            Path codexToml = home().resolve(".codex/config.toml");
            Files.writeString(codexToml, Files.readString(codexToml).replace(hub.baseUrl(), "http://127.0.0.1:1/mcp"));
            Run run = doctor(config);
            assertEquals(1, run.exit(), run.out() + run.err());
            assertTrue(line(run, "warn drift").contains(codexToml.toString()), run.out());
            assertTrue(line(run, "warn codex-config").contains("http://127.0.0.1:1/mcp"), run.out());
        }
    }

    @Test
    void brokenCodexTomlFailsWithCodexsOwnParseError() throws Exception {
        RealClis.require();
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path config = pushed(hub, RealClis.codex());
            Path codexToml = home().resolve(".codex/config.toml");
            Files.writeString(codexToml, Files.readString(codexToml) + "broken = [\n");
            Run run = doctor(config);
            assertEquals(2, run.exit(), run.out() + run.err());
            String codexConfig = line(run, "fail codex-config");
            assertTrue(codexConfig.contains("codex mcp list cannot read " + codexToml), codexConfig);
            assertTrue(codexConfig.contains("config.toml:"), "codex names the line: " + codexConfig);
        }
    }

    @Test
    void helperPrintingAnotherTokenFailsForBothClients() throws Exception {
        RealClis.require();
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path config = pushed(hub, RealClis.codex());
            Path helper = home().resolve(".tandem/bin/auth-header");
            Files.writeString(helper, "#!/bin/sh\necho '{\"Authorization\":\"Bearer someone-elses\"}'\n");
            Run run = doctor(config);
            assertEquals(2, run.exit(), run.out() + run.err());
            assertTrue(line(run, "fail codex-auth").contains("gives a token that neither"), run.out());
            assertTrue(line(run, "fail claude-auth").contains("gives a token that neither"), run.out());
            assertFalse(run.out().contains(hub.token("codex")), "no credential is printed");
        }
    }

    @Test
    void helperGivingThePersonsTokenInsteadOfTheEnginesOwnWarns() throws Exception {
        RealClis.require();
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path config = pushed(hub, RealClis.codex());
            // a home pushed before engine credentials: the helper reads the person's token file
            Path helper = home().resolve(".tandem/bin/auth-header");
            Files.writeString(
                    helper,
                    "#!/bin/sh\nprintf '{\"Authorization\":\"Bearer %s\"}\\n' \"$(cat '"
                            + hub.config().tokenFile() + "')\"\n");
            Run run = doctor(config);
            assertEquals(1, run.exit(), run.out() + run.err());
            assertTrue(line(run, "warn codex-auth").contains("the hub sees codex as 'other'"), run.out());
            assertTrue(line(run, "warn claude-auth").contains("the hub sees claude as 'other'"), run.out());
        }
    }

    @Test
    void helperNeedingMoreThanCodexsTenVariablesFailsForCodexOnly() throws Exception {
        RealClis.require();
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path config = pushed(hub, RealClis.codex());
            Path helper = home().resolve(".tandem/bin/auth-header");
            String script = Files.readString(helper);
            // Claude Code passes its whole environment (and CLAUDE_CODE_MCP_SERVER_NAME); Codex only ten variables
            Files.writeString(
                    helper,
                    script.replace("#!/bin/sh\n", "#!/bin/sh\n[ -n \"$CLAUDE_CODE_MCP_SERVER_NAME\" ] || exit 3\n"));
            Run run = doctor(config);
            assertEquals(2, run.exit(), run.out() + run.err());
            assertTrue(line(run, "fail codex-auth").contains("failed (exit 3)"), run.out());
            assertTrue(line(run, "ok   claude-auth").contains("Authorization"), run.out());
        }
    }

    @Test
    void newerCodexThanTheTestedOneWarnsNamingBothVersions() throws Exception {
        Path newest = RealClis.newestCodex();
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path config = pushed(hub, newest);
            Run run = doctor(config);
            assertEquals(1, run.exit(), run.out() + run.err());
            String codex = line(run, "warn codex ");
            assertTrue(codex.contains("is newer than 0.169.0, the version Tandem is tested with"), codex);
        }
    }

    @Test
    void missingClientWarnsAndSkipsItsOwnParser() throws Exception {
        RealClis.require();
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path config = pushed(hub, dir.resolve("no-such-codex"));
            Run run = doctor(config);
            assertEquals(1, run.exit(), run.out() + run.err());
            assertTrue(line(run, "warn codex ").contains("is not an executable file"), run.out());
            assertTrue(line(run, "warn codex-config").contains("not checked"), run.out());
        }
    }

    private Path home() {
        return dir.resolve("hub/home");
    }

    /**
     * Writes a doctor configuration for {@code hub} with the pinned clients ({@code codex} as given), then pushes
     * the repository's clients/ into the hub's home with it, as {@code tandem sync push-runtime} does.
     */
    private Path pushed(TestHub hub, Path codex) throws Exception {
        Path repo = Checkouts.copy(dir.resolve("repo"));
        Path config = Files.writeString(dir.resolve("doctor.toml"), """
                [hub]
                port = %d
                token_file = "%s"
                [memory]
                host = "box"
                [jobs]
                codex = "%s"
                claude = "%s"
                """.formatted(
                        hub.port(), hub.config().tokenFile(), codex, RealClis.claude()));
        Run push = TandemCli.tandem(
                "sync",
                "push-runtime",
                "--home",
                home().toString(),
                "--repo",
                repo.toString(),
                "--config",
                config.toString());
        assertEquals(0, push.exit(), push.out() + push.err());
        return config;
    }

    private Run doctor(Path config) {
        return TandemCli.tandem(
                "doctor",
                "--home",
                home().toString(),
                "--repo",
                dir.resolve("repo").toString(),
                "--config",
                config.toString());
    }

    private static String line(Run run, String start) {
        return run.out()
                .lines()
                .filter(l -> l.startsWith(start))
                .findFirst()
                .orElse("no line " + start + " in:\n" + run.out());
    }

    @Test
    void whatAClientPrintedReachesNoTerminalAsControlCharacters() throws Exception {
        // a client binary (or anything on its PATH an agent could have replaced) printing terminal escapes
        Path codex = Files.writeString(
                Files.createDirectories(dir.resolve("bin")).resolve("codex"),
                "#!/bin/sh\nprintf 'boom \\033]52;c;ZXZpbA==\\007 \\302\\2332J \\342\\200\\256gnp.exe\\n' >&2\nexit 3\n");
        Files.setPosixFilePermissions(codex, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir.resolve("never-pushed")); // the home doctor runs the client in
        Path config = Files.writeString(
                dir.resolve("hub.toml"),
                "[hub]\nport = " + freePort() + "\ntoken_file = \"" + token("rw-------") + "\"\n[jobs]\ncodex = \""
                        + codex + "\"\n");
        Run run = doctor(config, codexHome(""));
        Run json = doctor(config, codexHome(""), "--json");
        for (String printed : List.of(run.out(), json.out())) {
            for (char c : new char[] {'\u001b', '\u0007', '\u009b', '\u202e'}) {
                assertTrue(printed.indexOf(c) < 0, () -> String.format("U+%04X printed raw in: %s", (int) c, printed));
            }
        }
        assertTrue(
                line(run, "fail codex ").contains("boom \\u001b]52;c;ZXZpbA==\\u0007 \\u009b2J \\u202egnp.exe"),
                run.out());
        assertTrue(json.out().contains("\\u009b2J \\u202egnp.exe"), json.out());
    }

    @Test
    void tokenReadableByOthersFailsWithTheChmodFix() throws Exception {
        Path token = token("rw-r--r--");
        Run run = doctor(config(freePort(), token), codexHome(""));
        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(
                run.out().lines().anyMatch(l -> l.startsWith("fail token") && l.contains("fix: chmod 600 " + token)),
                run.out());
    }

    @Test
    void stoppedHubFailsNamingThePortAndTandemServe() throws Exception {
        int port = freePort();
        Run run = doctor(config(port, token("rw-------")), codexHome(""));
        assertEquals(2, run.exit(), run.out() + run.err());
        String hubLine = run.out()
                .lines()
                .filter(l -> l.startsWith("fail hub"))
                .findFirst()
                .orElseThrow();
        assertTrue(hubLine.contains(String.valueOf(port)) && hubLine.contains("fix: start it: tandem serve"), hubLine);
    }

    @Test
    void codexMemoriesFeatureWarnsAndExitsOne() throws Exception {
        try (TestHub hub = TestHub.start(dir.resolve("hub"), "[memory]\nhost = \"box\"\n", null)) {
            Path codex = codexHome("model = \"x\"\n[features]\nmemories = true\n");
            Run run = doctor(config(hub.port(), hub.config().tokenFile()), codex);
            assertEquals(1, run.exit(), run.out() + run.err());
            assertTrue(
                    run.out()
                            .lines()
                            .anyMatch(l -> l.startsWith("warn codex-memory")
                                    && l.contains(
                                            "memories = false under [features] in " + codex.resolve("config.toml"))),
                    run.out());
        }
    }

    @Test
    void jsonListsEveryCheckWithStatusAndFix() throws Exception {
        Run run = doctor(config(freePort(), token("rw-r-----")), codexHome(""), "--json");
        assertEquals(2, run.exit(), run.err());
        JsonNode rows = Json.mapper().readTree(run.out());
        assertEquals(CHECKS, rows.size(), run.out());
        assertEquals("token", rows.get(1).path("check").asString());
        assertEquals("fail", rows.get(1).path("status").asString());
        assertTrue(rows.get(1).path("fix").asString().startsWith("chmod 600 "), run.out());
    }
}
