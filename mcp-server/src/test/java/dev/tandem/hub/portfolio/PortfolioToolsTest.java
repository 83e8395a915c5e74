package dev.tandem.hub.portfolio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The portfolio tools, resources and completion through a real hub. */
class PortfolioToolsTest {
    @TempDir
    Path dir;

    TestHub hub;
    McpSyncClient client;
    Path portfolio;
    final LinkedBlockingQueue<List<McpSchema.Resource>> changes = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws IOException {
        portfolio = Files.createDirectories(dir.resolve("portfolio"));
        Files.writeString(portfolio.resolve("stack.md"), "# Stack\n\nJava 21, Helidon.\n");
        Files.writeString(portfolio.resolve("identity.md"), "Intro line\n## Who I am\n");
        Files.createDirectories(portfolio.resolve("projects"));
        Files.writeString(portfolio.resolve("projects/alpha.md"), "# Project Alpha\n");
        Files.writeString(portfolio.resolve(".draft.md"), "# hidden\n");
        Files.writeString(dir.resolve("outside.md"), "# outside\n");
        Files.createSymbolicLink(portfolio.resolve("leak.md"), dir.resolve("outside.md"));
        hub = TestHub.start(dir, "[portfolio]\npoll_millis = 20\n", null);
        client = hub.client("claude-code", spec -> spec.resourcesChangeConsumer(changes::add));
    }

    /**
     * Waits until the client's notification stream is open: the client opens it after {@code initialize}, and a
     * change the hub sees before that is told to nobody. A probe document is written until its notification comes,
     * then removed, and the queue emptied once the removal is seen.
     */
    private void notificationsFlow() throws Exception {
        Path probe = portfolio.resolve("zz-probe.md");
        for (int i = 0; i < 60; i++) {
            Files.writeString(probe, "# Probe " + i + "\n");
            if (changes.poll(500, TimeUnit.MILLISECONDS) != null) {
                Files.delete(probe);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline) {
                    List<McpSchema.Resource> now = changes.poll(1, TimeUnit.SECONDS);
                    if (now != null && now.stream().noneMatch(r -> r.uri().equals("portfolio://zz-probe"))) {
                        changes.clear();
                        return;
                    }
                }
                throw new AssertionError("the probe's removal was never notified");
            }
        }
        throw new AssertionError("no notifications/resources/list_changed reached the client in 30 s");
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void listReportsEachDocumentWithTitleSizeAndHash() {
        List<Map<String, Object>> docs = documents(ok("portfolio_list", Map.of()));
        assertEquals(
                List.of("identity", "projects/alpha", "stack"),
                docs.stream().map(d -> d.get("name")).toList());
        Map<String, Object> stack = docs.get(2);
        assertEquals("stack.md", stack.get("fileName"));
        assertEquals("portfolio://stack", stack.get("uri"));
        assertEquals("Stack", stack.get("title"));
        assertEquals(27, ((Number) stack.get("size")).intValue());
        assertEquals(64, stack.get("sha256").toString().length());
        assertEquals("Who I am", docs.get(0).get("title"));
    }

    @Test
    void readAcceptsNameFileNameAndUri() {
        for (String ref : List.of("stack", "stack.md", "portfolio://stack")) {
            assertEquals(
                    "# Stack\n\nJava 21, Helidon.\n",
                    ok("portfolio_read", Map.of("name", ref)).get("text"),
                    ref);
        }
        for (String ref : List.of("projects/alpha", "projects/alpha.md", "portfolio://projects/alpha")) {
            assertEquals(
                    "Project Alpha", ok("portfolio_read", Map.of("name", ref)).get("title"), ref);
        }
    }

    @Test
    void readShowsAnEditAtOnce() throws IOException {
        ok("portfolio_read", Map.of("name", "stack"));
        Files.writeString(portfolio.resolve("stack.md"), "# Stack\n\nJava 25 now.\n");
        assertEquals(
                "# Stack\n\nJava 25 now.\n",
                ok("portfolio_read", Map.of("name", "stack")).get("text"));
    }

    @Test
    void readOfUnknownNameIsAnErrorListingTheKnownOnes() {
        McpSchema.CallToolResult r = call("portfolio_read", Map.of("name", "nope"));
        assertTrue(r.isError());
        assertEquals(
                "no portfolio document nope; known: identity, projects/alpha, stack",
                ((McpSchema.TextContent) r.content().get(0)).text());
    }

    @Test
    void symlinksHiddenFilesAndDotDotAreNotDocuments() {
        for (String ref : List.of("leak", ".draft", "../outside", "projects/../../outside")) {
            assertTrue(call("portfolio_read", Map.of("name", ref)).isError(), ref);
        }
    }

    @Test
    void everyDocumentIsAResourceReadableByItsUri() {
        List<String> uris = client.listResources().resources().stream()
                .map(McpSchema.Resource::uri)
                .sorted()
                .toList();
        assertEquals(List.of("portfolio://identity", "portfolio://projects/alpha", "portfolio://stack"), uris);
        McpSchema.ReadResourceResult r =
                client.readResource(McpSchema.ReadResourceRequest.builder("portfolio://projects/alpha")
                        .build());
        assertEquals(
                "# Project Alpha\n",
                ((McpSchema.TextResourceContents) r.contents().get(0)).text());
    }

    @Test
    void templateIsListedAndUnknownUriIsResourceNotFound() {
        assertEquals(
                List.of("portfolio://{name}"),
                client.listResourceTemplates().resourceTemplates().stream()
                        .map(McpSchema.ResourceTemplate::uriTemplate)
                        .filter(t -> t.startsWith("portfolio:"))
                        .toList());
        McpError e = assertThrows(
                McpError.class,
                () -> client.readResource(McpSchema.ReadResourceRequest.builder("portfolio://nope")
                        .build()));
        assertEquals(
                McpSchema.ErrorCodes.RESOURCE_NOT_FOUND, e.getJsonRpcError().code());
    }

    @Test
    void completionOffersNamesStartingWithTheTypedPrefix() {
        McpSchema.CompleteResult r = client.completeCompletion(McpSchema.CompleteRequest.builder(
                        new McpSchema.ResourceReference("portfolio://{name}"),
                        new McpSchema.CompleteRequest.CompleteArgument("name", "pro"))
                .build());
        assertEquals(List.of("projects/alpha"), r.completion().values());
        assertEquals(1, r.completion().total());
    }

    @Test
    void addingADocumentSendsListChangedAndRegistersIt() throws Exception {
        notificationsFlow();
        Files.writeString(portfolio.resolve("conventions.md"), "# Conventions\n");
        List<McpSchema.Resource> now = changes.poll(30, TimeUnit.SECONDS);
        assertTrue(now != null, "no notifications/resources/list_changed");
        assertTrue(now.stream().anyMatch(r -> r.uri().equals("portfolio://conventions")), now::toString);
        McpSchema.ReadResourceResult r = client.readResource(
                McpSchema.ReadResourceRequest.builder("portfolio://conventions").build());
        assertEquals(
                "# Conventions\n",
                ((McpSchema.TextResourceContents) r.contents().get(0)).text());
    }

    @Test
    void removingADocumentSendsListChangedAndDropsIt() throws Exception {
        notificationsFlow();
        Files.delete(portfolio.resolve("projects/alpha.md"));
        List<McpSchema.Resource> now = changes.poll(30, TimeUnit.SECONDS);
        assertTrue(now != null, "no notifications/resources/list_changed");
        assertFalse(now.stream().anyMatch(r -> r.uri().equals("portfolio://projects/alpha")), now::toString);
    }

    @Test
    void changingADocumentsTitleSendsListChangedWithTheNewTitle() throws Exception {
        notificationsFlow();
        Files.writeString(portfolio.resolve("stack.md"), "# Stack, 2027 edition\n\nJava 25, Helidon 5.\n");
        // removal and re-registration may come as two notifications: wait for a list with the new title
        List<McpSchema.Resource> now = changes.poll(30, TimeUnit.SECONDS);
        while (now != null && !titles(now, "portfolio://stack").equals(List.of("Stack, 2027 edition"))) {
            now = changes.poll(30, TimeUnit.SECONDS);
        }
        assertTrue(now != null, "no notifications/resources/list_changed with the new title");
        assertEquals(
                1, now.stream().filter(r -> r.uri().equals("portfolio://stack")).count(), now::toString);
    }

    private static List<String> titles(List<McpSchema.Resource> resources, String uri) {
        return resources.stream()
                .filter(r -> r.uri().equals(uri))
                .map(McpSchema.Resource::title)
                .toList();
    }

    @Test
    void toolsAreDeclaredReadOnly() {
        client.listTools().tools().stream()
                .filter(t -> t.name().startsWith("portfolio_"))
                .forEach(t -> {
                    assertTrue(t.annotations().readOnlyHint(), t.name());
                    assertTrue(t.outputSchema().containsKey("properties"), t.name());
                });
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    private Map<String, Object> ok(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = call(tool, args);
        assertFalse(r.isError(), () -> tool + " failed: " + r.content());
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) r.structuredContent();
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(Map<String, Object> out) {
        return (List<Map<String, Object>>) out.get("documents");
    }
}
