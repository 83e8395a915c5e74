package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys of the person's in the JSON files Tandem shares with Claude Code are never overwritten or dropped. */
class ClaudeJsonTypesTest {
    @TempDir
    Path tmp;

    @Test
    void mcpServersThatIsAStringIsRefusedNamingItsLineAndNothingIsWritten() {
        Sandbox s = new Sandbox(tmp);
        Path file =
                s.write(s.home.resolve(".claude.json"), "{\n  \"theme\": \"dark\",\n  \"mcpServers\": \"mine\"\n}\n");
        Map<String, String> before = s.snapshot();

        Sandbox.Result push = s.run("push-runtime");

        assertEquals(2, push.exit(), push.out());
        assertTrue(push.err().contains(file + ":3:17: 'mcpServers' is string, not an object"), push.err());
        assertEquals(before, s.snapshot(), "nothing written");
    }

    @Test
    void mcpServersThatIsAnArrayStopsCheckSyncToo() {
        Sandbox s = new Sandbox(tmp);
        assertEquals(0, s.run("push-runtime").exit());
        Path file = s.write(s.home.resolve(".claude.json"), "{\n  \"mcpServers\": [\"a\", \"b\"]\n}\n");

        Sandbox.Result check = s.run("check-sync");
        Sandbox.Result push = s.run("push-runtime");

        assertEquals(2, check.exit(), check.out());
        assertTrue(check.err().contains(file + ":2:17: 'mcpServers' is array, not an object"), check.err());
        assertEquals(2, push.exit());
        assertEquals("{\n  \"mcpServers\": [\"a\", \"b\"]\n}\n", s.read(file));
    }

    @Test
    void mergedListOfTheWrongTypeIsRefused() {
        Sandbox s = new Sandbox(tmp);
        Path file = s.write(s.claude("settings.json"), "{\"permissions\": {\"allow\": \"Bash(*)\"}}\n");

        Sandbox.Result push = s.run("push-runtime");

        assertEquals(2, push.exit(), push.out());
        assertTrue(push.err().contains(file + ":1:27: 'permissions.allow' is string, not an array"), push.err());
        assertEquals("{\"permissions\": {\"allow\": \"Bash(*)\"}}\n", s.read(file));
    }

    @Test
    void cleanRuntimeKeepsServersAddedBesideTheManagedOne() {
        Sandbox s = new Sandbox(tmp);
        assertEquals(0, s.run("push-runtime").exit());
        Path file = s.home.resolve(".claude.json");
        // what `claude mcp add -s user other …` does after the push
        s.write(
                file,
                s.read(file)
                        .replace(
                                "\"mcpServers\": {",
                                "\"mcpServers\": {\n    \"other\": {\"type\": \"http\", \"url\": \"http://127.0.0.1:7001/mcp\"},"));

        assertEquals(0, s.run("clean-runtime", "--remove").exit());

        String cleaned = s.read(file);
        assertTrue(cleaned.contains("\"other\""), cleaned);
        assertFalse(cleaned.contains("\"tandem\""), cleaned);
    }
}
