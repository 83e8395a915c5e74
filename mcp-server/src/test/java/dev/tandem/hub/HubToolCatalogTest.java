package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.sync.runtime.HubTools;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync tool's catalog of the hub's tools (which decides what Claude Code and Codex may run without asking) is
 * what a running hub declares: a tool added, or a changed {@code readOnlyHint}, fails here until the catalog
 * follows.
 */
class HubToolCatalogTest {
    @TempDir
    Path dir;

    @Test
    void syncToolsCatalogEqualsTheReadOnlyHintsTheHubDeclares() {
        try (TestHub hub = TestHub.start(dir)) {
            Map<String, Boolean> declared = new TreeMap<>();
            for (McpSchema.Tool tool : hub.client("catalog").listTools().tools()) {
                McpSchema.ToolAnnotations a = tool.annotations();
                declared.put(tool.name(), a != null && Boolean.TRUE.equals(a.readOnlyHint()));
            }
            assertEquals(
                    HubTools.text(declared),
                    HubTools.text(HubTools.catalog()),
                    "sync-tool/src/main/resources/dev/tandem/sync/runtime/hub-tools.tsv must list the hub's tools");
        }
    }
}
