package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deny list's relative-path entries ({@code .claude/settings.json} at any depth) and the write deny list. */
class WriteDenyListTest {
    @TempDir
    Path dir;

    private DenyList list(String... entries) {
        return DenyList.of(dir.resolve("home"), List.of(), List.of(entries), DenyList.WRITE_REASON);
    }

    private static void assertDenied(DenyList l, String... paths) {
        for (String p : paths) {
            assertTrue(l.denied(Path.of(p)), p);
        }
    }

    private static void assertNotDenied(DenyList l, String... paths) {
        for (String p : paths) {
            assertFalse(l.denied(Path.of(p)), p);
        }
    }

    @Test
    void aRelativePathEntryMatchesAtAnyDepthAndEverythingBelowIt() {
        assertDenied(
                list(".claude/settings.json", ".claude/hooks"),
                "/r/.claude/settings.json",
                "/r/a/b/.claude/settings.json",
                "/r/.claude/hooks",
                "/r/x/.claude/hooks/pre-tool.sh",
                "/.claude/settings.json");
    }

    @Test
    void aRelativePathEntryNeedsEveryNameInOrder() {
        assertNotDenied(
                list(".claude/settings.json"),
                "/r/claude/settings.json",
                "/r/.claude/settings.json.bak",
                "/r/.claude/commands/settings.json",
                "/r/settings.json",
                "/r/.claude");
    }

    @Test
    void aRelativePathEntryIgnoresCase() {
        assertDenied(list(".claude/settings.json"), "/r/.CLAUDE/Settings.JSON");
        assertDenied(list(".Codex/Config.toml"), "/r/.codex/config.toml");
    }

    @Test
    void eachNameOfARelativePathEntryIsAGlob() {
        DenyList l = list(".vscode/*.json");
        assertDenied(l, "/r/p/.vscode/launch.json");
        assertNotDenied(l, "/r/p/.vscode/notes.md");
    }

    @Test
    void aWalkThatCheckedTheFolderAsksOnlyWhetherTheEntryEndsAMatch() {
        DenyList.Resolved r = list(".claude/settings.json").resolve();
        assertTrue(r.deniedEntry(Path.of("/r/p/.claude/settings.json")));
        assertFalse(r.deniedEntry(Path.of("/r/p/.claude")));
        assertFalse(r.deniedEntry(Path.of("/r/p/.claude/other.json")));
    }

    @Test
    void aHomeEntryIsCheckedAsItsRealPathToo() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles"));
        Files.writeString(dotfiles.resolve("bashrc"), "export A=1\n");
        Files.createSymbolicLink(home.resolve(".bashrc"), dotfiles.resolve("bashrc"));
        DenyList l = list("~/.bashrc");
        assertTrue(l.denied(home.resolve(".bashrc")));
        assertTrue(l.denied(dotfiles.resolve("bashrc")), "the file ~/.bashrc leads to");
        assertTrue(l.denied(dir.resolve("HOME/.BASHRC")));
    }

    @Test
    void aHomeEntryThatIsADanglingLinkDeniesWhereItLeads() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createSymbolicLink(home.resolve(".bashrc"), Path.of("dotfiles/bashrc"));
        Files.createSymbolicLink(home.resolve(".zshrc"), dir.resolve("elsewhere/zshrc"));
        DenyList l = list("~/.bashrc", "~/.zshrc");
        assertTrue(l.denied(home.resolve("dotfiles/bashrc")), "a relative link, resolved against its folder");
        assertTrue(l.denied(dir.resolve("elsewhere/zshrc")), "an absolute link");
        assertFalse(l.denied(home.resolve("dotfiles/other")));
    }

    @Test
    void namesAreFoldedAsCaseInsensitiveFileSystemsFoldThem() {
        DenyList l = list(".claude/settings.json", ".envrc", "~/.bashrc");
        Path home = dir.resolve("home");
        for (Path p : List.of(
                Path.of("/r/.claude\u200c/settings.json"), // HFS+ ignores zero-width joiners
                Path.of("/r/.cl\ufeffaude/settings.json"),
                Path.of("/r/.claude./settings.json"), // NTFS drops trailing dots and spaces
                Path.of("/r/.claude/settings.json "),
                Path.of("/r/.claude/settings.json::$DATA"), // an NTFS stream of the file
                Path.of("/r/.claude/\u017Fettings.json"), // long s folds as s
                Path.of("/r/.envrc.."),
                Path.of("/r/.ENVRC\u200d"),
                home.resolve(".bashrc\u200e"),
                home.resolve(".BASHRC ."))) {
            assertTrue(l.denied(p), p::toString);
        }
        for (Path p : List.of(
                Path.of("/r/.claude/settings.jsonx"),
                Path.of("/r/claude/settings.json"),
                Path.of("/r/.envrcx"),
                home.resolve(".bashrc2"))) {
            assertFalse(l.denied(p), p::toString);
        }
        assertTrue(list(".Ca\u0301che/x").denied(Path.of("/r/.c\u00e1che/x")), "composed and decomposed alike");
    }

    @Test
    void aPathEntryMayEndInNameGlobs() {
        DenyList l = list("~/.codex/*.toml", "/etc/x/*/hook");
        Path home = dir.resolve("home");
        assertTrue(l.denied(home.resolve(".codex/config.toml")));
        assertTrue(l.denied(home.resolve(".codex/cheap.config.toml")));
        assertTrue(l.denied(home.resolve(".CODEX/Cheap.Config.TOML")));
        assertTrue(l.denied(Path.of("/etc/x/a/hook/f")));
        assertFalse(l.denied(home.resolve(".codex/worktrees/a/app/x.toml")));
        assertFalse(l.denied(home.resolve(".codex/sessions")));
        assertFalse(l.denied(home.resolve(".codex")));
        assertFalse(l.denied(Path.of("/etc/x/a/other")));
    }

    @Test
    void entriesAddedWithTheirOwnReasonGiveIt() {
        Path checkout = dir.resolve("tandem");
        DenyList.Resolved r = list(".envrc")
                .with(checkout, "is the checkout")
                .with(dir.resolve("codex-home"), List.of("*.toml", "rules"), "is Codex's")
                .resolve();
        assertEquals("is the checkout", r.why(checkout.resolve("bin/x")).orElseThrow());
        assertEquals("is the checkout", r.why(checkout).orElseThrow());
        assertEquals("is Codex's", r.why(dir.resolve("codex-home/a.toml")).orElseThrow());
        assertEquals(
                "is Codex's", r.why(dir.resolve("codex-home/rules/x.rules")).orElseThrow());
        assertEquals(DenyList.WRITE_REASON, r.why(dir.resolve("p/.envrc")).orElseThrow());
        assertFalse(r.denied(dir.resolve("codex-home/worktrees/a/b.c")));
        assertFalse(r.denied(dir.resolve("tandem2/bin/x")));
    }

    @Test
    void aRefusalNamesThePathAndTheSetting() {
        PathRefusedException e = assertThrows(
                PathRefusedException.class, () -> list(".envrc").check("proj/.envrc", Path.of("/r/proj/.envrc")));
        assertEquals(
                "proj/.envrc: refused: runs code or grants permissions when a shell, editor or engine starts; the fs"
                        + " tools may read it but never write it ([fs] write_deny)",
                e.getMessage());
    }

    @Test
    void malformedRelativePathsAreRefusedNamingTheEntry() {
        for (String bad :
                List.of("a//b", "../x", "a/../b", "./a/b", "a/./b", ".claude/", "~user/x", "!a/b", "!~/x/*")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> list(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void theDefaultsParseAndNameTheEnginesHooksAndTheShellsStartFiles() {
        DenyList l = DenyList.of(dir.resolve("home"), List.of(), DenyList.WRITE_DEFAULTS, DenyList.WRITE_REASON);
        Path home = dir.resolve("home");
        for (String p : List.of(
                ".bashrc",
                ".profile",
                ".zshrc",
                ".gitconfig",
                ".config/git/config",
                ".config/fish/config.fish",
                ".config/systemd/user/x.service",
                ".local/bin/git",
                ".claude/CLAUDE.md",
                ".codex/config.toml")) {
            assertTrue(l.denied(home.resolve(p)), p);
        }
        for (String p : List.of(
                "p/.claude/settings.json",
                "p/.claude/settings.local.json",
                "p/.claude/hooks/x.sh",
                "p/.mcp.json",
                "p/.codex/config.toml",
                "p/.codex/hooks.json",
                "p/.envrc",
                "p/.vscode/tasks.json",
                "p/.vscode/settings.json")) {
            assertTrue(l.denied(Path.of("/r").resolve(p)), p);
        }
        for (String p : List.of("p/src/Main.java", "p/AGENTS.md", "p/.vscode/launch.json", "p/.claude/CLAUDE.md")) {
            assertFalse(l.denied(Path.of("/r").resolve(p)), p);
        }
    }

    private DenyList defaults() {
        return DenyList.of(dir.resolve("home"), List.of(), DenyList.WRITE_DEFAULTS, DenyList.WRITE_REASON);
    }

    @Test
    void theDefaultsNameWhatClaudeCodeAndCodexLoadFromAProject() {
        DenyList l = defaults();
        for (String p : List.of(
                "p/.claude/skills/deploy/SKILL.md",
                "p/.claude/commands/review.md",
                "p/.claude/agents/fixer.md",
                "p/.codex/rules/default.rules",
                "p/.codex/environments/environment.toml",
                "p/.codex/agents/fixer.toml",
                "p/.codex/skills/x/SKILL.md",
                "p/.codex/prompts/p.md",
                "p/.codex/hooks/pre.sh",
                "p/.codex/cheap.config.toml",
                "p/.codex/AGENTS.md",
                "p/.agents/skills/x/SKILL.md",
                "p/.agents/plugins/marketplace.json",
                "p/.husky/pre-commit",
                "p/.husky/_/h",
                "p/.githooks/pre-push",
                "p/app.code-workspace",
                "p/.devcontainer.json",
                "p/.devcontainer/devcontainer.json",
                "p/.devcontainer/gpu/devcontainer.json")) {
            assertTrue(l.denied(Path.of("/r").resolve(p)), p);
        }
        for (String p : List.of("p/.codex/notes.md", "p/.devcontainer/Dockerfile", "p/.agents/AGENTS.md")) {
            assertFalse(l.denied(Path.of("/r").resolve(p)), p);
        }
    }

    @Test
    void theDefaultsNameTheEditorsAndStartFilesOfTheHome() {
        DenyList l = defaults();
        Path home = dir.resolve("home");
        for (String p : List.of(
                ".bash_aliases",
                ".bashrc.d/x.sh",
                ".oh-my-zsh/custom/x.zsh",
                ".config/zsh/.zshrc",
                ".xinitrc",
                ".xsession",
                ".local/lib/python3.12/site-packages/evil.pth",
                ".vimrc",
                ".config/nvim/init.lua",
                ".emacs.d/init.el",
                ".config/emacs/init.el",
                ".tmux.conf",
                ".config/Code/User/settings.json",
                "Library/Application Support/Code/User/tasks.json",
                ".local/share/chezmoi/run_once_x.sh",
                ".claude.json",
                ".ssh/rc",
                ".ssh/config",
                ".codex/packages/standalone/current/bin/codex",
                ".codex/plugins/cache/x/hooks.json",
                ".codex/config.toml")) {
            assertTrue(l.denied(home.resolve(p)), p);
        }
    }

    @Test
    void aCodexAppWorktreeUnderTheCodexHomeIsAnOrdinaryProject() {
        DenyList l = defaults();
        Path home = dir.resolve("home");
        assertFalse(l.denied(home.resolve(".codex/worktrees/a1b2/app/src/main.c")));
        assertFalse(l.denied(home.resolve(".codex/worktrees/a1b2/app/build.toml")));
        assertTrue(l.denied(home.resolve(".codex/worktrees/a1b2/app/.codex/config.toml")), "a project's own");
        assertTrue(l.denied(home.resolve(".codex/worktrees/a1b2/app/.claude/settings.json")));
        assertTrue(l.denied(home.resolve(".codex/worktreesx/a")));
        assertTrue(l.denied(home.resolve(".CODEX/config.toml")));
    }

    @Test
    void aPathExceptionLetsAFolderThroughOnlyThePathEntriesAboveIt() {
        DenyList l = list("~/tools", "!~/TOOLS/work", "/opt/x", "*.sh");
        Path home = dir.resolve("home");
        assertFalse(l.denied(home.resolve("tools/work/a.c")));
        assertTrue(l.denied(home.resolve("tools/work/a.sh")), "the name entries still apply");
        assertTrue(l.denied(home.resolve("tools/other")));
        assertTrue(l.denied(home.resolve("tools")));
        assertTrue(l.denied(Path.of("/opt/x/work/a.c")));
    }

    @Test
    void anAllowNameLetsThroughOnlyThatNameNotWhatFoldsToIt() {
        DenyList l = list(".env", ".env.*", "!.env.example");
        Path app = dir.resolve("app");
        assertFalse(l.denied(app.resolve(".env.example")));
        assertFalse(l.denied(app.resolve(".ENV.Example")), "case folds on both sides");
        // folding cuts at ':', drops trailing dots and spaces and HFS+'s ignored code points: other files on Linux
        for (String name : List.of(".env.example:prod", ".env.example.", ".env.example ", ".env.exam\u200Bple")) {
            assertTrue(l.denied(app.resolve(name)), name);
            assertTrue(l.resolve().deniedEntry(app.resolve(name)), name);
        }
        assertTrue(l.denied(app.resolve(".env.")), "the deny side still folds");
    }

    @Test
    void aPathExceptionNeverLetsThroughWhatIsDeniedAlways() {
        Path home = dir.resolve("home");
        Path own = home.resolve(".tandem");
        DenyList l = DenyList.of(home, List.of(own), List.of("~/.tandem", "!~/.tandem/sub"), DenyList.WRITE_REASON);
        assertTrue(l.denied(own.resolve("sub/token")));
        assertTrue(l.denied(own.resolve("hub.toml")));
        DenyList configured = list("~/tools", "!~/tools/sub");
        assertFalse(configured.denied(home.resolve("tools/sub/a.c")), "a configured entry still takes exceptions");
    }
}
