package dev.tandem.hub.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

class TaskSettingsTest {
    @TempDir
    Path dir;

    private TaskSettings parse(String toml) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        return TaskSettings.from(
                Section.of(
                        dir.resolve("hub.toml"),
                        "tasks",
                        Toml.parse(toml).getTable("tasks"),
                        dir.resolve("hub.toml").getParent()),
                List.of(root));
    }

    private String failure(String toml) {
        return assertThrows(ConfigException.class, () -> parse(toml)).getMessage();
    }

    @Test
    void defaultsApplyWhenOnlyArgvIsGiven() throws Exception {
        TaskSettings s = parse("[tasks.build]\nargv = [\"make\"]\n");
        assertEquals(TaskSettings.DEFAULT_MAX_CONCURRENT, s.maxConcurrent());
        TaskDefinition t = s.tasks().get("build");
        assertEquals(TaskSettings.DEFAULT_TIMEOUT, t.timeout());
        assertEquals(TaskSettings.DEFAULT_ENV, t.env());
        assertEquals(64 * 1024, t.outputCapBytes());
        assertEquals(dir.resolve("root"), t.cwd());
    }

    @Test
    void readsEveryKey() throws Exception {
        Files.createDirectories(dir.resolve("root/app"));
        TaskSettings s = parse("""
                [tasks]
                max_concurrent = 3
                kill_grace_seconds = 2
                [tasks.test]
                description = "Unit tests"
                argv = ["./mvnw", "-q", "test"]
                cwd = "app"
                timeout = 900
                env = ["PATH", "JAVA_HOME"]
                output_kib = 16
                """);
        assertEquals(3, s.maxConcurrent());
        assertEquals(Duration.ofSeconds(2), s.killGrace());
        TaskDefinition t = s.tasks().get("test");
        assertEquals(List.of("./mvnw", "-q", "test"), t.argv());
        assertEquals(dir.resolve("root/app"), t.cwd());
        assertEquals(Duration.ofMinutes(15), t.timeout());
        assertEquals(16 * 1024, t.outputCapBytes());
    }

    @Test
    void missingArgvNamesTheFileAndTask() {
        String m = failure("[tasks.build]\ncwd = \".\"\n");
        assertTrue(m.startsWith(dir.resolve("hub.toml").toString()), m);
        assertTrue(m.contains("[tasks.build] argv"), m);
    }

    @Test
    void argvThatIsAStringNamesTheLine() {
        String m = failure("[tasks.build]\nargv = \"make all\"\n");
        assertTrue(m.contains("hub.toml:2:"), m);
        assertTrue(m.contains("[tasks.build] argv must be an array of strings"), m);
    }

    @Test
    void cwdOutsideTheRootsIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("outside"));
        String m = failure("[tasks.build]\nargv = [\"make\"]\ncwd = \"../outside\"\n");
        assertTrue(m.contains("[tasks.build] cwd") && m.contains("outside the roots"), m);
        String missing = failure("[tasks.build]\nargv = [\"make\"]\ncwd = \"/nowhere/at/all\"\n");
        assertTrue(missing.contains("outside the roots"), missing);
    }

    @Test
    void unknownKeysAreRefused() {
        assertTrue(failure("[tasks.build]\nargv = [\"make\"]\ntimout = 5\n").contains("timout"));
        assertTrue(failure("[tasks]\nmax_parallel = 5\n").contains("max_parallel"));
    }

    @Test
    void zeroTimeoutIsRefused() {
        assertTrue(failure("[tasks.build]\nargv = [\"make\"]\ntimeout = 0\n").contains("[tasks.build] timeout"));
    }
}
