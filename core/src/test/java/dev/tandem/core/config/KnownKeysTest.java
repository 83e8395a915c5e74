package dev.tandem.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A misspelled key in hub.toml is named with its file, line and a "did you mean", never silently ignored. */
class KnownKeysTest {
    @TempDir
    Path home;

    private List<String> warnings(String toml) throws IOException {
        Path file = Files.createDirectories(home.resolve(".tandem")).resolve("hub.toml");
        Files.writeString(file, toml);
        return new HubConfigLoader(home, home, home, Map.of())
                .load(Optional.empty(), HubFlags.none())
                .warnings();
    }

    @Test
    void misspelledKeyIsWarnedAboutWithFileLineAndTheKeyMeant() throws IOException {
        List<String> w = warnings("[hub]\nport = 8765\nprot = 8770\n");
        assertEquals(1, w.size(), w.toString());
        assertTrue(
                w.getFirst().startsWith(home.resolve(".tandem/hub.toml") + ":3:1: unknown key [hub] prot"),
                w.getFirst());
        assertTrue(w.getFirst().contains("did you mean port?"), w.getFirst());
    }

    @Test
    void misspelledSectionIsWarnedAbout() throws IOException {
        List<String> w = warnings("[telemtry]\nenabled = false\n");
        assertEquals(1, w.size(), w.toString());
        assertTrue(w.getFirst().contains(":1:1: unknown section [telemtry] (did you mean [telemetry]?)"), w.getFirst());
    }

    @Test
    void keyBeforeAnySectionNamesTheSectionItBelongsIn() throws IOException {
        List<String> w = warnings("port = 8770\n");
        assertTrue(w.getFirst().contains("did you mean port under [hub]?"), w.toString());
    }

    @Test
    void unknownKeyOfAClientSectionIsWarnedAbout() throws IOException {
        List<String> w = warnings("[clients.codex]\napprove_write = true\n");
        assertTrue(w.getFirst().contains("[clients.codex] approve_write (did you mean approve_writes?)"), w.toString());
    }

    @Test
    void everyDocumentedKeyIsKnown() throws IOException {
        String toml = """
                [hub]
                host = "127.0.0.1"
                port = 8765
                tool_timeout_seconds = 30
                max_connections = 10
                [fs]
                roots = ["~"]
                search_threads = 2
                deny = []
                deny_extra = []
                write_deny = []
                write_deny_extra = []
                [memory]
                host = "box"
                [telemetry]
                retention_days = 3
                [dashboard]
                session_hours = 2
                [portfolio]
                poll_millis = 500
                [clients.claude]
                allow = "read-only"
                [tasks.build]
                argv = ["make"]
                """;
        assertEquals(List.of(), warnings(toml));
    }

    @Test
    void aWordFarFromEveryKeyGetsNoGuess() {
        assertEquals(Optional.empty(), KnownKeys.suggestion("colour", java.util.Set.of("port", "host")));
        assertEquals(1, KnownKeys.distance("prot", "port"));
    }
}
