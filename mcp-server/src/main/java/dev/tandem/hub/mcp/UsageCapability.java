package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.usage.Blocks;
import dev.tandem.hub.usage.Ledger;
import dev.tandem.hub.usage.UsagePoller;
import dev.tandem.hub.usage.UsageScanner;
import dev.tandem.hub.usage.UsageSettings;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Usage: {@code usage_report}, and the poller that reads the engines' logs into the store in the background
 * ({@code [usage] enabled}, {@code poll_seconds}).
 */
public final class UsageCapability implements Capability {
    /** The file beside the store whose lock keeps the poller and {@code tandem usage} from reading at once. */
    public static final String LOCK_FILE = "usage-scan.lock";
    /** The private folder beside the store where the poller's log watcher writes its marker files. */
    public static final String WATCH_DIR = "usage-watch";

    private final Store store;
    private final Optional<UsagePoller> poller;
    private final List<McpServerFeatures.SyncToolSpecification> tools;

    private UsageCapability(Store store, Optional<UsagePoller> poller, Ledger ledger, Clock clock) {
        this.store = store;
        this.poller = poller;
        this.tools =
                List.of(new UsageReportTool(ledger, new Blocks(ledger, store.usage(), clock), clock).specification());
    }

    /**
     * Opens the store the configuration names and, unless {@code [usage] enabled = false}, makes the poller, which
     * starts reading once the hub listens ({@link #listening}).
     */
    public static UsageCapability create(HubConfig config) {
        UsageSettings settings = UsageSettings.from(config);
        Clock clock = Clock.systemUTC();
        Store store = Store.open(StoreSettings.from(config));
        Optional<UsagePoller> poller = settings.poll()
                ? Optional.of(UsagePoller.create(
                        new UsageScanner(
                                store.usage(), settings, config.dataDir().resolve(LOCK_FILE), clock),
                        settings.pollInterval(),
                        config.dataDir().resolve(WATCH_DIR)))
                : Optional.empty();
        return new UsageCapability(store, poller, new Ledger(store.usage(), settings, clock), clock);
    }

    /** Returns the store the ledger reads. */
    public Store store() {
        return store;
    }

    /** Returns the poller, absent with {@code [usage] enabled = false}. */
    public Optional<UsagePoller> poller() {
        return poller;
    }

    @Override
    public String name() {
        return "usage";
    }

    @Override
    public List<McpServerFeatures.SyncToolSpecification> tools() {
        return tools;
    }

    @Override
    public void listening() {
        poller.ifPresent(UsagePoller::start);
    }

    @Override
    public void close() {
        poller.ifPresent(UsagePoller::close);
        store.close();
    }
}
