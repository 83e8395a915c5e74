package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetyTest {
    @TempDir
    Path dir;

    @Test
    void malformedClaudeJsonStopsThePushWithFileLineColumnAndWritesNothing() {
        Sandbox s = new Sandbox(dir);
        s.write(s.codex("config.toml"), "model = \"o3\"\n");
        s.write(s.home.resolve(".claude.json"), "{\n  \"projects\": {\n    \"a\": 1,\n  }\n}\n");
        Map<String, String> before = s.snapshot();
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("tandem: " + s.home.resolve(".claude.json") + ":4:3: "), r.err());
        assertEquals(before, s.snapshot());
    }

    @Test
    void malformedCodexConfigStopsThePushWithFileLineColumnAndWritesNothing() {
        Sandbox s = new Sandbox(dir);
        s.write(s.codex("config.toml"), "model = \"o3\"\n[tui\n");
        Map<String, String> before = s.snapshot();
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("tandem: " + s.codex("config.toml") + ":2:5: "), r.err());
        assertEquals(before, s.snapshot());
    }

    @Test
    void checkSyncExitsTwoOnMalformedTarget() {
        Sandbox s = new Sandbox(dir);
        s.write(s.codex("config.toml"), "model = \n");
        assertEquals(2, s.run("check-sync").exit());
    }

    @Test
    void fragmentWithATokenKeyIsRefused() {
        Sandbox s = new Sandbox(dir);
        Path fragment = s.repo.resolve("clients/codex/config-fragment.toml");
        s.write(
                fragment,
                s.read(fragment)
                        .replace("[mcp_servers.tandem]\n", "[mcp_servers.tandem]\nbearer_token_env_var = \"X\"\n"));
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("bearer_token_env_var is written by tandem sync"), r.err());
    }

    @Test
    void personsOwnSkillWithTheSameNameIsNeverOverwritten() {
        Sandbox s = new Sandbox(dir);
        Path mine = s.write(s.claude("skills/recall/SKILL.md"), "my own recall skill\n");
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(mine + ": exists and was not written by tandem"), r.err());
        assertEquals("my own recall skill\n", s.read(mine));
        assertFalse(Files.exists(s.codex("config.toml")));
    }

    @Test
    void codexSystemSkillsAreNeverTouched() {
        Sandbox s = new Sandbox(dir);
        Path system = s.write(s.codex("skills/.system/plan/SKILL.md"), "codex's own\n");
        s.run("push-runtime");
        s.run("clean-runtime");
        s.run("clean-runtime", "--remove");
        assertEquals("codex's own\n", s.read(system));
    }

    @Test
    void everyReplacedFileIsBackedUp() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.write(s.codex("config.toml"), "model = \"o3\"\n");
        s.run("push-runtime");
        try (var runs = Files.list(s.home.resolve(".tandem/backups"))) {
            Path run = runs.findFirst().orElseThrow();
            assertEquals("model = \"o3\"\n", s.read(run.resolve(".codex/config.toml")));
        }
    }

    @Test
    void symlinkedClaudeJsonStaysASymlink() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path real = s.write(dir.resolve("dotfiles/claude.json"), "{\"keep\": true}\n");
        Files.createSymbolicLink(s.home.resolve(".claude.json"), real);
        s.run("push-runtime");
        assertTrue(Files.isSymbolicLink(s.home.resolve(".claude.json")));
        assertTrue(s.read(real).contains("\"tandem\""));
    }

    @Test
    void brokenMarkersInAgentsMdStopThePushAndWriteNothing() {
        Sandbox s = new Sandbox(dir);
        s.write(s.codex("AGENTS.md"), "# Mine\n<!-- >>> tandem managed >>> -->\nold\n");
        Map<String, String> before = s.snapshot();
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("tandem: " + s.codex("AGENTS.md") + ":2:1: begin marker"), r.err());
        assertEquals(before, s.snapshot());
    }

    @Test
    void cleanDryRunWritesNothing() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Map<String, String> pushed = s.snapshot();
        Sandbox.Result r = s.run("clean-runtime", "--remove", "--dry-run");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("would delete " + s.codex("skills/recall/SKILL.md")), r.out());
        assertEquals(pushed, s.snapshot());
    }
}
