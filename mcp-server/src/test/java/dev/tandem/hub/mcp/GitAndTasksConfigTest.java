package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.hub.TestHub;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git and tasks capabilities as the hub builds them from {@code hub.toml}. */
class GitAndTasksConfigTest {
    @TempDir
    Path dir;

    @Test
    void hubTomlEnablesGitAndTaskTools() {
        String toml = """
                [git]
                author_name = "Hub"
                [tasks.build]
                argv = ["true"]
                """;
        try (TestHub hub = TestHub.start(dir, toml, null)) {
            List<String> names = hub.client("claude-code").listTools().tools().stream()
                    .map(t -> t.name())
                    .toList();
            assertTrue(
                    names.containsAll(List.of(
                            "git_status", "git_diff", "git_log", "git_commit", "git_push", "task_list", "task_run")),
                    names::toString);
        }
    }

    @Test
    void badTaskConfigStopsTheHubNamingFileAndKey() {
        String toml = """
                [tasks.build]
                argv = "make all"
                """;
        ConfigException e = assertThrows(ConfigException.class, () -> TestHub.start(dir, toml, null));
        assertTrue(e.getMessage().contains("hub.toml:2:"), e.getMessage());
        assertTrue(e.getMessage().contains("[tasks.build] argv"), e.getMessage());
    }

    @Test
    void badGitConfigStopsTheHubNamingFileAndKey() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> TestHub.start(dir, "[git]\nmax_diff_bytes = -1\n", null));
        assertTrue(e.getMessage().contains("hub.toml:2:"), e.getMessage());
        assertTrue(e.getMessage().contains("[git] max_diff_bytes"), e.getMessage());
    }
}
