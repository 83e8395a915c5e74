package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.usage.Blocks;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.Prices;
import dev.tandem.hub.usage.UsageSettings;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code usage_report} when its store fails: the model learns that it failed, not where the store is. */
class UsageReportToolTest {
    @TempDir
    Path dir;

    @Test
    void aStoreThatCannotBeReadIsReportedWithoutItsPath() {
        Path secret = dir.resolve("alice-private-data");
        Store store = Store.open(new StoreSettings(secret.resolve(StoreSettings.FILE_NAME), "box"));
        UsageSettings settings = new UsageSettings(
                false, Duration.ofSeconds(60), List.of(), List.of(), ZoneOffset.UTC, List.of(), Prices.shipped());
        Clock clock = Clock.systemUTC();
        Ledger ledger = new Ledger(store.usage(), settings, clock);
        UsageReportTool tool = new UsageReportTool(ledger, new Blocks(ledger, store.usage(), clock), clock);
        store.close(); // the ledger's connections are gone: every read fails
        McpSchema.CallToolResult result = tool.specification()
                .callHandler()
                .apply(
                        null,
                        McpSchema.CallToolRequest.builder("usage_report")
                                .arguments(Map.of())
                                .build());
        String text = ((McpSchema.TextContent) result.content().get(0)).text();
        assertTrue(result.isError(), text);
        assertTrue(text.contains("usage ledger cannot be read"), text);
        for (String leak : List.of(secret.toString(), "alice", dir.toString(), StoreSettings.FILE_NAME)) {
            assertFalse(text.contains(leak), "usage_report told the model " + leak + ": " + text);
        }
    }
}
