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

/** Claude Code jobs with the real pinned {@code claude} (2.1.329) against the scripted Messages API mock. */
class ClaudeJobsTest {
    private static final String USAGE =
            "\"usage\":{\"input_tokens\":300,\"output_tokens\":20,\"cache_read_input_tokens\":100}";

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
                        Engine.CLAUDE,
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
    void oneShotJobRecordsFilesTokensCostAndTheResult() throws Exception {
        Path file = world.root().toRealPath().resolve("hello.txt");
        world.claudeModel.script("""
                {"name":"one-shot",%s,"turns":[{"match":"write hello","steps":[
                   {"tool":"Write","input":{"file_path":"%s","content":"hello from claude\\n"}}],
                  "final":"Wrote hello.txt."}]}
                """.formatted(USAGE, file));
        JobRecord started = start("write hello", true, Sandbox.WORKSPACE_WRITE);
        JobRecord done = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertEquals(Optional.of("Wrote hello.txt."), done.summary());
        assertEquals("hello from claude\n", Files.readString(file));
        assertEquals(List.of(file.toString()), done.filesModified());
        // two model requests of 300 + 100 cached input tokens: the result's usage for the turn
        assertEquals(800, done.tokens().input());
        assertEquals(200, done.tokens().cachedInput());
        assertEquals(40, done.tokens().output());
        assertTrue(done.costUsd().orElse(0.0) > 0, "Claude Code reports a cost: " + done);
        assertTrue(done.tokens().contextWindow().isPresent());
        assertTrue(done.sessionId().isPresent());
        assertFalse(done.pid().isPresent());
    }

    @Test
    void interactiveJobTakesAFollowUpInTheSameProcessAndSession() {
        world.claudeModel.script("""
                {"name":"interactive",%s,"turns":[
                   {"match":"first question","final":"first answer"},
                   {"match":"second question","final":"second answer"}]}
                """.formatted(USAGE));
        JobRecord started = start("first question", false, Sandbox.READ_ONLY);
        JobRecord first = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(Optional.of("first answer"), first.summary(), first.toString());
        long pid = first.pid().orElseThrow();
        double firstCost = first.costUsd().orElseThrow();

        world.jobs().send(started.id(), "second question");
        JobRecord second =
                world.await(started.id(), j -> j.turns() == 2 && !j.status().active(), "done with its second turn");
        assertEquals(JobStatus.COMPLETED, second.status(), second.toString());
        assertEquals(Optional.of("second answer"), second.summary());
        assertEquals(first.sessionId(), second.sessionId());
        assertEquals(Optional.of(pid), second.pid(), "the follow-up went to the same claude process");
        assertEquals(800, second.tokens().input(), "each turn's usage added once");
        assertTrue(second.costUsd().orElseThrow() > firstCost, "each turn's cost added");
        assertTrue(second.costUsd().orElseThrow() < 3 * firstCost, "not the running total added again");
    }

    @Test
    void approvalsAnsweredYesAndNoThroughTheControlProtocol() {
        world.claudeModel.script("""
                {"name":"approvals","turns":[{"match":"needs approval","steps":[
                   {"tool":"Bash","input":{"command":"touch allowed.txt","description":"make allowed.txt"}},
                   {"tool":"Bash","input":{"command":"touch denied.txt","description":"make denied.txt"}}],
                  "final":"approvals done: {{last_result}}"}]}
                """);
        JobRecord started = start("needs approval", false, Sandbox.READ_ONLY);
        String id = started.id();
        JobRecord waiting = world.await(id, j -> j.status() == JobStatus.WAITING, "waiting for approval 1");
        assertEquals("command", waiting.pending().get(0).kind());
        assertTrue(waiting.pending().get(0).summary().contains("touch allowed.txt"), waiting.toString());
        world.jobs().approve(id, waiting.pending().get(0).id(), true);

        JobRecord second = world.await(
                id,
                j -> j.pending().stream().anyMatch(p -> p.summary().contains("denied.txt")),
                "waiting for approval 2");
        world.jobs().approve(id, second.pending().get(0).id(), false);

        JobRecord done = world.awaitStatus(id, JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertTrue(Files.exists(world.root().resolve("allowed.txt")));
        assertFalse(Files.exists(world.root().resolve("denied.txt")), "the denied command did not run");
        assertTrue(done.summary().orElse("").contains("denied it in Tandem"), done.toString());
    }

    @Test
    void readOnlyJobCannotEditFiles() throws Exception {
        Path file = world.root().toRealPath().resolve("edit.txt");
        world.claudeModel.script("""
                {"name":"read-only","turns":[{"match":"try to write","steps":[
                   {"tool":"Write","input":{"file_path":"%s","content":"should not be here"}}],
                  "final":"tool said: {{last_result}}"}]}
                """.formatted(file));
        JobRecord started = start("try to write", true, Sandbox.READ_ONLY);
        JobRecord done = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertFalse(Files.exists(file), "read-only removes the edit tools: " + done);
        assertEquals(List.of(), done.filesModified());
    }

    @Test
    void killedJobLeavesNoProcessBehind() {
        world.claudeModel.script("""
                {"name":"kill","turns":[{"match":"wait a long time","steps":[
                   {"tool":"Bash","input":{"command":"sh -c 'sleep 300'","description":"wait"}}]}]}
                """);
        JobRecord started = start("wait a long time", false, Sandbox.READ_ONLY);
        JobRecord waiting = world.await(started.id(), j -> j.status() == JobStatus.WAITING, "waiting to run sleep");
        world.jobs().approve(started.id(), waiting.pending().get(0).id(), true);
        long pid = waiting.pid().orElseThrow();
        ProcessHandle sleep = Procs.awaitChild(pid, "sleep");
        List<ProcessHandle> tree = Procs.tree(pid);

        JobRecord killed = world.jobs().kill(started.id());

        assertEquals(JobStatus.KILLED, killed.status());
        assertFalse(sleep.isAlive());
        assertEquals(List.of(), tree.stream().filter(ProcessHandle::isAlive).toList(), "left: " + Procs.describe(tree));
        assertEquals(List.of(), ProcessTree.sessionMembers(pid));
    }

    @Test
    void jobWhoseEngineCrashesFails() {
        world.claudeModel.script("""
                {"name":"crash","turns":[{"match":"crash soon","steps":[{"say":"thinking","delay_ms":60000}]}]}
                """);
        JobRecord started = start("crash soon", true, Sandbox.READ_ONLY);
        long pid = world.await(started.id(), j -> j.sessionId().isPresent(), "started")
                .pid()
                .orElseThrow();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        JobRecord failed = world.awaitStatus(started.id(), JobStatus.FAILED, JobStatus.COMPLETED);
        assertEquals(JobStatus.FAILED, failed.status());
        assertTrue(failed.error().orElse("").contains("exited with code 137"), failed.toString());
    }

    @Test
    void hubRestartWhileWaitingInterruptsTheJobAndResumeContinuesTheSession() {
        world.claudeModel.script("""
                {"name":"restart","turns":[
                   {"match":"a long task","steps":[{"tool":"Bash","input":{"command":"touch later.txt","description":"x"}}]},
                   {"match":"Continue where you left off","final":"picked up after the restart"}]}
                """);
        JobRecord started = start("a long task", false, Sandbox.READ_ONLY);
        JobRecord waiting = world.await(started.id(), j -> j.status() == JobStatus.WAITING, "waiting");
        long pid = waiting.pid().orElseThrow();

        world.restart();

        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "the old claude process is gone");
        assertFalse(Files.exists(world.root().resolve("later.txt")), "the unanswered request never ran");
        JobRecord interrupted = world.jobs().status(started.id());
        assertEquals(JobStatus.INTERRUPTED, interrupted.status());
        assertEquals(List.of(), interrupted.pending());

        world.jobs().resume(started.id(), Optional.empty());
        JobRecord resumed = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, resumed.status(), resumed.toString());
        assertEquals(Optional.of("picked up after the restart"), resumed.summary());
        assertEquals(waiting.sessionId(), resumed.sessionId(), "claude --resume keeps the session id");
    }
}
