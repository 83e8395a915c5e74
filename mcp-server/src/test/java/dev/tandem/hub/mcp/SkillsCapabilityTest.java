package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import dev.tandem.hub.skills.SkillLibrary;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillsCapabilityTest {
    @TempDir
    Path dir;

    private Path skill(String slug, String text) throws Exception {
        Path file = Files.createDirectories(dir.resolve("skills").resolve(slug)).resolve("SKILL.md");
        Files.writeString(file, text);
        return file;
    }

    private TestHub hub() {
        var cap = new SkillsCapability(new SkillLibrary(dir.resolve("skills")), Duration.ofMillis(50));
        return TestHub.start(dir.resolve("hub"), List.of(cap));
    }

    @Test
    void listsSkillsAsResourcesWithTheirDescriptions() throws Exception {
        skill("review", "---\nname: Code review\ndescription: Review the staged diff.\n---\nLook at the diff.\n");
        try (TestHub hub = hub()) {
            List<McpSchema.Resource> resources =
                    hub.client("claude-code").listResources().resources();
            McpSchema.Resource r = resources.stream()
                    .filter(x -> x.uri().equals("skill://review"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("Review the staged diff.", r.description());
            assertEquals("Code review", r.title());
        }
    }

    @Test
    void readReturnsTheBodyAndItsSha256InMeta() throws Exception {
        Path file = skill("review", "---\nname: review\ndescription: d\n---\nLook at the diff.\n");
        try (TestHub hub = hub()) {
            var result = hub.client("claude-code")
                    .readResource(McpSchema.ReadResourceRequest.builder("skill://review")
                            .build());
            var contents = (McpSchema.TextResourceContents) result.contents().get(0);
            assertEquals("Look at the diff.\n", contents.text());
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
            assertEquals(sha, contents.meta().get("sha256"));
        }
    }

    @Test
    void promptGetSubstitutesArguments() throws Exception {
        skill("fix-issue", """
                ---
                name: fix-issue
                description: Fix an issue.
                arguments: [issue, area]
                ---
                Fix issue {{issue}} in {{area}}.
                """);
        try (TestHub hub = hub()) {
            McpSyncClient client = hub.client("claude-code");
            McpSchema.Prompt prompt = client.listPrompts().prompts().stream()
                    .filter(p -> p.name().equals("fix-issue"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    List.of("issue", "area"),
                    prompt.arguments().stream()
                            .map(McpSchema.PromptArgument::name)
                            .toList());
            var result = client.getPrompt(McpSchema.GetPromptRequest.builder("fix-issue")
                    .arguments(Map.of("issue", "#42", "area", "the parser"))
                    .build());
            var text = (McpSchema.TextContent) result.messages().get(0).content();
            assertEquals("Fix issue #42 in the parser.\n", text.text());
        }
    }

    @Test
    void dollarArgumentsBecomesOneArgument() throws Exception {
        skill("explain", "---\ndescription: Explain.\n---\nExplain $ARGUMENTS simply.\n");
        try (TestHub hub = hub()) {
            var result = hub.client("claude-code")
                    .getPrompt(McpSchema.GetPromptRequest.builder("explain")
                            .arguments(Map.of("args", "monads"))
                            .build());
            assertEquals(
                    "Explain monads simply.\n",
                    ((McpSchema.TextContent) result.messages().get(0).content()).text());
        }
    }

    @Test
    void aSkillAddedOnDiskAppearsWithoutRestartAndIsAnnounced() throws Exception {
        skill("first", "---\ndescription: one\n---\nbody\n");
        try (TestHub hub = hub()) {
            CountDownLatch announced = new CountDownLatch(1);
            McpSyncClient client =
                    hub.client("claude-code", spec -> spec.promptsChangeConsumer(p -> announced.countDown()));
            assertFalse(names(client).contains("second"));
            skill("second", "---\ndescription: two\n---\nbody\n");
            waitFor(() -> names(client).contains("second") && uris(client).contains("skill://second"));
            assertTrue(announced.await(10, TimeUnit.SECONDS), "prompts list_changed was sent");
        }
    }

    @Test
    void aSkillRemovedOnDiskDisappears() throws Exception {
        Path file = skill("gone", "---\ndescription: soon gone\n---\nbody\n");
        try (TestHub hub = hub()) {
            McpSyncClient client = hub.client("claude-code");
            assertTrue(uris(client).contains("skill://gone"));
            Files.delete(file);
            waitFor(() ->
                    !uris(client).contains("skill://gone") && !names(client).contains("gone"));
        }
    }

    @Test
    void anEditedBodyShowsAtTheNextRead() throws Exception {
        Path file = skill("edit", "---\ndescription: d\n---\nold\n");
        try (TestHub hub = hub()) {
            McpSyncClient client = hub.client("claude-code");
            Files.writeString(file, "---\ndescription: d\n---\nnew\n");
            var result = client.readResource(
                    McpSchema.ReadResourceRequest.builder("skill://edit").build());
            assertEquals(
                    "new\n", ((McpSchema.TextResourceContents) result.contents().get(0)).text());
        }
    }

    private static List<String> names(McpSyncClient client) {
        return client.listPrompts().prompts().stream()
                .map(McpSchema.Prompt::name)
                .toList();
    }

    private static List<String> uris(McpSyncClient client) {
        return client.listResources().resources().stream()
                .map(McpSchema.Resource::uri)
                .toList();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
