package dev.tandem.hub.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment a task's process gets: what its {@code env} lists, never the hub's own secrets. */
class TaskEnvironmentTest {
    private static final String PASSWORD = "pg-password-5d1c9e";
    private static final String TOKEN = "hub-token-8a7b6c5d4e";

    @TempDir
    Path root;

    @Test
    void aTaskNeverGetsTheHubsSecretsEvenWhenItsEnvListsThem() {
        TaskDefinition task = new TaskDefinition(
                "env",
                "",
                List.of("sh", "-c", "env"),
                root,
                Duration.ofMinutes(1),
                List.of("PATH", "GREETING", StoreSettings.PASSWORD_ENV, "TANDEM_TOKEN"),
                64 * 1024);
        TaskRunner runner = new TaskRunner(
                new TaskSettings(1, Duration.ofSeconds(5), Map.of("env", task)),
                List.of(root),
                Map.of(
                        "PATH",
                        System.getenv("PATH"),
                        "GREETING",
                        "hello",
                        StoreSettings.PASSWORD_ENV,
                        PASSWORD,
                        "TANDEM_TOKEN",
                        TOKEN));
        TaskResult r = runner.run("env", (stream, line) -> {});

        assertEquals(0, r.exitCode(), r.toString());
        String env = r.stdout().text();
        assertTrue(env.contains("GREETING=hello"), env);
        assertFalse(env.contains(PASSWORD), env);
        assertFalse(env.contains(TOKEN), env);
        assertFalse(env.contains(StoreSettings.PASSWORD_ENV + "="), env);
    }
}
