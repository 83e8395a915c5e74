package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

/** The sync tool reads the hub's configuration through the hub's own loader: file, environment and --config. */
class SyncConfigTest {
    @TempDir
    Path dir;

    private static String codexUrl(Sandbox s) {
        return Toml.parse(s.read(s.codex("config.toml"))).getString("mcp_servers.tandem.url");
    }

    @Test
    void hubUrlTakesThePortFromTandemPort() {
        Sandbox s = new Sandbox(dir);
        s.write(s.home.resolve(".tandem/hub.toml"), "[hub]\nport = 9911\n");
        s.env.put("TANDEM_PORT", "9321");
        assertEquals(0, s.run("push-runtime").exit());
        assertEquals("http://127.0.0.1:9321/mcp", codexUrl(s));
    }

    @Test
    void hubUrlTakesTheHostFromTandemHost() {
        Sandbox s = new Sandbox(dir);
        s.env.put("TANDEM_HOST", "::1");
        assertEquals(0, s.run("push-runtime").exit());
        assertEquals("http://[::1]:8765/mcp", codexUrl(s));
    }

    @Test
    void configFlagReadsAnotherFile() {
        Sandbox s = new Sandbox(dir);
        Path other = s.write(dir.resolve("other/hub.toml"), "[hub]\nport = 9444\n");
        assertEquals(0, s.run("push-runtime", "--config", other.toString()).exit());
        assertEquals("http://127.0.0.1:9444/mcp", codexUrl(s));
    }

    @Test
    void wrongSyncAuthNamesFileAndLineAndWritesNothing() {
        Sandbox s = new Sandbox(dir);
        Path toml = s.write(s.home.resolve(".tandem/hub.toml"), "[sync]\n\nauth = \"token\"\n");
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit());
        assertEquals("tandem: " + toml + ":3:1: [sync] auth must be \"helper\" or \"env\", not \"token\"\n", r.err());
        assertFalse(Files.exists(s.codex("config.toml")));
    }

    @Test
    void wrongHubValueStopsThePushNamingFileAndLine() {
        Sandbox s = new Sandbox(dir);
        Path toml = s.write(s.home.resolve(".tandem/hub.toml"), "[hub]\nport = \"8765\"\n");
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(2, r.exit());
        assertEquals("tandem: " + toml + ":2:1: [hub] port must be a whole number from 0 to 65535\n", r.err());
        assertFalse(Files.exists(s.codex("config.toml")));
    }

    @Test
    void unknownSyncKeyIsRefused() {
        Sandbox s = new Sandbox(dir);
        s.write(s.home.resolve(".tandem/hub.toml"), "[sync]\nauht = \"env\"\n");
        Sandbox.Result r = s.run("check-sync");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(":2:1: [sync] auht is not a setting here"), r.err());
    }

    @Test
    void shellRcRelativePathIsRelativeToTheConfigFolder() {
        Sandbox s = new Sandbox(dir);
        s.write(
                s.home.resolve(".tandem/hub.toml"),
                "[sync]\nauth = \"env\"\nshell_rc = [\"rc/profile\", \"~/.zshrc\"]\n");
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(Files.exists(s.home.resolve(".tandem/rc/profile")));
        assertTrue(Files.exists(s.home.resolve(".zshrc")));
    }
}
