package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code subscriptions/listen} of protocol 2026-07-28 against a real hub: the acknowledgement comes first with
 * the honoured filter, only requested list changes follow, each tagged with the subscription id, and a hub that
 * shuts down ends the stream with the listen request's result.
 */
class SubscriptionsListenTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static HttpResponse<Stream<String>> listen(TestHub hub, String filter) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"listen:0\",\"method\":\"subscriptions/listen\",\"params\":{"
                + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
                + "\"io.modelcontextprotocol/clientCapabilities\":{}},\"notifications\":" + filter + "}}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/mcp"))
                .header("Authorization", "Bearer " + hub.token())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", "subscriptions/listen")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofLines());
    }

    /** The next {@code data:} line of the stream, parsed. */
    private static JsonNode next(Iterator<String> lines) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                return JSON.readTree(line.substring(5).strip());
            }
        }
        throw new AssertionError("the stream ended");
    }

    @Test
    void acknowledgesTheHonouredFilterThenSendsOnlyRequestedListChangesTagged() throws Exception {
        try (TestHub hub = TestHub.start(dir)) {
            HttpResponse<Stream<String>> r = listen(
                    hub,
                    "{\"toolsListChanged\":true,\"promptsListChanged\":true,"
                            + "\"resourceSubscriptions\":[\"memory://x\"]}");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
            Iterator<String> lines = r.body().iterator();
            JsonNode ack = next(lines);
            assertEquals(
                    "notifications/subscriptions/acknowledged",
                    ack.path("method").asString());
            JsonNode params = ack.path("params");
            assertEquals(
                    "listen:0",
                    params.path("_meta")
                            .path("io.modelcontextprotocol/subscriptionId")
                            .asString());
            assertTrue(params.path("notifications").path("toolsListChanged").asBoolean(), ack.toString());
            assertTrue(params.path("notifications").path("promptsListChanged").asBoolean(), ack.toString());
            assertFalse(params.path("notifications").has("resourcesListChanged"), ack.toString());
            assertFalse(params.path("notifications").has("resourceSubscriptions"), ack.toString());

            hub.hub().mcp().server().notifyResourcesListChanged(); // not asked for
            hub.hub().mcp().server().notifyToolsListChanged();
            hub.hub().mcp().server().notifyPromptsListChanged();
            JsonNode first = next(lines);
            assertEquals(
                    "notifications/tools/list_changed", first.path("method").asString(), first.toString());
            assertEquals(
                    "listen:0",
                    first.path("params")
                            .path("_meta")
                            .path("io.modelcontextprotocol/subscriptionId")
                            .asString());
            JsonNode second = next(lines);
            assertEquals(
                    "notifications/prompts/list_changed", second.path("method").asString(), second.toString());
            r.body().close();
        }
    }

    @Test
    void endsTheStreamWithTheListenResultWhenTheHubShutsDown() throws Exception {
        TestHub hub = TestHub.start(dir);
        HttpResponse<Stream<String>> r;
        try {
            r = listen(hub, "{\"toolsListChanged\":true}");
            Iterator<String> lines = r.body().iterator();
            assertEquals(
                    "notifications/subscriptions/acknowledged",
                    next(lines).path("method").asString());
            hub.close();
            JsonNode last = next(lines);
            assertEquals("listen:0", last.path("id").asString(), last.toString());
            assertEquals("complete", last.path("result").path("resultType").asString());
            assertEquals(
                    "listen:0",
                    last.path("result")
                            .path("_meta")
                            .path("io.modelcontextprotocol/subscriptionId")
                            .asString());
        } finally {
            hub.close();
        }
    }
}
