package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.Section;
import dev.tandem.hub.Processes;
import dev.tandem.hub.TestHub;
import dev.tandem.hub.tasks.TaskRunner;
import dev.tandem.hub.tasks.TaskSettings;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;

class TaskToolsTest {
    private static final Pattern LEFT_OUT = Pattern.compile("… (\\d+) more lines");

    @TempDir
    Path dir;

    private Path root;
    private TestHub hub;
    private McpSyncClient client;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
    }

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.close();
        }
    }

    private void start(String toml, Map<String, String> env) {
        TaskSettings settings = TaskSettings.from(
                Section.of(
                        dir.resolve("hub.toml"),
                        "tasks",
                        Toml.parse(toml).getTable("tasks"),
                        dir.resolve("hub.toml").getParent()),
                List.of(root));
        hub = TestHub.start(dir, List.of(new TaskCapability(new TaskRunner(settings, List.of(root), env))));
        client = hub.client("codex-mcp-client");
    }

    private void start(String toml) {
        start(toml, Map.of("PATH", System.getenv("PATH")));
    }

    private McpSchema.CallToolResult run(McpSyncClient c, String name) {
        return c.callTool(McpSchema.CallToolRequest.builder("task_run")
                .arguments(Map.of("name", name))
                .build());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> ok(String name) {
        McpSchema.CallToolResult r = run(client, name);
        assertFalse(Boolean.TRUE.equals(r.isError()), () -> text(r));
        return (Map<String, Object>) r.structuredContent();
    }

    /** The result of a run that failed (non-zero exit or timeout): {@code isError}, with the same fields. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> failed(String name) {
        McpSchema.CallToolResult r = run(client, name);
        assertTrue(Boolean.TRUE.equals(r.isError()), () -> text(r));
        return (Map<String, Object>) r.structuredContent();
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    private static String stream(Map<String, Object> result, String name) {
        return (String) ((Map<String, Object>) result.get(name)).get("text");
    }

    @Test
    void runReturnsExitCodeAndBothStreams() {
        start("""
                [tasks.check]
                argv = ["sh", "-c", "echo out; echo err >&2; exit 3"]
                """);
        Map<String, Object> r = failed("check");
        assertEquals(3, r.get("exitCode"));
        assertEquals(false, r.get("timedOut"));
        assertEquals("out\n", stream(r, "stdout"));
        assertEquals("err\n", stream(r, "stderr"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void outputBeyondTheCapKeepsTheEnd() {
        start("""
                [tasks.noisy]
                argv = ["seq", "1", "5000"]
                output_kib = 1
                """);
        Map<String, Object> r = ok("noisy");
        Map<String, Object> out = (Map<String, Object>) r.get("stdout");
        assertEquals(true, out.get("truncated"));
        String text = (String) out.get("text");
        assertTrue(text.length() <= 1024, "kept " + text.length());
        assertTrue(text.endsWith("4999\n5000\n"), text);
        assertTrue(((Number) out.get("totalBytes")).longValue() > 20_000);
    }

    @Test
    void taskPastItsTimeoutIsKilledWithItsChildrenEvenIfItIgnoresSigterm() throws Exception {
        // SIG_IGN is inherited across exec, so the shell and its sleep both survive SIGTERM and need SIGKILL
        start("""
                [tasks]
                kill_grace_seconds = 1
                [tasks.hang]
                argv = ["sh", "-c", "trap '' TERM; sleep 60 & echo $! > child.pid; wait"]
                timeout = 1
                """);
        Map<String, Object> r = failed("hang");
        assertEquals(true, r.get("timedOut"));
        long child = Long.parseLong(Files.readString(root.resolve("child.pid")).strip());
        ProcessHandle.of(child).ifPresent(h -> h.onExit().join());
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aTaskRunningWhenTheHubStopsIsEndedWithItsChildAndAStillConnectedCallerIsToldWhy() throws Exception {
        start("""
                [tasks]
                kill_grace_seconds = 1
                [tasks.slow]
                argv = ["sh", "-c", "trap '' TERM; sleep 300 & echo $! > child.pid; wait"]
                timeout = 600
                """);
        // its own thread: the call blocks until the hub stops, and must not hold a shared pool's thread
        ExecutorService caller = Executors.newVirtualThreadPerTaskExecutor();
        Future<McpSchema.CallToolResult> call = caller.submit(() -> run(client, "slow"));
        ProcessHandle child =
                Processes.awaitPid(root.resolve("child.pid"), "the task did not start its child within 30 s");
        try {
            hub.close();
            hub = null;
            assertTrue(
                    Processes.endsWithin(child, Duration.ofSeconds(2)),
                    "the task's child ended before the hub finished stopping");
            McpSchema.CallToolResult r;
            try {
                r = call.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // the connection closed before the answer went out: the stop itself is what this test checks;
                // TaskRunnerStopTest checks the result the answer is made of
                assertTrue(e.getCause().getMessage().contains("terminated"), e::toString);
                return;
            }
            assertTrue(Boolean.TRUE.equals(r.isError()), () -> text(r));
            @SuppressWarnings("unchecked")
            Map<String, Object> out = (Map<String, Object>) r.structuredContent();
            assertEquals(true, out.get("hubStopped"), out::toString);
            assertEquals(false, out.get("timedOut"), out::toString);
            assertTrue(
                    ((String) out.get("message")).startsWith("the hub stopped while task 'slow' ran"), out::toString);
        } finally {
            child.destroyForcibly();
            caller.shutdownNow();
        }
    }

    @Test
    void outputLinesStreamAsProgressNotifications() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        start("""
                [tasks.lines]
                argv = ["sh", "-c", "echo one; echo two; echo three >&2"]
                """);
        McpSyncClient listening = hub.client(
                "claude-code",
                spec -> spec.progressConsumer(p -> {
                    // lines that come close together arrive in one notification, one per line of its message
                    for (String line : p.message().split("\n", -1)) {
                        lines.add(line);
                        three.countDown();
                    }
                }));
        McpSchema.CallToolResult r = listening.callTool(McpSchema.CallToolRequest.builder("task_run")
                .arguments(Map.of("name", "lines"))
                .progressToken("run-1")
                .build());
        assertFalse(Boolean.TRUE.equals(r.isError()));
        assertTrue(three.await(10, TimeUnit.SECONDS), lines::toString);
        assertTrue(lines.containsAll(List.of("stdout: one", "stdout: two", "stderr: three")), lines::toString);
    }

    @Test
    void aFloodOfOutputIsSentAsFewProgressNotificationsThatAccountForEveryLine() throws Exception {
        List<McpSchema.ProgressNotification> notes = new CopyOnWriteArrayList<>();
        start("""
                [tasks.flood]
                argv = ["seq", "1", "5000"]
                """);
        McpSyncClient listening = hub.client("claude-code", spec -> spec.progressConsumer(notes::add));
        McpSchema.CallToolResult r = listening.callTool(McpSchema.CallToolRequest.builder("task_run")
                .arguments(Map.of("name", "flood"))
                .progressToken("flood-1")
                .build());
        assertFalse(Boolean.TRUE.equals(r.isError()));
        // the last notification is sent before the result; give the client's reader a moment to hand it over
        for (int i = 0; i < 100 && (notes.isEmpty() || notes.getLast().progress() < 5000); i++) {
            Thread.sleep(50);
        }
        assertFalse(notes.isEmpty());
        assertTrue(notes.size() < 5000, "one notification per line: " + notes.size());
        assertEquals(5000.0, notes.getLast().progress());
        long accounted = 0;
        for (McpSchema.ProgressNotification n : notes) {
            for (String line : n.message().split("\n", -1)) {
                Matcher more = LEFT_OUT.matcher(line);
                accounted += more.matches() ? Long.parseLong(more.group(1)) : 1;
            }
        }
        assertEquals(5000, accounted, "every line is either shown or counted as left out");
    }

    @Test
    void environmentIsLimitedToTheAllowList() {
        start("""
                [tasks.env]
                argv = ["sh", "-c", "echo \\"[$HOME][$SECRET]\\""]
                env = ["PATH", "HOME"]
                """, Map.of("PATH", System.getenv("PATH"), "HOME", "/home/someone", "SECRET", "s3cret"));
        assertEquals("[/home/someone][]\n", stream(ok("env"), "stdout"));
    }

    @Test
    void unknownTaskIsAnErrorNamingTheConfiguredOnes() {
        start("[tasks.build]\nargv = [\"true\"]\n");
        McpSchema.CallToolResult r = run(client, "deploy");
        assertTrue(r.isError());
        assertTrue(text(r).contains("'deploy'") && text(r).contains("build"), text(r));
    }

    @Test
    void taskWhoseFolderNowLeadsOutsideTheRootsIsRefused() throws Exception {
        Files.createDirectories(root.resolve("work"));
        start("[tasks.build]\nargv = [\"true\"]\ncwd = \"work\"\n");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.delete(root.resolve("work"));
        Files.createSymbolicLink(root.resolve("work"), outside);
        McpSchema.CallToolResult r = run(client, "build");
        assertTrue(r.isError());
        assertTrue(text(r).contains("outside the roots"), text(r));
    }

    @Test
    void taskBeyondMaxConcurrentIsRefusedWhileOthersRun() throws Exception {
        start("""
                [tasks]
                max_concurrent = 1
                [tasks.block]
                argv = ["sh", "-c", "touch started; while [ ! -f release ]; do sleep 0.05; done"]
                timeout = 60
                """);
        McpSyncClient other = hub.client("claude-code");
        // not the common pool: on two cores it has one thread, which the client's own async stages also need
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<McpSchema.CallToolResult> first = pool.submit(() -> run(other, "block"));
        while (!Files.exists(root.resolve("started"))) {
            assertFalse(first.isDone(), "first run ended early");
            Thread.sleep(20);
        }
        McpSchema.CallToolResult second = run(client, "block");
        assertTrue(second.isError());
        assertTrue(text(second).contains("max_concurrent = 1"), text(second));
        Files.createFile(root.resolve("release"));
        assertFalse(Boolean.TRUE.equals(first.get(30, TimeUnit.SECONDS).isError()));
        pool.shutdown();
    }

    @Test
    @SuppressWarnings("unchecked")
    void listShowsTheConfiguredTasks() {
        start("""
                [tasks.build]
                description = "Compile"
                argv = ["make", "all"]
                timeout = 120
                """);
        McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder("task_list")
                .arguments(Map.of())
                .build());
        List<Map<String, Object>> tasks =
                (List<Map<String, Object>>) ((Map<String, Object>) r.structuredContent()).get("tasks");
        assertEquals(1, tasks.size());
        assertEquals("build", tasks.get(0).get("name"));
        assertEquals(List.of("make", "all"), tasks.get(0).get("argv"));
        assertEquals(120, tasks.get(0).get("timeoutSeconds"));
    }
}
