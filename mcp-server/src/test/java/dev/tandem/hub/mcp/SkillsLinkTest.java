package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code skill://{slug}} resources and the skill prompts (served to every protocol revision) read {@code SKILL.md}
 * as the Skills extension does: a program that can write in the skills folder (a job's engine in a workspace-write
 * sandbox, anything the person runs) and plants {@code SKILL.md} as a link to the hub's token or to {@code
 * /proc/self/environ}, or the skill's folder as a link to another folder, gets nothing served to a token holder.
 */
class SkillsLinkTest {
    @TempDir
    Path dir;

    @Test
    void aSkillMdLinkedToTheHubTokenOrTheHubsEnvironmentIsNeitherAResourceNorAPrompt() throws Exception {
        try (TestHub hub = TestHub.start(dir)) {
            Path skills = hub.config().skillsDir();
            Path token = Files.createDirectories(skills.resolve("token"));
            Files.createSymbolicLink(token.resolve("SKILL.md"), hub.config().tokenFile());
            Path env = Files.createDirectories(skills.resolve("env"));
            Files.createSymbolicLink(env.resolve("SKILL.md"), Path.of("/proc/self/environ"));
            // a whole skill folder that is a link: its SKILL.md would be a regular file, read through the link
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            Files.writeString(elsewhere.resolve("SKILL.md"), "from elsewhere\n");
            Files.createSymbolicLink(skills.resolve("linked"), elsewhere);
            Files.createDirectories(skills.resolve("good"));
            Files.writeString(skills.resolve("good/SKILL.md"), "---\ndescription: fine\n---\nA real skill.\n");
            McpSyncClient client = hub.client("codex-agent");
            // the poller published what it found after the links were planted
            List<String> uris = publishedWith(client, "skill://good");
            assertFalse(uris.contains("skill://token"), uris.toString());
            assertFalse(uris.contains("skill://env"), uris.toString());
            assertFalse(uris.contains("skill://linked"), uris.toString());
            for (String slug : List.of("token", "env", "linked")) {
                McpError read = assertThrows(
                        McpError.class,
                        () -> client.readResource(McpSchema.ReadResourceRequest.builder("skill://" + slug)
                                .build()));
                assertFalse(read.getMessage().contains(hub.token()), read.getMessage());
                McpError prompt = assertThrows(
                        McpError.class,
                        () -> client.getPrompt(McpSchema.GetPromptRequest.builder(slug)
                                .arguments(Map.of())
                                .build()));
                assertFalse(prompt.getMessage().contains(hub.token()), prompt.getMessage());
                assertFalse(prompt.getMessage().contains("PATH="), prompt.getMessage());
            }
            var good = client.readResource(
                    McpSchema.ReadResourceRequest.builder("skill://good").build());
            assertTrue(((McpSchema.TextResourceContents) good.contents().get(0))
                    .text()
                    .contains("A real skill."));
            assertEquals(
                    "A real skill.\n",
                    ((McpSchema.TextContent) client.getPrompt(McpSchema.GetPromptRequest.builder("good")
                                                    .arguments(Map.of())
                                                    .build())
                                            .messages()
                                            .get(0)
                                            .content())
                                    .text()
                                    .lines()
                                    .filter(l -> l.contains("A real skill."))
                                    .findFirst()
                                    .orElse("")
                            + "\n");
        }
    }

    /** Waits for the skills poller (1 s) to publish {@code uri}; returns the resources then listed. */
    private static List<String> publishedWith(McpSyncClient client, String uri) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<String> listed = client.listResources().resources().stream()
                    .map(McpSchema.Resource::uri)
                    .toList();
            if (listed.contains(uri)) {
                return listed;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(uri + " was never published");
    }
}
