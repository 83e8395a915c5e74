package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sync.text.JsonText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import tools.jackson.databind.JsonNode;

class PushRuntimeTest {
    @TempDir
    Path dir;

    @Test
    void pushWritesHubEntryWithHelperAuthForBothClients() {
        Sandbox s = new Sandbox(dir);
        assertEquals(0, s.run("push-runtime").exit());
        TomlParseResult toml = Toml.parse(s.read(s.codex("config.toml")));
        String helper = s.home.resolve(".tandem/bin/auth-header").toString();
        assertEquals("http://127.0.0.1:8765/mcp", toml.getString("mcp_servers.tandem.url"));
        assertEquals(helper + " codex", toml.getString("mcp_servers.tandem.http_headers_helper"));
        assertFalse(toml.contains("mcp_servers.tandem.bearer_token_env_var"));
        JsonNode server =
                json(s, s.home.resolve(".claude.json")).path("mcpServers").path("tandem");
        assertEquals("http", server.path("type").asString());
        assertEquals(helper + " claude", server.path("headersHelper").asString());
        assertFalse(server.has("headers"));
    }

    @Test
    void hubPortComesFromHubToml() {
        Sandbox s = new Sandbox(dir);
        s.write(s.home.resolve(".tandem/hub.toml"), "[hub]\nport = 9911\n");
        s.run("push-runtime");
        assertEquals(
                "http://127.0.0.1:9911/mcp",
                Toml.parse(s.read(s.codex("config.toml"))).getString("mcp_servers.tandem.url"));
    }

    @Test
    void secondPushWritesNothing() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Map<String, String> first = s.snapshot();
        Sandbox.Result second = s.run("push-runtime");
        assertEquals(0, second.exit());
        assertTrue(second.out().contains("nothing to write"), second.out());
        assertEquals(first, s.snapshot());
    }

    @Test
    void envModeUsesBearerTokenEnvVarAndNeverTheHelper() {
        Sandbox s = new Sandbox(dir);
        assertEquals(0, s.run("push-runtime", "--auth", "env").exit());
        TomlParseResult toml = Toml.parse(s.read(s.codex("config.toml")));
        assertEquals("TANDEM_CODEX_TOKEN", toml.getString("mcp_servers.tandem.bearer_token_env_var"));
        assertFalse(toml.contains("mcp_servers.tandem.http_headers_helper"));
        JsonNode server =
                json(s, s.home.resolve(".claude.json")).path("mcpServers").path("tandem");
        assertEquals(
                "Bearer ${TANDEM_CLAUDE_TOKEN}",
                server.path("headers").path("Authorization").asString());
        assertFalse(server.has("headersHelper"));
        String rc = s.read(s.home.resolve(".bashrc"));
        assertTrue(rc.contains("export TANDEM_TOKEN=\"$(cat "), rc);
        assertTrue(rc.contains("export TANDEM_CODEX_TOKEN=\"$(cat " + s.home.resolve(".tandem/tokens/codex")), rc);
        assertTrue(rc.contains("export TANDEM_CLAUDE_TOKEN=\"$(cat " + s.home.resolve(".tandem/tokens/claude")), rc);
        assertFalse(Files.exists(s.home.resolve(".tandem/bin/auth-header")));
    }

    @Test
    void switchingFromEnvToHelperRemovesTheShellRcBlock() {
        Sandbox s = new Sandbox(dir);
        s.write(s.home.resolve(".bashrc"), "alias ll='ls -l'\n");
        s.run("push-runtime", "--auth", "env");
        s.run("push-runtime", "--auth", "helper");
        assertEquals("alias ll='ls -l'\n", s.read(s.home.resolve(".bashrc")));
        assertTrue(Files.exists(s.home.resolve(".tandem/bin/auth-header")));
    }

    @Test
    void noClientFileEverHoldsTheToken() throws Exception {
        Sandbox s = new Sandbox(dir);
        String token = "ab".repeat(32);
        s.write(s.home.resolve(".tandem/token"), token + "\n");
        s.run("push-runtime");
        s.run("push-runtime", "--auth", "env");
        s.snapshot().forEach((file, text) -> {
            if (!file.equals(".tandem/token")) {
                assertFalse(text.contains(token), file);
            }
        });
    }

    @Test
    void unknownClaudeKeysAreKept() {
        Sandbox s = new Sandbox(dir);
        s.write(
                s.home.resolve(".claude.json"),
                "{\n  \"firstStartTime\": \"2026-01-01\",\n  \"projects\": {\"/x\": {\"allowedTools\": [], \"n\": 1.5}},"
                        + "\n  \"mcpServers\": {\"mine\": {\"type\": \"stdio\", \"command\": \"x\"}}\n}\n");
        s.write(
                s.claude("settings.json"),
                "{\"model\": \"opus\", \"permissions\": {\"allow\": [\"Bash(ls:*)\"], \"deny\": [\"Read(.env)\"]}}");
        s.run("push-runtime");
        JsonNode claude = json(s, s.home.resolve(".claude.json"));
        assertEquals("2026-01-01", claude.path("firstStartTime").asString());
        assertEquals("1.5", claude.path("projects").path("/x").path("n").asString());
        assertEquals("x", claude.path("mcpServers").path("mine").path("command").asString());
        JsonNode settings = json(s, s.claude("settings.json"));
        assertEquals("opus", settings.path("model").asString());
        assertEquals(
                "Bash(ls:*)", settings.path("permissions").path("allow").get(0).asString());
        assertEquals(
                "Read(.env)", settings.path("permissions").path("deny").get(0).asString());
        assertTrue(settings.path("permissions").path("allow").toString().contains("mcp__tandem__memory_search"));
    }

    @Test
    void claudeChurnInClaudeJsonIsNotDrift() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path file = s.home.resolve(".claude.json");
        s.write(
                file,
                s.read(file).replaceFirst("\\{\n", "{\n  \"numStartups\": 42,\n  \"tipsHistory\": {\"a\": 1},\n"));
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void claudeConfigDirAndCodexHomeAreHonoured() {
        Sandbox s = new Sandbox(dir);
        s.env.put("CODEX_HOME", dir.resolve("codex-home").toString());
        s.env.put("CLAUDE_CONFIG_DIR", dir.resolve("claude-config").toString());
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(Files.exists(dir.resolve("codex-home/config.toml")));
        assertTrue(Files.exists(dir.resolve("codex-home/skills/recall/SKILL.md")));
        assertTrue(Files.exists(dir.resolve("claude-config/.claude.json")));
        assertTrue(Files.exists(dir.resolve("claude-config/skills/recall/SKILL.md")));
        assertFalse(Files.exists(s.home.resolve(".claude.json")));
        assertFalse(Files.exists(s.home.resolve(".codex")));
        String claudeMd = s.read(dir.resolve("claude-config/CLAUDE.md"));
        assertTrue(claudeMd.contains("@" + dir.resolve("claude-config/tandem/memory/working-agreements.md")), claudeMd);
    }

    @Test
    void engineCodexTouchesOnlyCodex() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime", "--engine", "codex");
        assertTrue(Files.exists(s.codex("config.toml")));
        assertFalse(Files.exists(s.home.resolve(".claude.json")));
        assertFalse(Files.exists(s.home.resolve(".claude")));
    }

    @Test
    void skillsAndCommandsGetPlaceholdersExpandedAndTheFooter() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        String codexSkill = s.read(s.codex("skills/recall/SKILL.md"));
        assertTrue(codexSkill.contains("You are running in codex."), codexSkill);
        assertTrue(codexSkill.contains("`mcp__tandem__memory_search`"), codexSkill);
        assertTrue(codexSkill.contains("mcp__tandem__log_command` with `{\"slug\": \"recall\"}`"), codexSkill);
        assertFalse(codexSkill.contains("{{"), codexSkill);
        String claudeSkill = s.read(s.claude("skills/recall/SKILL.md"));
        assertTrue(claudeSkill.contains("You are running in claude."), claudeSkill);
        String command = s.read(s.claude("commands/handoff.md"));
        assertTrue(command.contains("$ARGUMENTS"), command);
        assertTrue(command.contains("{\"slug\": \"handoff\"}"), command);
        String commandAsSkill = s.read(s.codex("skills/handoff/SKILL.md"));
        assertTrue(commandAsSkill.startsWith("---\nname: handoff\ndescription: Write a handoff"), commandAsSkill);
        assertFalse(commandAsSkill.contains("$ARGUMENTS"), commandAsSkill);
    }

    @Test
    void aCommandSavedWithWindowsLineEndsOrAnEmptyFrontMatterBecomesACodexSkillWithItsDescription() {
        Sandbox s = new Sandbox(dir);
        Path commands = s.repo.resolve("clients/shared/commands");
        s.write(commands.resolve("crlf.md"), "---\r\ndescription: Review the change\r\n---\r\nLook at $ARGUMENTS.\r\n");
        s.write(commands.resolve("bare.md"), "---\n---\nSummarise the day.\n");
        assertEquals(0, s.run("push-runtime").exit());

        String crlf = s.read(s.codex("skills/crlf/SKILL.md"));
        assertTrue(crlf.startsWith("---\nname: crlf\ndescription: Review the change\n---\nLook at "), crlf);
        assertFalse(crlf.contains("description: ---"), crlf);
        assertFalse(crlf.contains("---\r\n"), "the command's own front matter must not reach the body: " + crlf);
        String bare = s.read(s.codex("skills/bare/SKILL.md"));
        assertTrue(bare.startsWith("---\nname: bare\ndescription: Summarise the day.\n---\nSummarise the day."), bare);
    }

    @Test
    void sharedMemoryGoesIntoAgentsMdSectionAndClaudeImports() {
        Sandbox s = new Sandbox(dir);
        s.write(s.codex("AGENTS.md"), "# My own rules\n\nBe terse.\n");
        s.write(s.claude("CLAUDE.md"), "# Mine\n");
        s.run("push-runtime");
        String agents = s.read(s.codex("AGENTS.md"));
        assertTrue(agents.startsWith("# My own rules\n\nBe terse.\n<!-- tandem:base:start -->\n"), agents);
        assertTrue(agents.contains("<!-- tandem:base:end -->\n<!-- >>> tandem managed >>> -->\n"), agents);
        assertTrue(agents.contains("# Working agreements"), agents);
        String claudeMd = s.read(s.claude("CLAUDE.md"));
        assertTrue(claudeMd.contains("\n@~/.claude/tandem/memory/working-agreements.md\n"), claudeMd);
        assertTrue(Files.exists(s.claude("tandem/memory/working-agreements.md")));
        assertFalse(Files.exists(s.codex("memories")));
        assertFalse(Files.exists(s.codex("prompts")));
    }

    @Test
    void helperIsPrivateAndExecutable() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        assertEquals(
                "rwx------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(s.home.resolve(".tandem/bin/auth-header"))));
    }

    @Test
    void manifestRecordsEveryDeployedFileWithItsHash() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        JsonNode entries = json(s, s.home.resolve(".tandem/manifest.json")).path("entries");
        JsonNode skill = entries.path("~/.codex/skills/recall/SKILL.md");
        assertEquals("file", skill.path("kind").asString());
        assertEquals(64, skill.path("sha256").asString().length());
        assertEquals("block", entries.path("~/.codex/config.toml").path("kind").asString());
        assertEquals("json", entries.path("~/.claude.json").path("kind").asString());
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() {
        Sandbox s = new Sandbox(dir);
        s.write(s.codex("config.toml"), "model = \"o3\"\n");
        Map<String, String> before = s.snapshot();
        Sandbox.Result r = s.run("push-runtime", "--dry-run");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("would update " + s.codex("config.toml")), r.out());
        assertTrue(r.out().contains("+ [mcp_servers.tandem]"), r.out());
        assertEquals(before, s.snapshot());
    }

    @Test
    void movedHomeKeepsOwnership() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path moved = dir.resolve("moved-home");
        java.nio.file.Files.move(s.home, moved);
        Sandbox.Result push = s.run("push-runtime", "--home", moved.toString());
        assertEquals(0, push.exit(), push.err());
        assertEquals(0, s.run("check-sync", "--home", moved.toString()).exit());
    }

    @Test
    void skillScriptsAndBinaryFilesAreCopiedAsTheyAre() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path skill = s.repo.resolve("clients/shared/skills/recall");
        Path script = s.write(skill.resolve("scripts/check.sh"), "#!/bin/sh\necho {{engine}}\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3};
        Files.write(skill.resolve("icon.bin"), binary);
        assertEquals(0, s.run("push-runtime").exit());
        Path deployed = s.codex("skills/recall/scripts/check.sh");
        assertEquals("#!/bin/sh\necho {{engine}}\n", s.read(deployed));
        assertTrue(Files.isExecutable(deployed));
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                binary, Files.readAllBytes(s.claude("skills/recall/icon.bin")));
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void memoryWithABareAtWordGetsAWarningBecauseClaudeWouldImportIt() {
        Sandbox s = new Sandbox(dir);
        s.write(s.repo.resolve("clients/shared/memory/team.md"), "Ask `@bob` first, then ping @alice.\n");
        Sandbox.Result r = s.run("push-runtime");
        assertTrue(r.out().contains("clients/shared/memory/team.md: '@alice.' will be read by Claude Code"), r.out());
        assertFalse(r.out().contains("'@bob'"), r.out());
    }

    static JsonNode json(Sandbox s, Path file) {
        return JsonText.parseObject(file, s.read(file));
    }
}
