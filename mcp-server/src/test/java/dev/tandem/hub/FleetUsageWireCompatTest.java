package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tandem.core.json.Json;
import dev.tandem.core.usage.DamagedResponse;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.ToolUse;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The push body of {@code tandem fleet push-usage} between versions, both ways: a batch of a host that predates
 * {@code damaged} is read by this hub with none, and a batch with {@code damaged} is read by a hub that predates it
 * (its record had five components) with the rest intact. Both rest on the shared mapper's defaults (Jackson 3 ignores
 * unknown properties and passes null for a missing one): these tests pin them.
 */
class FleetUsageWireCompatTest {
    private static final JsonMapper JSON = Json.mapper();
    private static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");
    private static final FileCursor TO =
            new FileCursor("/home/me/.claude/projects/-p/s.jsonl", "claude", "(1,2)", 10, 1, 10, "h", "{}", NOW);
    private static final UsageEvent EVENT = new UsageEvent(
            7L, "claude", NOW.minusSeconds(60), "s", "/p", "claude-opus-4-5", 0, new Tokens(1, 2, 3, 0, 4, 0));

    /** The batch of the version before damaged responses were pushed. */
    record OlderBatch(
            Optional<FileCursor> from,
            FileCursor to,
            List<UsageEvent> events,
            List<RateLimit> limits,
            List<ToolUse> toolUses) {}

    record OlderBatches(List<OlderBatch> batches) {}

    @Test
    void aBatchOfAnOlderHostWithoutDamagedIsReadWithNone() {
        ObjectNode batch = JSON.valueToTree(new UsageBatch(Optional.empty(), TO, List.of(EVENT), List.of(), List.of()));
        assertFalse(batch.has("responses"), "a count of the batch's rows is no field of the body: " + batch);
        batch.remove("damaged");
        String body = "{\"batches\":[" + batch + "]}";
        FleetUsageEndpoint.Batches read = JSON.readValue(body, FleetUsageEndpoint.Batches.class);
        assertEquals(List.of(), read.batches().get(0).damaged());
        assertEquals(List.of(EVENT), read.batches().get(0).events());
    }

    @Test
    void anOlderHubReadsABatchWithDamagedAndKeepsTheRest() {
        UsageBatch newer = new UsageBatch(
                Optional.empty(),
                TO,
                List.of(EVENT),
                List.of(),
                List.of(),
                List.of(new DamagedResponse(8L, "claude", NOW.minusSeconds(30))));
        String body = "{\"batches\":[" + JSON.writeValueAsString(newer) + "]}";
        OlderBatches read = JSON.readValue(body, OlderBatches.class);
        assertEquals(
                new OlderBatch(Optional.empty(), TO, List.of(EVENT), List.of(), List.of()),
                read.batches().get(0));
    }
}
