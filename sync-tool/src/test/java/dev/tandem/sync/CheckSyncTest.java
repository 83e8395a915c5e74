package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sync.text.JsonText;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class CheckSyncTest {
    @TempDir
    Path dir;

    @Test
    void checkSyncExitsZeroRightAfterPush() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Sandbox.Result r = s.run("check-sync");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("in sync"), r.out());
    }

    @Test
    void checkSyncExitsOneOnDriftAndNamesFileKeyAndValues() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path config = s.codex("config.toml");
        s.write(config, s.read(config).replace("tool_timeout_sec = 120", "tool_timeout_sec = 5"));
        Sandbox.Result r = s.run("check-sync");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("drift: " + config), r.out());
        assertTrue(r.out().contains("mcp_servers.tandem.tool_timeout_sec: expected 120, actual 5"), r.out());
    }

    @Test
    void checkSyncBeforeAnyPushReportsDrift() {
        Sandbox s = new Sandbox(dir);
        assertEquals(1, s.run("check-sync").exit());
    }

    @Test
    void codexRewriteThatDropsMarkersAndWritesFloatsIsNotDrift() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path config = s.codex("config.toml");
        String rewritten = s.read(config)
                .lines()
                .filter(l -> !l.startsWith("#"))
                .map(l -> l.replace("= 20", "= 20.0"))
                .reduce("", (a, b) -> a + b + "\n");
        s.write(config, rewritten);
        Sandbox.Result r = s.run("check-sync");
        assertEquals(0, r.exit(), r.out());
    }

    @Test
    void editedSkillIsDriftThatSaysHowToKeepOrReplaceTheEdit() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path skill = s.claude("skills/recall/SKILL.md");
        s.write(skill, s.read(skill) + "local edit\n");
        Sandbox.Result r = s.run("check-sync");
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("edited: " + skill + "\n"), r.out());
        assertTrue(r.out().contains("'tandem sync pull-runtime'"), r.out());
        assertTrue(r.out().contains("'tandem sync push-runtime --force " + skill + "'"), r.out());
    }

    @Test
    void jsonReportIsStableAndMachineReadable() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path claudeJson = s.home.resolve(".claude.json");
        s.write(claudeJson, s.read(claudeJson).replace("8765", "9000"));
        Sandbox.Result r = s.run("check-sync", "--json");
        assertEquals(1, r.exit());
        JsonNode report = JsonText.parseObject(Path.of("stdout"), r.out());
        assertEquals(1, report.path("version").asInt());
        assertEquals("drift", report.path("status").asString());
        JsonNode item = report.path("drift").get(0);
        assertEquals(claudeJson.toString(), item.path("file").asString());
        assertEquals("mcpServers.tandem", item.path("item").asString());
        assertTrue(item.path("actual").asString().contains("9000"));
    }

    private static void terminalSafe(String printed) {
        for (char c : new char[] {'\u001b', '\u0007', '\u009b', '\u202e'}) {
            assertTrue(printed.indexOf(c) < 0, () -> String.format("U+%04X printed raw in: %s", (int) c, printed));
        }
    }

    @Test
    void aClientFilesControlCharactersAreShownEscapedNeverPrintedRaw() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path claudeJson = s.home.resolve(".claude.json");
        // raw C1 CSI and a right-to-left override in a JSON string, as an agent that can write the file may leave them
        s.write(claudeJson, s.read(claudeJson).replace("8765", "8765\u009b2J\u202egnp.exe"));

        Sandbox.Result r = s.run("check-sync");
        assertEquals(1, r.exit(), r.out());
        terminalSafe(r.out());
        assertTrue(r.out().contains("8765\\u009b2J\\u202egnp.exe"), r.out());

        Sandbox.Result json = s.run("check-sync", "--json");
        terminalSafe(json.out());
        JsonNode report = JsonText.parseObject(Path.of("stdout"), json.out());
        assertTrue(
                report.path("drift").get(0).path("actual").asString().contains("8765\u009b2J\u202egnp.exe"),
                json.out());

        Sandbox.Result dry = s.run("push-runtime", "--dry-run");
        terminalSafe(dry.out());
        assertTrue(dry.out().contains("8765\\u009b2J\\u202egnp.exe"), dry.out());
    }

    /** A skill's extra file named with control characters (anyone who can write the skill folder can name one). */
    @Test
    void aSkillFilesNameIsShownEscapedWhenItIsPushedOrWouldBe() throws Exception {
        Sandbox s = new Sandbox(dir);
        String name = "notes\u001b]0;owned\u0007\u009b2J.md";
        Files.writeString(s.repo.resolve("clients/shared/skills/recall").resolve(name), "notes\n");
        Sandbox.Result dry = s.run("push-runtime", "--dry-run");
        terminalSafe(dry.out());
        assertTrue(dry.out().contains("notes\\u001b]0;owned\\u0007\\u009b2J.md"), dry.out());
        Sandbox.Result push = s.run("push-runtime");
        assertEquals(0, push.exit(), push.err());
        terminalSafe(push.out());
        assertTrue(push.out().contains("notes\\u001b]0;owned\\u0007\\u009b2J.md"), push.out());
        Files.writeString(s.repo.resolve("clients/shared/skills/recall").resolve(name), "changed\n");
        Sandbox.Result check = s.run("check-sync");
        terminalSafe(check.out());
        assertTrue(check.out().contains("notes\\u001b]0;owned\\u0007\\u009b2J.md"), check.out());
        // edited in the client too: a conflict, whose line tells how to settle it, naming the file twice more
        Path deployed = s.home.resolve(".claude/skills/recall").resolve(name);
        assertTrue(Files.exists(deployed), () -> deployed + " was not deployed");
        Files.writeString(deployed, "edited in the client\n");
        Sandbox.Result conflict = s.run("check-sync");
        terminalSafe(conflict.out() + conflict.err());
        assertTrue(conflict.out().contains("--accept "), conflict.out());
        Sandbox.Result again = s.run("push-runtime");
        terminalSafe(again.out() + again.err());
    }

    @Test
    void anArgumentsControlCharactersAreShownEscapedInTheError() {
        Sandbox s = new Sandbox(dir);
        Sandbox.Result r = s.run("check-sync", "--no-such\u001b]52;c;ZXZpbA==\u0007\u009b2J\u202e");
        assertEquals(2, r.exit(), r.err());
        terminalSafe(r.err());
        assertTrue(r.err().contains("--no-such\\u001b]52;c;ZXZpbA==\\u0007\\u009b2J\\u202e"), r.err());
    }

    @Test
    void jsonReportSaysInSyncWithExitZero() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Sandbox.Result r = s.run("check-sync", "--json");
        assertEquals(0, r.exit());
        JsonNode report = JsonText.parseObject(Path.of("stdout"), r.out());
        assertEquals("in-sync", report.path("status").asString());
        assertEquals(0, report.path("drift").size());
    }

    @Test
    void envModeWarnsWhenTandemTokenDiffersFromTheTokenFile() {
        Sandbox s = new Sandbox(dir);
        s.write(s.home.resolve(".tandem/token"), "cd".repeat(32) + "\n");
        s.env.put("TANDEM_TOKEN", "ef".repeat(32));
        s.run("push-runtime", "--auth", "env");
        Sandbox.Result r = s.run("check-sync", "--auth", "env");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("warning: $TANDEM_TOKEN differs from"), r.out());
        assertTrue(!r.out().contains("cd".repeat(32)) && !r.out().contains("ef".repeat(32)), r.out());
    }

    @Test
    void envModeWarnsWhenAnEnginesVariableDiffersFromItsCredentialFile() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime", "--auth", "env");
        // a rotation ('tandem token --engine codex --rotate') leaves the shell with the old value
        s.write(s.home.resolve(".tandem/tokens/codex"), "ab".repeat(32) + "\n");
        s.env.put("TANDEM_CODEX_TOKEN", "12".repeat(32));
        s.env.put(
                "TANDEM_CLAUDE_TOKEN",
                s.read(s.home.resolve(".tandem/tokens/claude")).strip());
        Sandbox.Result r = s.run("check-sync", "--auth", "env");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("warning: $TANDEM_CODEX_TOKEN differs from"), r.out());
        assertTrue(!r.out().contains("TANDEM_CLAUDE_TOKEN differs"), r.out());
        assertTrue(!r.out().contains("ab".repeat(32)) && !r.out().contains("12".repeat(32)), r.out());
    }

    @Test
    void unknownEngineIsAUsageError() {
        Sandbox s = new Sandbox(dir);
        Sandbox.Result r = s.run("check-sync", "--engine", "gemini");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("tandem: "), r.err());
    }

    @Test
    void checkSyncInSyncLeavesItsResultInTheStateFile() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        assertEquals(0, s.run("check-sync").exit());
        JsonNode saved = savedCheck(s);
        assertEquals(0, saved.path("exitCode").asInt());
        assertTrue(saved.path("inSync").asBoolean());
        assertEquals(
                s.home.toAbsolutePath().normalize().toString(),
                saved.path("home").asString());
        assertEquals("in-sync", saved.path("report").path("status").asString());
        assertTrue(java.time.Instant.parse(saved.path("at").asString()).isAfter(java.time.Instant.EPOCH));
    }

    @Test
    void checkSyncOnDriftLeavesTheJsonReportInTheStateFile() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path config = s.codex("config.toml");
        s.write(config, s.read(config).replace("tool_timeout_sec = 120", "tool_timeout_sec = 5"));
        Sandbox.Result json = s.run("check-sync", "--json");
        assertEquals(1, json.exit());
        JsonNode saved = savedCheck(s);
        assertEquals(1, saved.path("exitCode").asInt());
        assertFalse(saved.path("inSync").asBoolean());
        assertEquals(JsonText.parseObject(Path.of("stdout"), json.out()), saved.path("report"));
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(s.home.resolve(".tandem/state/check-sync.json"))));
    }

    private static JsonNode savedCheck(Sandbox s) {
        Path file = s.home.resolve(".tandem/state/check-sync.json");
        return JsonText.parseObject(file, s.read(file));
    }
}
