package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON Schema validator the hub makes on its first validated call instead of at start. */
class LazySchemaValidatorTest {
    private static final Map<String, Object> SCHEMA =
            Map.of("type", "object", "properties", Map.of("n", Map.of("type", "integer")), "required", List.of("n"));

    @TempDir
    Path dir;

    @Test
    void makesTheValidatorOnTheFirstValidationOnceAndAnswersAsItDoes() {
        AtomicInteger made = new AtomicInteger();
        LazySchemaValidator lazy = new LazySchemaValidator(() -> {
            made.incrementAndGet();
            return McpJsonDefaults.getSchemaValidator();
        });
        assertTrue(lazy.validateSchema(SCHEMA).valid());
        assertEquals(0, made.get(), "checking a tool's schema at build must not make the validator");
        assertFalse(lazy.made());

        assertTrue(lazy.validate(SCHEMA, Map.of("n", 1)).valid());
        JsonSchemaValidator.ValidationResponse bad = lazy.validate(SCHEMA, Map.of("n", "one"));
        assertFalse(bad.valid());
        assertEquals(
                McpJsonDefaults.getSchemaValidator()
                        .validate(SCHEMA, Map.of("n", "one"))
                        .errorMessage(),
                bad.errorMessage());
        assertEquals(1, made.get());
        assertTrue(lazy.made());
    }

    @Test
    void aValidatorThatCannotBeMadeFailsEveryValidationWithItsCause() {
        AtomicInteger tries = new AtomicInteger();
        IllegalStateException cause = new IllegalStateException("meta-schema missing");
        LazySchemaValidator lazy = new LazySchemaValidator(() -> {
            tries.incrementAndGet();
            throw cause;
        });
        assertSame(cause, assertThrows(IllegalStateException.class, () -> lazy.validate(SCHEMA, Map.of("n", 1))));
        assertSame(cause, assertThrows(IllegalStateException.class, () -> lazy.validate(SCHEMA, Map.of("n", 1))));
        assertEquals(2, tries.get(), "a failure is not remembered as a validator");
        assertFalse(lazy.made());
    }

    @Test
    void theHubsFirstCallStillRefusesAResultThatBreaksItsOutputSchema() {
        try (TestHub hub = TestHub.start(dir, List.of(new Answers()))) {
            McpSyncClient client = hub.client("claude-code");
            McpSchema.CallToolResult bad = client.callTool(McpSchema.CallToolRequest.builder("answer")
                    .arguments(Map.of())
                    .build());
            assertTrue(Boolean.TRUE.equals(bad.isError()), bad::toString);
            assertTrue(bad.toString().contains("n"), bad::toString);
        }
    }

    @Test
    void theHubsFirstCallPassesAResultThatConformsToItsOutputSchema() {
        try (TestHub hub = TestHub.start(dir, List.of(new Answers()))) {
            McpSyncClient client = hub.client("claude-code");
            McpSchema.CallToolResult ok = client.callTool(McpSchema.CallToolRequest.builder("answer")
                    .arguments(Map.of("good", true))
                    .build());
            assertFalse(Boolean.TRUE.equals(ok.isError()), ok::toString);
            assertEquals(Map.of("n", 1), ok.structuredContent());
        }
    }

    /** One tool that answers {@code {"n": 1}} when asked for a good answer and {@code {"n": "one"}} otherwise. */
    private static final class Answers implements Capability {
        @Override
        public String name() {
            return "answers";
        }

        @Override
        public List<McpServerFeatures.SyncToolSpecification> tools() {
            return List.of(ToolSpecs.declare(
                    "answer",
                    "Answer",
                    "Answers n",
                    "{\"type\":\"object\",\"properties\":{\"good\":{\"type\":\"boolean\"}}}",
                    "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}",
                    ToolSpecs.READ_ONLY,
                    (exchange, request) -> ToolResults.structured(
                            Boolean.TRUE.equals(request.arguments().get("good"))
                                    ? Map.of("n", 1)
                                    : Map.of("n", "one"))));
        }
    }
}
