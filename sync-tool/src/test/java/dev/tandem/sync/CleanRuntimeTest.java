package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanRuntimeTest {
    @TempDir
    Path dir;

    private Sandbox withPersonalFiles() {
        Sandbox s = new Sandbox(dir);
        s.write(s.codex("config.toml"), "# mine\r\nmodel = \"o3\"\r\n\r\n[mcp_servers.gh]\r\nurl = \"http://x\"");
        s.write(s.codex("AGENTS.md"), "Be terse.");
        s.write(
                s.home.resolve(".claude.json"),
                "{\n  \"projects\": {},\n  \"mcpServers\": {\n    \"mine\": {}\n  }\n}");
        s.write(
                s.claude("settings.json"),
                "{\n\t\"permissions\": {\n\t\t\"allow\": [\n\t\t\t\"Bash(ls:*)\"\n\t\t]\n\t}\n}\n");
        s.write(s.claude("skills/mine/SKILL.md"), "mine\n");
        return s;
    }

    @Test
    void removeLeavesEveryFileAsItWasBeforeTheFirstPush() {
        Sandbox s = withPersonalFiles();
        Map<String, String> before = s.snapshot();
        s.run("push-runtime");
        s.run("push-runtime");
        Sandbox.Result r = s.run("clean-runtime", "--remove");
        assertEquals(0, r.exit(), r.err());
        assertEquals(before, s.snapshot());
    }

    @Test
    void removeOnAnEmptyHomeLeavesNoFilesBehind() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        s.run("clean-runtime", "--remove");
        assertEquals(Map.of(), s.snapshot());
        assertFalse(Files.exists(s.codex("skills/recall")));
    }

    @Test
    void removeAlsoFindsTheBlockAfterCodexDroppedTheMarkers() {
        Sandbox s = new Sandbox(dir);
        s.write(s.codex("config.toml"), "model = \"o3\"\n");
        s.run("push-runtime");
        Path config = s.codex("config.toml");
        s.write(config, s.read(config).lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n"));
        s.run("clean-runtime", "--remove");
        assertEquals("model = \"o3\"\n", s.read(config));
    }

    @Test
    void cleanRedeploysTheCanonicalCopyOverRuntimeEdits() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Map<String, String> pushed = s.snapshot();
        Path skill = s.codex("skills/recall/SKILL.md");
        s.write(skill, "edited at runtime\n");
        Path config = s.codex("config.toml");
        s.write(config, s.read(config).replace("tool_timeout_sec = 120", "tool_timeout_sec = 1"));
        assertEquals(0, s.run("clean-runtime").exit());
        assertEquals(pushed, s.snapshot());
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void skillRemovedFromTheRepoIsDeletedOnTheNextPush() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path source = s.repo.resolve("clients/shared/skills/remember");
        Files.delete(source.resolve("SKILL.md"));
        Files.delete(source);
        s.run("push-runtime");
        assertFalse(Files.exists(s.codex("skills/remember")));
        assertFalse(Files.exists(s.claude("skills/remember")));
        assertTrue(Files.exists(s.codex("skills/recall/SKILL.md")));
    }

    @Test
    void cleanDeletesTheEnginesFleetKeysOfThatEngineOnly() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Path keys = s.home.resolve(".tandem/fleet/keys");
        s.write(keys.resolve("codex"), "thk1.aaa.codex.bbb\n");
        s.write(keys.resolve("claude"), "thk1.aaa.claude.ccc\n");
        Sandbox.Result dry = s.run("clean-runtime", "--remove", "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(Files.exists(keys.resolve("codex")), "a dry run deleted a key");
        Sandbox.Result r = s.run("clean-runtime", "--remove", "--engine", "codex");
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(keys.resolve("codex")));
        assertTrue(Files.exists(keys.resolve("claude")));
        assertFalse(r.err().contains("thk1"), r.err());
        assertEquals(0, s.run("clean-runtime").exit());
        assertFalse(Files.exists(keys.resolve("claude")));
    }

    @Test
    void removeForOneEngineKeepsTheOther() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        s.run("clean-runtime", "--remove", "--engine", "codex");
        assertFalse(Files.exists(s.codex("config.toml")));
        assertTrue(Files.exists(s.claude("skills/recall/SKILL.md")));
        assertTrue(Files.exists(s.home.resolve(".tandem/bin/auth-header")));
        assertEquals(0, s.run("check-sync", "--engine", "claude").exit());
    }

    @Test
    void keyAddedToTheSettingsFragmentAfterTheFirstPushIsRemovedToo() {
        Sandbox s = withPersonalFiles();
        Map<String, String> before = s.snapshot();
        s.run("push-runtime");
        Path fragment = s.repo.resolve("clients/claude/settings-fragment.json");
        s.write(fragment, s.read(fragment).replaceFirst("\\{", "{\"env\": {\"TANDEM_HUB\": \"{{hub_url}}\"},"));
        s.run("push-runtime");
        assertTrue(s.read(s.claude("settings.json")).contains("TANDEM_HUB"));
        s.run("clean-runtime", "--remove");
        assertEquals(before, s.snapshot());
    }
}
