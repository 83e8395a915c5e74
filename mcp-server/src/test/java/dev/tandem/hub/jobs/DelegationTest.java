package dev.tandem.hub.jobs;

import static dev.tandem.hub.jobs.McpCalls.call;
import static dev.tandem.hub.jobs.McpCalls.ok;
import static dev.tandem.hub.jobs.McpCalls.refusedWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.UsageBatch;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code *_exec}, {@code *_review} and {@code suggest_engine} through a real hub with the real pinned CLIs. */
class DelegationTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String VERDICT = "{\"issues\":[{\"severity\":\"high\",\"file\":\"app.py\",\"line\":2,"
            + "\"message\":\"eval of user input\",\"suggestion\":\"use ast.literal_eval\"}],"
            + "\"summary\":\"one risky eval\",\"score\":4}";

    @TempDir
    Path dir;

    private JobWorld world;

    @BeforeEach
    void start() {
        world = JobWorld.startDelegation(dir, "", UnaryOperator.identity());
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private McpSyncClient client(String name) {
        return world.hub().client(name, spec -> spec.requestTimeout(Duration.ofMinutes(2)));
    }

    static String quoted(String text) {
        return JSON.writeValueAsString(text);
    }

    @Test
    void codexExecReturnsTheMessageFilesTokensAndSessionAndStreamsProgress() throws Exception {
        world.codexModel.script("""
                {"name":"exec","turns":[{"match":"write the notes","steps":[
                   {"shell":"echo working"},
                   {"patch":"*** Begin Patch\\n*** Add File: notes.txt\\n+from codex\\n*** End Patch"}],
                  "final":"notes.txt written"}]}
                """);
        List<String> progress = new CopyOnWriteArrayList<>();
        McpSyncClient claude = world.hub()
                .client(
                        "claude-code",
                        spec -> spec.requestTimeout(Duration.ofMinutes(2))
                                .progressConsumer(p -> progress.add(p.message())));
        McpSchema.CallToolResult r = claude.callTool(McpSchema.CallToolRequest.builder("codex_exec")
                .arguments(Map.of("task", "write the notes"))
                .progressToken("deleg-1")
                .build());
        Map<String, Object> out = ok(r);

        assertEquals("completed", out.get("status"), out.toString());
        assertEquals("codex", out.get("engine"));
        assertEquals("claude", out.get("caller"));
        assertEquals(1, out.get("depth"));
        assertEquals("notes.txt written", out.get("message"));
        String notes = world.root().toRealPath().resolve("notes.txt").toString();
        assertEquals(List.of(notes), out.get("files_modified"));
        assertEquals("from codex\n", Files.readString(world.root().resolve("notes.txt")));
        assertTrue(((Map<?, ?>) out.get("tokens")).get("input") instanceof Number, out.toString());
        assertTrue(out.get("session_id") instanceof String s && !s.isBlank(), out.toString());
        assertTrue(String.join("\n", progress).contains("echo working"), progress.toString());

        JobRecord job = world.jobs().status((String) out.get("job_id"));
        assertEquals("delegation:claude/1", job.origin());
        assertEquals("workspace-write", job.sandbox(), "exec defaults to workspace-write");
        // the prompt went to the engine on stdin, not as an argument
        assertTrue(ProcessHandle.allProcesses()
                .noneMatch(h -> h.info().commandLine().orElse("").contains("write the notes")));
    }

    @Test
    void claudeExecInTheBackgroundReturnsAJobIdAtOnce() {
        world.claudeModel.script("""
                {"name":"bg","turns":[{"match":"answer later","final":"here is the later answer"}]}
                """);
        Map<String, Object> out =
                ok(call(client("codex-mcp-client"), "claude_exec", Map.of("task", "answer later", "background", true)));
        assertEquals(true, out.get("background"));
        assertEquals("claude", out.get("engine"));
        assertEquals("codex", out.get("caller"));
        String id = (String) out.get("job_id");
        JobRecord done = world.awaitStatus(id, JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertEquals("here is the later answer", done.summary().orElse(""));
        assertEquals("delegation:codex/1", done.origin());
    }

    @Test
    void codexExecAndJobStatusAnswerWithTheCodeRunningFilesTheJobChanged() throws Exception {
        world.codexModel.script("""
                {"name":"envrc","turns":[{"match":"set up direnv","steps":[
                   {"shell":"echo 'export PATH=$PWD/bin:$PATH' > .envrc"}],
                  "final":"direnv set up"}]}
                """);
        McpSyncClient claude = client("claude-code");
        Map<String, Object> answer = ok(call(claude, "codex_exec", Map.of("task", "set up direnv")));
        String envrc = world.root().toRealPath().resolve(".envrc").toString();
        List<Map<String, Object>> expected = List.of(Map.of("path", envrc, "change", "added"));
        assertEquals(expected, answer.get("protected_changes"), answer.toString());
        Map<String, Object> status = ok(call(claude, "job_status", Map.of("id", answer.get("job_id"))));
        assertEquals(expected, status.get("protected_changes"), status.toString());
    }

    @Test
    void codexExecContinuesASessionGivenItsId() {
        world.codexModel.script("""
                {"name":"resume","turns":[{"match":"first part","final":"part one done"},
                  {"match":"second part","final":"part two done"}]}
                """);
        McpSyncClient claude = client("claude-code");
        Map<String, Object> first = ok(call(claude, "codex_exec", Map.of("task", "first part")));
        String session = (String) first.get("session_id");
        Map<String, Object> second =
                ok(call(claude, "codex_exec", Map.of("task", "second part", "session_id", session)));
        assertEquals("part two done", second.get("message"));
        assertEquals(session, second.get("session_id"), "the same engine session");
        refusedWith(call(claude, "codex_exec", Map.of("task", "x", "session_id", "--help")), "session_id");
    }

    @Test
    void codexReviewReturnsAVerdictAskedForThroughOutputSchema() {
        world.codexModel.script("""
                {"name":"review","turns":[{"match":"Review the code","final":%s}]}
                """.formatted(quoted(VERDICT)));
        Map<String, Object> out = ok(call(
                client("claude-code"),
                "codex_review",
                Map.of("code", "import sys\nprint(eval(sys.argv[1]))", "focus", "security", "language", "python")));
        Map<?, ?> verdict = (Map<?, ?>) out.get("verdict");
        assertEquals(4, ((Number) verdict.get("score")).intValue());
        assertEquals("one risky eval", verdict.get("summary"));
        assertEquals("high", ((Map<?, ?>) ((List<?>) verdict.get("issues")).get(0)).get("severity"));
        JobRecord job = world.jobs().status((String) out.get("job_id"));
        assertEquals("read-only", job.sandbox(), "a review is read-only");
        JsonNode request = world.codexModel.requests().stream()
                .filter(q -> q.toString().contains("codex_output_schema"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("codex did not send the output schema"));
        assertTrue(request.toString().contains("\"score\""), request.toString());
    }

    @Test
    void claudeReviewReturnsTheVerdictOfItsStructuredOutputTool() {
        world.claudeModel.script("""
                {"name":"review","turns":[{"match":"Review the diff","steps":[
                  {"tool":"StructuredOutput","input":%s}],"final":"done"}]}
                """.formatted(VERDICT));
        Map<String, Object> out = ok(call(
                client("codex-mcp-client"),
                "claude_review",
                Map.of("diff", "--- a/app.py\n+++ b/app.py\n@@\n+print(eval(x))", "focus", "all")));
        Map<?, ?> verdict = (Map<?, ?>) out.get("verdict");
        assertEquals("one risky eval", verdict.get("summary"), out.toString());
        assertEquals("claude", out.get("engine"));
    }

    @Test
    void aVerdictThatFailsTheSchemaIsAskedForOnceMoreThenRefused() {
        world.codexModel.script("""
                {"name":"bad","turns":[{"match":"Review the code","final":"{\\"summary\\":\\"fine\\",\\"score\\":12}"}]}
                """);
        refusedWith(
                call(client("claude-code"), "codex_review", Map.of("code", "x = 1", "focus", "quality")),
                "verdict failed the review schema twice");
        assertEquals(2, world.jobs().list(10, List.of()).size(), "one retry, as a second job");
        List<JsonNode> asked = world.codexModel.requests();
        assertTrue(
                asked.stream().anyMatch(q -> q.toString().contains("did not follow the schema")),
                "the retry told the model what was wrong");
    }

    @Test
    void aReviewNeedsExactlyOneThingToReview() {
        McpSyncClient c = client("claude-code");
        refusedWith(call(c, "codex_review", Map.of("focus", "all")), "exactly one of code, diff or paths");
        refusedWith(call(c, "codex_review", Map.of("code", "a", "diff", "b", "focus", "all")), "exactly one");
        refusedWith(call(c, "codex_review", Map.of("code", "a", "focus", "style")), "focus");
    }

    @Test
    void suggestEngineFollowsTheRulesWithoutAskingAModel() {
        McpSyncClient c = client("claude-code");
        Map<String, Object> script = ok(call(
                c, "suggest_engine", Map.of("task", "generate a bash script that renames files", "complexity", "low")));
        assertEquals("codex", script.get("recommended"), script.toString());
        Map<String, Object> review = ok(call(
                c,
                "suggest_engine",
                Map.of("task", "explain the architecture", "task_type", "review", "context_size", 500_000)));
        assertEquals("claude", review.get("recommended"), review.toString());
        assertTrue(((Number) review.get("confidence")).doubleValue() > 0.5);
        assertEquals("codex", ((Map<?, ?>) ((List<?>) review.get("alternatives")).get(0)).get("engine"));
        assertEquals(List.of(), world.codexModel.requests());
        assertEquals(List.of(), world.claudeModel.requests());
    }

    @Test
    void suggestEngineWeighsAWindowTheUsageLedgerReadAsNearlyUsedUp() {
        Instant now = Instant.now();
        FileCursor cursor = new FileCursor("/logs/rollout.jsonl", "codex", "(1,2)", 10, 1L, 10, "h", "{}", now);
        RateLimit full =
                new RateLimit("codex", "primary", 97, 300, Optional.of(now.plusSeconds(3600)), now.minusSeconds(60));
        try (Store store = Store.open(StoreSettings.from(world.hub().config()))) {
            assertEquals(
                    List.of(),
                    store.usage()
                            .apply(List.of(
                                    new UsageBatch(Optional.empty(), cursor, List.of(), List.of(full), List.of()))));
            // another host's report (a fleet's other hub, or what an enrolled machine sent) steers nothing here
            RateLimit elsewhere = new RateLimit(
                    "claude", "primary", 99, 300, Optional.of(now.plusSeconds(3600)), now.minusSeconds(30));
            assertEquals(
                    List.of(),
                    store.usage("laptop")
                            .apply(List.of(new UsageBatch(
                                    Optional.empty(), cursor, List.of(), List.of(elsewhere), List.of()))));
        }
        Map<String, Object> s = ok(call(
                client("claude-code"),
                "suggest_engine",
                Map.of("task", "generate a bash script that renames files", "complexity", "low")));
        assertEquals("claude", s.get("recommended"), s.toString());
        assertTrue(s.get("reasoning").toString().contains("codex has used 97 % of its 5-hour window"), s.toString());
        assertFalse(s.get("reasoning").toString().contains("claude has used"), s.toString());
    }

    @Test
    void theToolsHintsTellExecFromReview() {
        McpSyncClient c = client("claude-code");
        Map<String, McpSchema.ToolAnnotations> hints = new java.util.HashMap<>();
        c.listTools().tools().forEach(t -> hints.put(t.name(), t.annotations()));
        assertEquals(false, hints.get("codex_exec").readOnlyHint());
        assertEquals(false, hints.get("claude_exec").readOnlyHint());
        assertEquals(true, hints.get("codex_review").readOnlyHint());
        assertEquals(true, hints.get("suggest_engine").readOnlyHint());
    }
}
