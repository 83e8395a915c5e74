package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.ProcessTree;
import dev.tandem.hub.runs.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's guards with the real engines: nothing a caller says becomes a flag, the engines never see the
 * hub's token, secrets never reach the store, and output, concurrency, the queue and a turn's time are capped.
 */
class JobGuardsTest {
    @TempDir
    Path dir;

    private static JobRequest request(Engine engine, String prompt, Sandbox sandbox) {
        return new JobRequest(
                engine,
                prompt,
                Optional.empty(),
                Optional.empty(),
                Optional.of(sandbox),
                Optional.empty(),
                true,
                List.of(),
                "cli");
    }

    private static String userText(MockModel model) {
        return model.requests().toString();
    }

    @Test
    void promptsThatLookLikeFlagsOrSubcommandsReachTheModelAsText() {
        String codexPrompt = "review --dangerously-bypass-approvals-and-sandbox -s danger-full-access";
        String claudePrompt = "--dangerously-skip-permissions --permission-mode bypassPermissions";
        try (JobWorld world = JobWorld.start(dir, "")) {
            world.codexModel.script("{\"name\":\"flags\",\"turns\":[{\"final\":\"just text\"}]}");
            world.claudeModel.script("{\"name\":\"flags\",\"turns\":[{\"final\":\"just text\"}]}");
            JobRecord codex = world.jobs().start(request(Engine.CODEX, codexPrompt, Sandbox.READ_ONLY));
            JobRecord claude = world.jobs().start(request(Engine.CLAUDE, claudePrompt, Sandbox.READ_ONLY));
            assertEquals(
                    JobStatus.COMPLETED,
                    world.awaitStatus(codex.id(), JobStatus.COMPLETED, JobStatus.FAILED)
                            .status());
            assertEquals(
                    JobStatus.COMPLETED,
                    world.awaitStatus(claude.id(), JobStatus.COMPLETED, JobStatus.FAILED)
                            .status());
            assertTrue(userText(world.codexModel).contains(codexPrompt), "codex got the prompt as the user's text");
            assertTrue(userText(world.claudeModel).contains(claudePrompt), "claude got the prompt as the user's text");
            assertEquals("read-only", world.jobs().status(codex.id()).sandbox());
        }
    }

    @Test
    void enginesNeverSeeTheHubsSecretsButKnowTheirJob() throws Exception {
        try (JobWorld world = JobWorld.start(dir, "")) {
            String token = world.hub().token();
            String password = "pg-password-5d1c9e2b";
            // the person's shell had the token and the store's password in the environment, under their names and
            // in copies
            world.env.put("TANDEM_TOKEN", token);
            world.env.put("COPIED_FOR_A_SCRIPT", "x" + token + "y");
            world.env.put(StoreSettings.PASSWORD_ENV, password);
            world.env.put("PGPASSWORD", password);
            world.restart();
            world.codexModel.script("""
                    {"name":"env","turns":[{"match":"dump env","steps":[{"shell":"env > env.txt"}],"final":"ok"}]}
                    """);
            JobRecord job = world.jobs().start(request(Engine.CODEX, "dump env", Sandbox.WORKSPACE_WRITE));
            world.awaitStatus(job.id(), JobStatus.COMPLETED, JobStatus.FAILED);
            String env = Files.readString(world.root().resolve("env.txt"), StandardCharsets.UTF_8);
            assertFalse(env.contains(token), "the engine's environment holds the hub token");
            assertFalse(env.contains("TANDEM_TOKEN="), env);
            assertFalse(env.contains(password), "the engine's environment holds the store's password");
            assertTrue(env.contains("TANDEM_JOB_ID=" + job.id()), env);
        }
    }

    @Test
    void secretsAreRedactedFromTheRecordTheOutputAndTheStore() throws Exception {
        try (JobWorld world = JobWorld.start(dir, "")) {
            String token = world.hub().token();
            String apiKey = "provider-secret-value-1234";
            world.env.put("SOME_PROVIDER_API_KEY", apiKey);
            world.restart();
            String openai = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0K1l2";
            world.codexModel.script("""
                    {"name":"leak","turns":[{"match":"leak things","steps":[{"shell":"echo key=$SOME_PROVIDER_API_KEY"}],
                      "final":"token %s and %s and {{last_result}}"}]}
                    """.formatted(token, openai));
            JobRecord job = world.jobs().start(request(Engine.CODEX, "leak things", Sandbox.READ_ONLY));
            JobRecord done = world.awaitStatus(job.id(), JobStatus.COMPLETED, JobStatus.FAILED);
            String summary = done.summary().orElse("");
            String output = String.join("\n", world.jobs().output(job.id(), 500));
            for (String secret : List.of(token, openai, apiKey)) {
                assertFalse(summary.contains(secret), "summary: " + summary);
                assertFalse(output.contains(secret), "output: " + output);
            }
            assertTrue(summary.contains("[redacted]"), summary);
            world.hub().close();
            Path data = world.hub().config().dataDir();
            try (var files = Files.list(data)) {
                for (Path f : files.toList()) {
                    String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertFalse(
                            bytes.contains(token) || bytes.contains(openai) || bytes.contains(apiKey), f.toString());
                }
            }
        }
    }

    @Test
    void outputIsCappedInTheStore() {
        try (JobWorld world = JobWorld.start(dir, "output_kib = 1")) {
            world.codexModel.script("""
                    {"name":"big","turns":[{"match":"lots of output","steps":[
                      {"shell":"seq 1 3000"},{"shell":"seq 1 3000"},{"shell":"seq 1 3000"}],"final":"done counting"}]}
                    """);
            JobRecord job = world.jobs().start(request(Engine.CODEX, "lots of output", Sandbox.READ_ONLY));
            JobRecord done = world.awaitStatus(job.id(), JobStatus.COMPLETED, JobStatus.FAILED);
            assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
            assertTrue(done.outputTruncated(), done.toString());
            // the cap, plus the few lines a record needs (turn start and end, exit), each cut short
            assertTrue(done.outputBytes() < 1024 + 4 * 600, done.toString());
            assertEquals(Optional.of("done counting"), done.summary());
        }
    }

    @Test
    void aConcurrencyCapQueuesJobsAndAFullQueueRefuses() {
        try (JobWorld world = JobWorld.start(dir, "max_concurrent = 1\nmax_queued = 1")) {
            world.codexModel.script("""
                    {"name":"queue","turns":[{"match":"first job","steps":[{"shell":"sleep 300"}]},
                                             {"match":"second job","final":"second done"}]}
                    """);
            JobRecord first = world.jobs().start(request(Engine.CODEX, "first job", Sandbox.WORKSPACE_WRITE));
            world.await(first.id(), j -> j.pid().isPresent(), "running");
            JobRecord second = world.jobs().start(request(Engine.CODEX, "second job", Sandbox.READ_ONLY));
            assertEquals(JobStatus.QUEUED, second.status());
            JobException busy = assertThrows(
                    JobException.class,
                    () -> world.jobs().start(request(Engine.CODEX, "third job", Sandbox.READ_ONLY)));
            assertEquals(JobException.Reason.BUSY, busy.reason());
            assertTrue(busy.getMessage().contains("max_queued = 1"), busy.getMessage());
            assertEquals(JobStatus.QUEUED, world.jobs().status(second.id()).status(), "still waiting for the slot");

            world.jobs().kill(first.id());
            JobRecord done = world.awaitStatus(second.id(), JobStatus.COMPLETED, JobStatus.FAILED);
            assertEquals(Optional.of("second done"), done.summary());
        }
    }

    @Test
    void aQueuedJobWhoseFolderBecomesALinkIsNotStartedThere() throws Exception {
        try (JobWorld world = JobWorld.start(dir, "max_concurrent = 1")) {
            world.codexModel.script("""
                    {"name":"swap","turns":[{"match":"first job","steps":[{"shell":"sleep 300"}]},
                                            {"match":"second job","final":"second done"}]}
                    """);
            Path app = Files.createDirectories(world.root().resolve("app"));
            Path elsewhere = Files.createDirectories(world.root().resolve("elsewhere"));
            JobRecord first = world.jobs().start(request(Engine.CODEX, "first job", Sandbox.READ_ONLY));
            world.await(first.id(), j -> j.pid().isPresent(), "running");
            JobRecord second = world.jobs()
                    .start(new JobRequest(
                            Engine.CODEX,
                            "second job",
                            Optional.of("app"),
                            Optional.empty(),
                            Optional.of(Sandbox.WORKSPACE_WRITE),
                            Optional.empty(),
                            true,
                            List.of(),
                            "cli"));
            assertEquals(JobStatus.QUEUED, second.status());
            // checked when queued; then the folder is swapped for a link before the engine starts
            Files.move(app, world.root().resolve("app-old"));
            Files.createSymbolicLink(app, elsewhere);

            world.jobs().kill(first.id());
            JobRecord failed = world.awaitStatus(second.id(), JobStatus.FAILED, JobStatus.COMPLETED);
            assertEquals(JobStatus.FAILED, failed.status(), failed.toString());
            String error = failed.error().orElse("");
            assertTrue(error.contains("dir " + app.toRealPath().getParent().resolve("app") + " leads to "), error);
            assertTrue(error.contains("not started"), error);
            assertTrue(failed.pid().isEmpty(), failed.toString());
        }
    }

    @Test
    void aTurnPastItsDeadlineIsKilledWithItsTree() {
        try (JobWorld world =
                JobWorld.start(dir, "", s -> s.withLimits(2, 4, Duration.ofSeconds(8), Duration.ofSeconds(2)))) {
            world.codexModel.script("""
                    {"name":"slow","turns":[{"match":"take forever","steps":[{"shell":"sleep 300"}]}]}
                    """);
            JobRecord job = world.jobs().start(request(Engine.CODEX, "take forever", Sandbox.WORKSPACE_WRITE));
            long pid = world.await(job.id(), j -> j.pid().isPresent(), "running")
                    .pid()
                    .orElseThrow();
            ProcessHandle sleep = Procs.awaitChild(pid, "sleep");
            JobRecord failed = world.awaitStatus(job.id(), JobStatus.FAILED, JobStatus.COMPLETED);
            assertEquals(JobStatus.FAILED, failed.status());
            assertTrue(failed.error().orElse("").contains("timed out after 8 s"), failed.toString());
            assertFalse(sleep.isAlive());
            assertEquals(List.of(), ProcessTree.sessionMembers(pid));
        }
    }
}
