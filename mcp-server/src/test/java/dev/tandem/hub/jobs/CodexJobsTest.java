package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.ProcessTree;
import dev.tandem.hub.runs.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Codex jobs with the real pinned {@code codex} (0.169.0) against the scripted Responses API mock. */
class CodexJobsTest {
    private static final String USAGE = "\"usage\":{\"input_tokens\":1000,\"input_tokens_details\":{\"cached_tokens\""
            + ":400},\"output_tokens\":50,\"output_tokens_details\":{\"reasoning_tokens\":5},\"total_tokens\":1050}";

    @TempDir
    Path dir;

    private JobWorld world;

    @BeforeEach
    void start() {
        world = JobWorld.start(dir, "");
    }

    @AfterEach
    void stop() {
        if (world != null) { // null when the pinned CLIs are missing and the test was skipped
            world.close();
        }
    }

    private JobRecord start(String prompt, boolean oneShot, Sandbox sandbox) {
        return world.jobs()
                .start(new JobRequest(
                        Engine.CODEX,
                        prompt,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(sandbox),
                        Optional.empty(),
                        oneShot,
                        List.of(),
                        "cli"));
    }

    @Test
    void oneShotJobRecordsCommandsFilesTokensAndTheFinalMessage() throws Exception {
        world.codexModel.script("""
                {"name":"one-shot",%s,
                 "turns":[{"match":"make notes","steps":[
                   {"shell":"echo hello-from-shell"},
                   {"patch":"*** Begin Patch\\n*** Add File: notes.txt\\n+made by codex\\n*** End Patch"}],
                  "final":"All done: notes.txt is there."}]}
                """.formatted(USAGE));
        JobRecord started = start("make notes", true, Sandbox.WORKSPACE_WRITE);
        assertEquals("one-shot", started.mode());
        assertEquals("never", started.approval());
        JobRecord done = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertEquals(Optional.of("All done: notes.txt is there."), done.summary());
        assertTrue(done.sessionId().isPresent());
        // three model requests of 1000 input tokens each: codex exec reports the thread's running total
        assertEquals(3000, done.tokens().input());
        assertEquals(1200, done.tokens().cachedInput());
        assertEquals(150, done.tokens().output());
        String notes = world.root().toRealPath().resolve("notes.txt").toString();
        assertEquals(List.of(notes), done.filesModified());
        assertEquals("made by codex\n", Files.readString(world.root().resolve("notes.txt")));
        List<String> out = world.jobs().output(started.id(), 200);
        assertTrue(out.stream().anyMatch(l -> l.contains("$ /bin/bash -lc 'echo hello-from-shell'")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.contains("hello-from-shell")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.contains("file_change add " + notes)), out.toString());
        assertFalse(done.pid().isPresent(), "a completed one-shot job has no process");
    }

    @Test
    void interactiveJobTakesAFollowUpInTheSameAppServerProcessAndSession() {
        world.codexModel.script("""
                {"name":"interactive",%s,
                 "turns":[{"match":"first question","steps":[{"shell":"echo one"}],"final":"first answer"},
                          {"match":"second question","final":"second answer"}]}
                """.formatted(USAGE));
        JobRecord started = start("first question", false, Sandbox.READ_ONLY);
        JobRecord first = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, first.status(), first.toString());
        assertEquals(Optional.of("first answer"), first.summary());
        assertEquals(1, first.turns());
        long pid = first.pid().orElseThrow();
        assertEquals(258_400L, first.tokens().contextWindow().orElseThrow());

        JobRecord sent = world.jobs().send(started.id(), "second question");
        assertEquals(JobStatus.RUNNING, sent.status());
        JobRecord second =
                world.await(started.id(), j -> j.turns() == 2 && !j.status().active(), "done with its second turn");
        assertEquals(JobStatus.COMPLETED, second.status(), second.toString());
        assertEquals(Optional.of("second answer"), second.summary());
        assertEquals(first.sessionId(), second.sessionId());
        assertEquals(Optional.of(pid), second.pid(), "the follow-up went to the same app-server process");
        // turn one made two requests, turn two one: the thread's total
        assertEquals(3000, second.tokens().input());
    }

    @Test
    void approvalsAnsweredYesAndNoThroughTheAppServer() throws Exception {
        world.codexModel.script("""
                {"name":"approvals","turns":[{"match":"needs approval","steps":[
                   {"shell":"touch approved.txt","escalate":true,"justification":"create approved.txt"},
                   {"shell":"touch denied.txt","escalate":true,"justification":"create denied.txt"},
                   {"patch":"*** Begin Patch\\n*** Add File: patched.txt\\n+patched\\n*** End Patch"}],
                  "final":"approvals done"}]}
                """);
        JobRecord started = start("needs approval", false, Sandbox.READ_ONLY);
        assertEquals("on-request", started.approval());
        String id = started.id();
        JobRecord waiting = world.await(id, j -> j.status() == JobStatus.WAITING, "waiting for approval 1");
        assertEquals("1", waiting.pending().get(0).id());
        assertEquals("command", waiting.pending().get(0).kind());
        assertTrue(waiting.pending().get(0).summary().contains("touch approved.txt"), waiting.toString());
        world.jobs().approve(id, "1", true);

        world.await(id, j -> j.pending().stream().anyMatch(p -> p.id().equals("2")), "waiting for approval 2");
        world.jobs().approve(id, "2", false);

        JobRecord third =
                world.await(id, j -> j.pending().stream().anyMatch(p -> p.id().equals("3")), "waiting for approval 3");
        assertEquals("file_change", third.pending().get(0).kind());
        assertTrue(third.pending().get(0).summary().contains("patched.txt"), third.toString());
        world.jobs().approve(id, "3", true);

        JobRecord done = world.awaitStatus(id, JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        Path root = world.root();
        assertTrue(Files.exists(root.resolve("approved.txt")));
        assertFalse(Files.exists(root.resolve("denied.txt")), "the denied command did not run");
        assertEquals("patched\n", Files.readString(root.resolve("patched.txt")));
        assertEquals(List.of(root.toRealPath().resolve("patched.txt").toString()), done.filesModified());
        List<String> out = world.jobs().output(id, 200);
        assertTrue(out.stream().anyMatch(l -> l.contains("#1 approved by person")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.contains("#2 denied by person")), out.toString());
    }

    @Test
    void killedJobLeavesNoProcessBehind() {
        world.codexModel.script("""
                {"name":"kill","turns":[{"match":"wait a long time","steps":[{"shell":"sleep 300"}]}]}
                """);
        JobRecord started = start("wait a long time", true, Sandbox.WORKSPACE_WRITE);
        long pid = world.await(started.id(), j -> j.pid().isPresent(), "running")
                .pid()
                .orElseThrow();
        ProcessHandle sleep = Procs.awaitChild(pid, "sleep");
        List<ProcessHandle> tree = Procs.tree(pid);

        JobRecord killed = world.jobs().kill(started.id());

        assertEquals(JobStatus.KILLED, killed.status());
        assertFalse(sleep.isAlive(), "the engine's shell command was killed too");
        assertEquals(List.of(), tree.stream().filter(ProcessHandle::isAlive).toList(), "left: " + Procs.describe(tree));
        assertEquals(List.of(), ProcessTree.sessionMembers(pid), "nothing is left in the engine's session");
        assertEquals(Optional.empty(), world.jobs().status(started.id()).pid());
    }

    @Test
    void jobWhoseEngineCrashesFailsWithTheReasonAndLeavesNothing() {
        world.codexModel.script("""
                {"name":"crash","turns":[{"match":"crash soon","steps":[{"shell":"sleep 300"}]}]}
                """);
        JobRecord started = start("crash soon", true, Sandbox.WORKSPACE_WRITE);
        long pid = world.await(started.id(), j -> j.pid().isPresent(), "running")
                .pid()
                .orElseThrow();
        ProcessHandle sleep = Procs.awaitChild(pid, "sleep");
        // the engine dies as a crash would end it: SIGKILL, no chance to clean up
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        JobRecord failed = world.awaitStatus(started.id(), JobStatus.FAILED, JobStatus.COMPLETED);
        assertEquals(JobStatus.FAILED, failed.status());
        assertTrue(failed.error().orElse("").contains("exited with code 137"), failed.toString());
        world.await(started.id(), j -> !sleep.isAlive(), "without its orphaned shell command");
        assertEquals(List.of(), ProcessTree.sessionMembers(pid));
    }

    @Test
    void modelApiErrorFailsTheJobWithTheEnginesMessage() {
        world.codexModel.script("""
                {"name":"error","turns":[{"match":"meet an error","steps":[
                  {"status":401,"error":{"message":"mock says no","type":"invalid_request_error"}}]}]}
                """);
        JobRecord started = start("meet an error", true, Sandbox.READ_ONLY);
        JobRecord failed = world.awaitStatus(started.id(), JobStatus.FAILED, JobStatus.COMPLETED);
        assertEquals(JobStatus.FAILED, failed.status());
        assertTrue(failed.error().orElse("").contains("401 Unauthorized"), failed.toString());
    }

    @Test
    void hubRestartMidJobInterruptsItAndResumeContinuesTheSameSession() {
        world.codexModel.script("""
                {"name":"restart","turns":[
                  {"match":"a long task","steps":[{"shell":"sleep 300"}]},
                  {"match":"Continue where you left off","final":"picked up after the restart"}]}
                """);
        JobRecord started = start("a long task", false, Sandbox.READ_ONLY);
        JobRecord running = world.await(
                started.id(), j -> j.sessionId().isPresent() && j.pid().isPresent(), "running");
        long pid = running.pid().orElseThrow();
        ProcessHandle sleep = Procs.awaitChild(pid, "sleep");

        world.restart();

        assertFalse(sleep.isAlive(), "stopping the hub ended the job's processes");
        JobRecord interrupted = world.jobs().status(started.id());
        assertEquals(JobStatus.INTERRUPTED, interrupted.status());
        assertEquals(running.sessionId(), interrupted.sessionId());

        world.jobs().resume(started.id(), Optional.empty());
        JobRecord resumed = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, resumed.status(), resumed.toString());
        assertEquals(Optional.of("picked up after the restart"), resumed.summary());
        assertEquals(running.sessionId(), resumed.sessionId(), "resumed through the engine's own session");
        assertEquals(2, resumed.turns());
    }
}
