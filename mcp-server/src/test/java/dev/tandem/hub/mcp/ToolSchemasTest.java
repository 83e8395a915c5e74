package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tool's input and output schema is a valid JSON Schema: the check the MCP SDK makes when the server is built,
 * which the hub skips at start ({@link LazySchemaValidator}), made here on a hub with every capability on.
 */
class ToolSchemasTest {
    @TempDir
    Path dir;

    @Test
    void everyToolsSchemasConformToTheMetaSchema() {
        String toml = """
                [tasks.build]
                argv = ["true"]
                """;
        JsonSchemaValidator meta = McpJsonDefaults.getSchemaValidator();
        try (TestHub hub = TestHub.start(dir, toml, null)) {
            List<McpSchema.Tool> tools = hub.client("claude-code").listTools().tools();
            assertTrue(tools.size() > 30, () -> "only " + tools.size() + " tools listed");
            for (McpSchema.Tool tool : tools) {
                assertDoesNotThrow(() -> meta.assertConforms(tool.name() + " input", tool.inputSchema()));
                assertDoesNotThrow(() -> meta.assertConforms(tool.name() + " output", tool.outputSchema()));
            }
        }
    }

    @Test
    void theCheckRefusesASchemaThatIsNotOne() {
        JsonSchemaValidator meta = McpJsonDefaults.getSchemaValidator();
        Map<String, Object> broken = Map.of("type", 5);
        assertThrows(IllegalArgumentException.class, () -> meta.assertConforms("broken", broken));
    }
}
