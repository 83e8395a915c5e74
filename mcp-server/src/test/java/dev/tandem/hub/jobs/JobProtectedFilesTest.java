package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that may write and the files of its folder that run code when the project is next opened, with the real
 * pinned Codex in workspace-write (one-shot: approval never) against the scripted mock model: what changed there is
 * on the record, in the output and in the answer, and nothing is reverted.
 */
class JobProtectedFilesTest {
    @TempDir
    Path dir;

    private JobWorld world;
    private Path root;

    @BeforeEach
    void start() throws Exception {
        world = JobWorld.start(dir, "");
        root = world.root().toRealPath();
    }

    @AfterEach
    void stop() {
        if (world != null) { // null when the pinned CLIs are missing and the test was skipped
            world.close();
        }
    }

    private JobRecord run(String name, String shell) {
        world.codexModel.script("""
                {"name":"%s","turns":[{"steps":[{"shell":%s}],"final":"done"}]}
                """.formatted(name, json(shell)));
        JobRecord started = world.jobs()
                .start(new JobRequest(
                        Engine.CODEX,
                        "do it",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(Sandbox.WORKSPACE_WRITE),
                        Optional.empty(),
                        true,
                        List.of(),
                        "cli"));
        assertEquals("never", started.approval());
        return started;
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void aCodexJobThatWritesClaudeSettingsHasItOnItsRecord() throws Exception {
        JobRecord started = run(
                "hook", "mkdir -p .claude && printf '{\"hooks\":{}}' > .claude/settings.json && echo x > notes.txt");
        JobRecord done = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        String settings = root.resolve(".claude/settings.json").toString();
        assertEquals(
                List.of(
                        new ProtectedChange(root.resolve(".claude").toString(), "added"),
                        new ProtectedChange(settings, "added")),
                done.protectedChanges());
        assertEquals("{\"hooks\":{}}", Files.readString(root.resolve(".claude/settings.json")), "not reverted");
        List<String> out = world.jobs().output(started.id(), 200);
        assertTrue(out.stream().anyMatch(l -> l.contains("protected_change [warning]")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.strip().equals("added " + settings)), out.toString());
        assertEquals(
                List.of(
                        Map.of("path", root.resolve(".claude").toString(), "change", "added"),
                        Map.of("path", settings, "change", "added")),
                JobViews.record(done, Instant.now()).get("protected_changes"));
        // stored, not only held in memory
        world.restart();
        assertEquals(done.protectedChanges(), world.jobs().status(started.id()).protectedChanges());
    }

    @Test
    void aKilledJobStillHasWhatItWroteOnItsRecord() throws Exception {
        JobRecord started = run("killed", "printf '{}' > .mcp.json && sleep 300");
        Path mcp = root.resolve(".mcp.json");
        world.await(started.id(), j -> Files.exists(mcp), "writing .mcp.json");
        world.jobs().kill(started.id());
        JobRecord done = world.await(
                started.id(),
                j -> j.status() == JobStatus.KILLED && !j.protectedChanges().isEmpty(),
                "killed");
        assertEquals(List.of(new ProtectedChange(mcp.toString(), "added")), done.protectedChanges());
    }

    @Test
    void aJobThatWritesOnlyOrdinaryFilesListsNothing() throws Exception {
        Files.writeString(root.resolve(".envrc"), "export A=1\n");
        Files.createDirectories(root.resolve(".vscode"));
        Files.writeString(root.resolve(".vscode/tasks.json"), "{}");
        JobRecord started = run("plain", "mkdir -p src && echo x > src/notes.txt && cat .envrc");
        JobRecord done = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertEquals("x\n", Files.readString(root.resolve("src/notes.txt")));
        assertEquals(List.of(), done.protectedChanges());
        assertTrue(world.jobs().output(started.id(), 200).stream().noneMatch(l -> l.contains("protected_change")));
    }

    @Test
    void aProtectedFileChangedByAnythingElseDuringTheRunIsListedToo() throws Exception {
        Files.writeString(root.resolve(".envrc"), "export A=1\n");
        Files.createDirectories(root.resolve(".vscode"));
        Files.writeString(root.resolve(".vscode/tasks.json"), "{}");
        JobRecord started = run("other-writer", "sleep 4");
        world.await(started.id(), j -> j.pid().isPresent(), "running");
        // the job's engine runs; someone else writes in the folder meanwhile
        Files.writeString(
                root.resolve(".vscode/tasks.json"), "{\"tasks\":[{\"runOptions\":{\"runOn\":\"folderOpen\"}}]}");
        Files.delete(root.resolve(".envrc"));
        Files.writeString(root.resolve(".mcp.json"), "{}");
        JobRecord done = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertEquals(
                List.of(
                        new ProtectedChange(root.resolve(".mcp.json").toString(), "added"),
                        new ProtectedChange(root.resolve(".vscode/tasks.json").toString(), "changed"),
                        new ProtectedChange(root.resolve(".envrc").toString(), "removed")),
                done.protectedChanges());
    }

    /** Starts a job that sleeps, kills it once its engine has a session, and returns it as it ended. */
    private JobRecord killedWithASession() {
        world.codexModel.script("""
                {"name":"resume","turns":[
                  {"match":"do it","steps":[{"shell":"sleep 300"}]},
                  {"match":"Continue where you left off","final":"picked up"}]}
                """);
        JobRecord started = world.jobs()
                .start(new JobRequest(
                        Engine.CODEX,
                        "do it",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(Sandbox.WORKSPACE_WRITE),
                        Optional.empty(),
                        true,
                        List.of(),
                        "cli"));
        world.await(started.id(), j -> j.sessionId().isPresent() && j.pid().isPresent(), "running");
        world.jobs().kill(started.id());
        return world.await(
                started.id(), j -> j.status() == JobStatus.KILLED && j.pid().isEmpty(), "killed and gone");
    }

    @Test
    void aResumedJobReportsWhatChangedSinceItsLastProcessEnded() throws Exception {
        JobRecord killed = killedWithASession();
        assertEquals(List.of(), killed.protectedChanges());
        Path envrc = Files.writeString(root.resolve(".envrc"), "planted while the job was not running\n");
        world.jobs().resume(killed.id(), Optional.empty());
        JobRecord done = world.awaitStatus(killed.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertEquals(List.of(new ProtectedChange(envrc.toString(), "added")), done.protectedChanges());
    }

    @Test
    void aJobResumedAfterAHubRestartSaysChangesSinceItsLastProcessMayHaveBeenMissed() throws Exception {
        JobRecord killed = killedWithASession();
        world.restart();
        world.jobs().resume(killed.id(), Optional.empty());
        JobRecord done = world.awaitStatus(killed.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertEquals(List.of(new ProtectedChange(root.toString(), "unchecked")), done.protectedChanges());
    }

    @Test
    void aReadOnlyJobIsWatchedToo() throws Exception {
        // a command the person approves, or an engine's bug, can write in a read-only job's folder
        world.codexModel.script("{\"name\":\"ro\",\"turns\":[{\"steps\":[{\"shell\":\"sleep 3\"}],\"final\":\"ok\"}]}");
        JobRecord started = world.startReadOnly(Engine.CODEX, "look");
        world.await(started.id(), j -> j.status() != JobStatus.QUEUED, "started");
        Files.writeString(root.resolve(".mcp.json"), "{}");
        JobRecord done = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertEquals(
                List.of(new ProtectedChange(root.resolve(".mcp.json").toString(), "added")), done.protectedChanges());
    }

    /**
     * Claude Code 2.1.329 in acceptEdits (workspace-write) asks before writing its own protected paths, but writes
     * other code-running files of the project without asking; those are on the record.
     */
    @Test
    void claudeInAcceptEditsAsksForItsProtectedPathsAndWhatItWritesWithoutAskingIsListed() throws Exception {
        List<String> asks = List.of(
                ".claude/settings.json",
                ".claude/hooks/x.sh",
                ".mcp.json",
                ".envrc",
                ".vscode/tasks.json",
                ".husky/pre-commit",
                ".devcontainer.json");
        List<String> writes = List.of(".githooks/pre-commit", "x.code-workspace", ".agents/skills/a/SKILL.md");
        List<String> steps = new ArrayList<>();
        for (String r : Stream.concat(asks.stream(), writes.stream()).toList()) {
            steps.add("{\"tool\":\"Write\",\"input\":{\"file_path\":"
                    + json(root.resolve(r).toString()) + ",\"content\":\"x\"}}");
        }
        world.claudeModel.script("{\"name\":\"claude-protected\",\"turns\":[{\"steps\":[" + String.join(",", steps)
                + "],\"final\":\"done\"}]}");
        JobRecord started = world.jobs()
                .start(new JobRequest(
                        Engine.CLAUDE,
                        "do it",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(Sandbox.WORKSPACE_WRITE),
                        Optional.empty(),
                        true,
                        List.of(),
                        "cli"));
        List<String> asked = new ArrayList<>();
        JobRecord done;
        while (true) {
            done = world.awaitStatus(started.id(), JobStatus.WAITING, JobStatus.COMPLETED, JobStatus.FAILED);
            if (done.status() != JobStatus.WAITING) {
                break;
            }
            asked.add(done.pending().get(0).summary());
            world.jobs().approve(started.id(), done.pending().get(0).id(), false);
        }
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertEquals(asks.stream().map(r -> "Write: " + root.resolve(r)).toList(), asked);
        assertEquals(
                List.of(
                        new ProtectedChange(root.resolve(".agents").toString(), "added"),
                        new ProtectedChange(root.resolve(".agents/skills").toString(), "added"),
                        new ProtectedChange(root.resolve(".agents/skills/a").toString(), "added"),
                        new ProtectedChange(
                                root.resolve(".agents/skills/a/SKILL.md").toString(), "added"),
                        new ProtectedChange(root.resolve(".githooks").toString(), "added"),
                        new ProtectedChange(root.resolve(".githooks/pre-commit").toString(), "added"),
                        new ProtectedChange(root.resolve("x.code-workspace").toString(), "added")),
                done.protectedChanges());
        for (String r : asks) {
            assertTrue(Files.notExists(root.resolve(r)), r + " was denied and not written");
        }
    }
}
