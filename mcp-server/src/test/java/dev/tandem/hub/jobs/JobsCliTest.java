package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.hub.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code tandem jobs …} against a running hub, over HTTP with the token, as a person types it. */
class JobsCliTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run tandem(List<String> args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs {@code tandem jobs ARGS --config <a hub.toml naming the running hub>}. */
    private Run jobs(JobWorld world, String... args) throws Exception {
        Path config = dir.resolve("cli-hub.toml");
        Files.writeString(
                config,
                "[hub]\nport = " + world.hub().port() + "\ntoken_file = \""
                        + world.hub().config().tokenFile() + "\"\n");
        List<String> all = new ArrayList<>(List.of("jobs", args[0], "--config", config.toString()));
        all.addAll(List.of(args).subList(1, args.length));
        return tandem(all);
    }

    private static Run ok(Run run) {
        assertEquals(0, run.exit(), () -> "exit " + run.exit() + ": " + run.err() + run.out());
        return run;
    }

    @Test
    void statusPrintsTheCodeRunningFilesAJobChanged() throws Exception {
        try (JobWorld world = JobWorld.start(dir.resolve("w"), "")) {
            world.codexModel.script("""
                    {"name":"cli","turns":[{"match":"add an mcp server","steps":[{"shell":"echo {} > .mcp.json"}],
                      "final":"added"}]}
                    """);
            String id = ok(jobs(
                            world,
                            "start",
                            "--one-shot",
                            "--sandbox",
                            "workspace-write",
                            "--dir",
                            world.root().toString(),
                            "--",
                            "add an mcp server"))
                    .out()
                    .strip();
            ok(jobs(world, "watch", id));
            String mcp = world.root().toRealPath().resolve(".mcp.json").toString();
            Run status = ok(jobs(world, "status", id));
            assertTrue(
                    status.out()
                            .contains("PROTECTED:  added " + mcp
                                    + "  (runs code when the project is next opened; not reverted: review it)"),
                    status.out());
            Run output = ok(jobs(world, "output", id));
            assertTrue(output.out().contains(" protected_change [warning] "), output.out());
        }
    }

    @Test
    void startWatchStatusListAndOutputOfAOneShotJob() throws Exception {
        try (JobWorld world = JobWorld.start(dir.resolve("w"), "")) {
            world.codexModel.script("""
                    {"name":"cli","turns":[{"match":"count the files","steps":[{"shell":"ls"}],
                      "final":"There are no files."}]}
                    """);
            String id = ok(jobs(
                            world, "start", "--one-shot", "--dir", world.root().toString(), "--", "count the files"))
                    .out()
                    .strip();
            assertTrue(id.matches("[a-z0-9]{8}"), id);

            Run watch = ok(jobs(world, "watch", id));
            assertTrue(watch.out().contains("message There are no files."), watch.out());
            assertTrue(watch.out().strip().endsWith("job " + id + " completed"), watch.out());

            JsonNode status =
                    JSON.readTree(ok(jobs(world, "status", id, "--json")).out());
            for (String field : List.of(
                    "id",
                    "engine",
                    "status",
                    "dir",
                    "prompt",
                    "created",
                    "started",
                    "ended",
                    "elapsed_ms",
                    "tokens",
                    "cost_usd",
                    "files_modified",
                    "summary",
                    "session_id",
                    "pending",
                    "error")) {
                assertTrue(status.has(field), field + " missing from " + status);
            }
            assertEquals("completed", status.path("status").asString());
            assertEquals("There are no files.", status.path("summary").asString());
            for (String field : List.of("input", "cached_input", "output", "context_window", "context_used_pct")) {
                assertTrue(status.path("tokens").has(field), field + " missing from tokens");
            }

            JsonNode list = JSON.readTree(ok(jobs(world, "list", "--json")).out());
            assertEquals(id, list.get(0).path("id").asString());
            assertTrue(ok(jobs(world, "list")).out().contains(id + " "));
            assertTrue(
                    ok(jobs(world, "output", id, "--lines", "3")).out().lines().count() <= 3);
            assertTrue(ok(jobs(world, "status", id)).out().lines().anyMatch(l -> l.matches("status:\\s+completed")));
        }
    }

    /** ESC ]52 (a clipboard write), BEL, CSI as the C1 U+009B, a right-to-left override: none may reach a terminal. */
    private static final String EVIL = "\u001b]52;c;ZXZpbA==\u0007 \u009b2J \u202egnp.exe";

    private static void terminalSafe(String printed) {
        for (char c : new char[] {'\u001b', '\u0007', '\u009b', '\u202e'}) {
            assertTrue(printed.indexOf(c) < 0, () -> String.format("U+%04X printed raw in: %s", (int) c, printed));
        }
    }

    @Test
    void whatTheAgentWritesReachesNoTerminalAsControlCharacters() throws Exception {
        try (JobWorld world = JobWorld.start(dir.resolve("w"), "")) {
            // the model says it, and names a file after it
            world.codexModel.script("""
                    {"name":"cli","turns":[{"match":"say it",
                      "steps":[{"patch":"*** Begin Patch\\n*** Add File: f\\u001b]0;t\\u0007\\u009b\\u202e.txt\\n+x\\n*** End Patch"}],
                      "final":"said \\u001b]52;c;ZXZpbA==\\u0007 \\u009b2J \\u202egnp.exe\\tend"}]}
                    """);
            String id = ok(jobs(
                            world,
                            "start",
                            "--one-shot",
                            "--sandbox",
                            "workspace-write",
                            "--dir",
                            world.root().toString(),
                            "--",
                            "say it " + EVIL))
                    .out()
                    .strip();
            Run watch = jobs(world, "watch", id);
            Run status = jobs(world, "status", id);
            Run list = jobs(world, "list");
            Run output = jobs(world, "output", id);
            Run raw = jobs(world, "output", id, "--raw");
            Run json = jobs(world, "status", id, "--json");
            Run listJson = jobs(world, "list", "--json");
            assertAll(
                    () -> terminalSafe(ok(watch).out()),
                    () -> assertTrue(
                            watch.out().contains("said \\u001b]52;c;ZXZpbA==\\u0007 \\u009b2J \\u202egnp.exe\tend"),
                            watch.out()),
                    () -> terminalSafe(ok(status).out()),
                    () -> assertTrue(
                            status.out().lines().anyMatch(l -> l.matches("summary:\\s+said \\\\u001b\\]52.*")),
                            status.out()),
                    () -> assertTrue(
                            status.out().contains("say it \\u001b]52;c;ZXZpbA==\\u0007 \\u009b2J \\u202egnp.exe"),
                            status.out()),
                    () -> assertTrue(status.out().contains("f\\u001b]0;t\\u0007\\u009b\\u202e.txt"), status.out()),
                    () -> terminalSafe(ok(list).out()),
                    () -> assertTrue(list.out().contains("said \\u001b]52"), list.out()),
                    () -> terminalSafe(ok(output).out()),
                    () -> assertTrue(
                            output.out().contains("said \\u001b]52;c;ZXZpbA==\\u0007 \\u009b2J \\u202egnp.exe\tend"),
                            output.out()),
                    () -> assertTrue(ok(raw).out().contains("said " + EVIL + "\tend"), raw.out()),
                    () -> terminalSafe(ok(json).out()),
                    () -> assertTrue(json.out().contains("\\u009b2J \\u202egnp.exe"), json.out()),
                    () -> assertEquals(
                            "said " + EVIL + "\tend",
                            JSON.readTree(json.out()).path("summary").asString()),
                    () -> terminalSafe(ok(listJson).out()),
                    () -> assertEquals(
                            "say it " + EVIL,
                            JSON.readTree(listJson.out()).get(0).path("prompt").asString()));
        }
    }

    @Test
    void aPendingApprovalsCommandReachesNoTerminalAsControlCharacters() throws Exception {
        try (JobWorld world = JobWorld.start(dir.resolve("w"), "")) {
            world.codexModel.script("""
                    {"name":"cli","turns":[{"match":"make a file","steps":[
                       {"shell":"touch 'a\\u001b]52;c;ZXZpbA==\\u0007 \\u009b2J \\u202egnp.exe'","escalate":true,
                        "justification":"x"}],
                      "final":"made it"}]}
                    """);
            String id = ok(jobs(
                            world,
                            "start",
                            "--engine",
                            "codex",
                            "--dir",
                            world.root().toString(),
                            "make a file"))
                    .out()
                    .strip();
            world.await(id, j -> j.status() == JobStatus.WAITING, "waiting");
            Run status = ok(jobs(world, "status", id));
            terminalSafe(status.out());
            assertTrue(
                    status.out()
                            .lines()
                            .anyMatch(l -> l.startsWith("waiting on:")
                                    && l.contains("a\\u001b]52;c;ZXZpbA==\\u0007 \\u009b2J \\u202egnp.exe")),
                    status.out());
            ok(jobs(world, "kill", id));
        }
    }

    @Test
    void approveSendKillResumeAndCleanAnInteractiveJob() throws Exception {
        try (JobWorld world = JobWorld.start(dir.resolve("w"), "")) {
            world.claudeModel.script("""
                    {"name":"cli","turns":[
                      {"match":"make a file","steps":[{"tool":"Bash","input":{"command":"touch made.txt","description":"x"}}],
                       "final":"made it"},
                      {"match":"and now wait","steps":[{"tool":"Bash","input":{"command":"sh -c 'sleep 300'","description":"w"}}]},
                      {"match":"Continue where you left off","final":"back again"}]}
                    """);
            String id = ok(jobs(
                            world,
                            "start",
                            "--engine",
                            "claude",
                            "--dir",
                            world.root().toString(),
                            "make a file"))
                    .out()
                    .strip();
            world.await(id, j -> j.status() == JobStatus.WAITING, "waiting");
            Run status = ok(jobs(world, "status", id));
            assertTrue(status.out().contains("tandem jobs approve " + id + " 1"), status.out());
            ok(jobs(world, "approve", id, "1"));
            assertEquals(0, ok(jobs(world, "watch", id)).exit());
            assertTrue(Files.exists(world.root().resolve("made.txt")));

            ok(jobs(world, "send", id, "and", "now", "wait"));
            JobRecord waiting = world.await(id, j -> j.status() == JobStatus.WAITING, "waiting again");
            ok(jobs(world, "approve", id, waiting.pending().get(0).id()));
            Procs.awaitChild(waiting.pid().orElseThrow(), "sleep");
            assertTrue(ok(jobs(world, "kill", id)).out().contains("killed"));
            assertEquals(1, jobs(world, "watch", id).exit(), "watch says a killed job did not complete");

            ok(jobs(world, "resume", id));
            JobRecord back = world.awaitStatus(id, JobStatus.COMPLETED, JobStatus.FAILED);
            assertEquals("back again", back.summary().orElse(""));

            Run conflict = jobs(world, "resume", id);
            assertEquals(2, conflict.exit());
            assertTrue(conflict.err().contains("send it a follow-up instead"), conflict.err());
            assertTrue(ok(jobs(world, "clean", "--older-than", "0m")).out().contains("deleted 1 jobs"));
            Run gone = jobs(world, "status", id);
            assertEquals(2, gone.exit());
            assertTrue(gone.err().contains("no job '" + id + "'"), gone.err());
        }
    }

    @Test
    void saysHowToStartAHubWhenNoneRuns() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path token = Files.writeString(dir.resolve("token"), "t".repeat(43));
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path config = Files.writeString(
                dir.resolve("hub.toml"), "[hub]\nport = " + port + "\ntoken_file = \"" + token + "\"\n");
        Run run = tandem(List.of("jobs", "list", "--config", config.toString()));
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("no hub answers on http://127.0.0.1:" + port), run.err());
        assertTrue(run.err().contains("tandem serve"), run.err());
    }

    @Test
    void aJobIdThatIsNotOneIsRefusedBeforeAnyRequest() {
        Run run = tandem(List.of("jobs", "status", "../../api/whoami"));
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("is not a job id"), run.err());
    }
}
