package dev.tandem.hub.jobs;

import static dev.tandem.hub.jobs.McpCalls.call;
import static dev.tandem.hub.jobs.McpCalls.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.mcp.UsageCapability;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.usage.Prices;
import dev.tandem.hub.usage.UsageScanner;
import dev.tandem.hub.usage.UsageSettings;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a job cost by the usage ledger: the real pinned engines run jobs against the mock models, write their own
 * logs, the ledger reads those logs, and {@code /api/jobs} (what {@code tandem jobs status} and the dashboard show)
 * joins each job's session with them.
 */
class JobLedgerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private JobWorld world;

    @BeforeEach
    void startWorld() {
        world = JobWorld.start(dir, "");
    }

    @AfterEach
    void stopWorld() {
        if (world != null) { // null when the pinned CLIs are missing and the test was skipped
            world.close();
        }
    }

    private JobRecord runOneShot(Engine engine, String prompt) {
        JobRecord started = world.startReadOnly(engine, prompt);
        JobRecord done = world.awaitStatus(started.id(), JobStatus.COMPLETED, JobStatus.FAILED);
        assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
        assertTrue(done.sessionId().isPresent(), done.toString());
        return done;
    }

    /** Reads the engines' logs into the hub's store as {@code tandem usage} beside the hub does. */
    private UsageScanner.Result readLogs() {
        Path data = world.hub().config().dataDir();
        UsageSettings settings = new UsageSettings(
                true,
                Duration.ofSeconds(60),
                List.of(world.codexHome),
                List.of(dir.resolve("engine-home/.claude")),
                ZoneOffset.UTC,
                List.of(),
                Prices.shipped());
        try (Store store = Store.open(StoreSettings.from(world.hub().config()))) {
            return new UsageScanner(store.usage(), settings, data.resolve(UsageCapability.LOCK_FILE), Clock.systemUTC())
                    .scan(Duration.ofSeconds(30));
        }
    }

    private JsonNode job(String id) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(world.hub().baseUrl() + "/api/jobs/" + id))
                .header("Authorization", "Bearer " + world.hub().token())
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode(), res.body());
            return JSON.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachJobCostsWhatItsOwnSessionUsedByTheLedger() {
        world.claudeModel.script("""
                {"name":"ledger","usage":{"input_tokens":300,"output_tokens":20,"cache_read_input_tokens":100},
                 "turns":[{"match":"first","final":"one"},{"match":"second","final":"two"}]}
                """);
        JobRecord first = runOneShot(Engine.CLAUDE, "first job");
        JobRecord second = runOneShot(Engine.CLAUDE, "second job");
        world.codexModel.script("""
                {"name":"ledger","turns":[{"match":"third","final":"three"}]}
                """);
        JobRecord third = runOneShot(Engine.CODEX, "third job");

        // before the ledger has read the logs, a job has no ledger cost (null), never a made-up zero
        assertTrue(job(first.id()).path("ledger").isNull(), job(first.id()).toString());

        assertTrue(readLogs().responses() > 0);
        JsonNode a = job(first.id()).path("ledger");
        JsonNode b = job(second.id()).path("ledger");
        JsonNode c = job(third.id()).path("ledger");
        // one model response each, as the mock answered: its session's tokens and nobody else's
        assertEquals(1, a.path("responses").asLong(), a.toString());
        assertEquals(300, a.path("inputTokens").asLong(), a.toString());
        assertEquals(100, a.path("cacheReadTokens").asLong(), a.toString());
        assertEquals(20, a.path("outputTokens").asLong(), a.toString());
        assertEquals(a, b);
        assertTrue(
                a.path("costUSD").asDouble() > 0 || a.path("unpricedResponses").asLong() == 1, a.toString());
        assertEquals(1, c.path("responses").asLong(), c.toString());
        assertTrue(c.path("totalTokens").asLong() > 0, c.toString());
    }

    @Test
    void theJobToolsCarryTheSameLedgerCostAsTheJobsApi() {
        world.claudeModel.script("""
                {"name":"ledger","usage":{"input_tokens":300,"output_tokens":20,"cache_read_input_tokens":100},
                 "turns":[{"match":"priced","final":"done"}]}
                """);
        JobRecord job = runOneShot(Engine.CLAUDE, "priced job");
        McpSyncClient agent = world.hub().client("codex-mcp-client");

        // not read yet: null in the tools too, never a made-up zero
        Map<String, Object> before = ok(call(agent, "job_status", Map.of("id", job.id())));
        assertTrue(before.containsKey("ledger"), before.toString());
        assertNull(before.get("ledger"), before.toString());

        assertTrue(readLogs().responses() > 0);
        JsonNode api = job(job.id()).path("ledger");
        assertEquals(1, api.path("responses").asLong(), api.toString());
        JsonNode status = JSON.valueToTree(
                ok(call(agent, "job_status", Map.of("id", job.id()))).get("ledger"));
        assertEquals(api, status);
        assertEquals(300, status.path("inputTokens").asLong(), status.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>)
                ok(call(agent, "job_list", Map.of())).get("jobs");
        Map<String, Object> mine = listed.stream()
                .filter(j -> job.id().equals(j.get("id")))
                .findFirst()
                .orElseThrow();
        assertEquals(api, JSON.valueToTree(mine.get("ledger")));
    }
}
