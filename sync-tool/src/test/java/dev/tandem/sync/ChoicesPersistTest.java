package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigEdit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A choice made on the command line is remembered in hub.toml, so the next push and check-sync keep it. */
class ChoicesPersistTest {
    @TempDir
    Path dir;

    @Test
    void pushWithAuthEnvIsRememberedSoCheckSyncStaysInSyncAndThePlainPushKeepsEnv() {
        Sandbox s = new Sandbox(dir);
        Sandbox.Result pushed = s.run("push-runtime", "--auth", "env");
        assertEquals(0, pushed.exit(), pushed.err());
        assertTrue(pushed.err().contains("remembered [sync] auth = \"env\""), pushed.err());
        assertTrue(s.read(s.home.resolve(".tandem/hub.toml")).contains("auth = \"env\""));
        Sandbox.Result check = s.run("check-sync");
        assertEquals(0, check.exit(), check.out() + check.err());
        Path config = s.home.resolve(".codex/config.toml");
        String before = s.read(config);
        assertEquals(0, s.run("push-runtime").exit());
        assertEquals(before, s.read(config), "a plain push keeps the remembered mode");
        assertTrue(before.contains("bearer_token_env_var = \"TANDEM_CODEX_TOKEN\""), before);
    }

    @Test
    void dryRunRemembersNothing() {
        Sandbox s = new Sandbox(dir);
        assertEquals(0, s.run("push-runtime", "--auth", "env", "--dry-run").exit());
        assertFalse(s.home.resolve(".tandem/hub.toml").toFile().exists());
    }

    @Test
    void rememberingKeepsEveryOtherLineAndCommentOfTheFile() {
        Sandbox s = new Sandbox(dir);
        Path toml = s.write(s.home.resolve(".tandem/hub.toml"), """
                # my settings
                [hub]
                port = 8765 # fixed

                [sync] # sync
                auth = "helper" # was helper
                shell_rc = ["~/.zshrc"]
                """);
        assertEquals(0, s.run("push-runtime", "--auth", "env").exit());
        assertEquals(
                "# my settings\n[hub]\nport = 8765 # fixed\n\n[sync] # sync\nauth = \"env\"\nshell_rc = [\"~/.zshrc\"]\n",
                s.read(toml));
    }

    @Test
    void aKeyIsAddedUnderItsSectionOrTheSectionAtTheEnd() {
        Sandbox s = new Sandbox(dir);
        Path toml = s.write(s.home.resolve(".tandem/hub.toml"), "[sync]\nshell_rc = []\n[hub]\nport = 1\n");
        assertTrue(ConfigEdit.set(toml, "sync", "auth", "\"env\""));
        assertTrue(ConfigEdit.set(toml, "clients", "x", "true"));
        assertEquals("[sync]\nauth = \"env\"\nshell_rc = []\n[hub]\nport = 1\n\n[clients]\nx = true\n", s.read(toml));
        assertFalse(ConfigEdit.set(toml, "sync", "auth", "\"env\""), "the same value again changes nothing");
    }
}
