package dev.tandem.hub.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tandem.hub.runs.ProcessTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TaskLaunch}: a task's program is found on the hub's {@code PATH} and started behind {@code setsid}. */
class TaskLaunchTest {
    @TempDir
    Path dir;

    private Path executable(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\necho ok\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void aProgramOnTheHubsPathStartsBehindSetsidByItsFullPath() throws Exception {
        assumeTrue(ProcessTree.setsid().isPresent(), "this system has no setsid");
        Path tool = executable(dir.resolve("bin/tool"));

        TaskLaunch launch = TaskLaunch.of(List.of("tool", "a", "b"), dir, "/nonexistent:" + dir.resolve("bin"));

        assertEquals(
                List.of(ProcessTree.setsid().orElseThrow().toString(), "--", tool.toString(), "a", "b"),
                launch.command());
        assertTrue(launch.ownSession());
    }

    @Test
    void aProgramNamedWithASlashIsKeptAsWrittenRelativeToTheTaskFolder() throws Exception {
        assumeTrue(ProcessTree.setsid().isPresent(), "this system has no setsid");
        executable(dir.resolve("mvnw"));

        TaskLaunch launch = TaskLaunch.of(List.of("./mvnw", "verify"), dir, "/usr/bin");

        assertEquals(
                List.of(ProcessTree.setsid().orElseThrow().toString(), "--", "./mvnw", "verify"), launch.command());
    }

    @Test
    void aProgramWhosePathStartsWithADashRunsAndIsNotTakenForAnOptionOfSetsid() throws Exception {
        assumeTrue(ProcessTree.setsid().isPresent(), "this system has no setsid");
        assumeTrue(Files.isExecutable(Path.of("/bin/echo")), "this system has no /bin/echo");
        // a binary, not a script: the kernel would hand a script's path to its interpreter as an option
        Files.createDirectories(dir.resolve("-w"));
        Files.copy(Path.of("/bin/echo"), dir.resolve("-w/run"));
        Files.setPosixFilePermissions(dir.resolve("-w/run"), PosixFilePermissions.fromString("rwx------"));

        TaskLaunch launch = TaskLaunch.of(List.of("-w/run", "ok"), dir, "/usr/bin");
        Process p = new ProcessBuilder(launch.command())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertEquals(0, p.waitFor(), out);
        assertEquals("ok\n", out);
    }

    @Test
    void aProgramNotFoundStartsAsWrittenWithoutASession() {
        TaskLaunch launch = TaskLaunch.of(List.of("no-such-program", "x"), dir, dir.toString());

        assertEquals(List.of("no-such-program", "x"), launch.command());
        assertFalse(launch.ownSession());
    }

    @Test
    void aMissingProgramIsStillReportedAsCannotStart() {
        TaskDefinition task =
                new TaskDefinition("t", "", List.of("./no-such-program"), dir, Duration.ofMinutes(1), List.of(), 1024);
        TaskRunner runner =
                new TaskRunner(new TaskSettings(1, Duration.ofSeconds(1), Map.of("t", task)), List.of(dir), Map.of());

        TaskException e = assertThrows(TaskException.class, () -> runner.run("t", (s, l) -> {}));

        assertTrue(e.getMessage().startsWith("task 't': cannot start './no-such-program': "), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }
}
