package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import dev.tandem.hub.TestHub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tomlj.Toml;

class HttpLimitsTest {
    private static final Path FILE = Path.of("/home/me/.tandem/hub.toml");

    @TempDir
    Path dir;

    private static HttpLimits read(String toml) {
        return HttpLimits.from(Section.of(FILE, "hub", Toml.parse(toml).getTableOrEmpty("hub"), FILE.getParent()));
    }

    @Test
    void defaultsAreDocumented() {
        HttpLimits limits = read("");
        assertEquals(256, limits.maxConnections());
        assertEquals(Duration.ofSeconds(60), limits.idleConnectionTimeout());
        assertEquals(Duration.ofSeconds(30), limits.requestReadTimeout());
    }

    @Test
    void readsTheHubTable() {
        HttpLimits limits =
                read("[hub]\nmax_connections = 32\nidle_connection_seconds = 5\nrequest_read_seconds = 7\n");
        assertEquals(new HttpLimits(32, Duration.ofSeconds(5), Duration.ofSeconds(7)), limits);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "max_connections = 0",
                "max_connections = 70000",
                "max_connections = \"many\"",
                "idle_connection_seconds = -1",
                "request_read_seconds = 1.5",
                "request_read_seconds = 0"
            })
    void refusesAnOutOfRangeOrMistypedValueNamingFileAndLine(String line) {
        ConfigException e = assertThrows(ConfigException.class, () -> read("[hub]\nport = 1\n" + line + "\n"));
        String key = line.substring(0, line.indexOf(' '));
        assertTrue(e.getMessage().startsWith(FILE + ":3:1: [hub] " + key + " must be"), e.getMessage());
    }

    @Test
    void acceptedConnectionsHaveNaglesAlgorithmOff() {
        // Helidon writes a response 8 KiB at a time: with Nagle on, the last piece waits for a delayed ACK
        try (TestHub hub = TestHub.start(dir, List.of())) {
            assertTrue(hub.hub().server().noDelay());
        }
    }

    @Test
    void theConnectionCapNeverExceedsHalfTheFreeFileDescriptors() {
        var os = (com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
        int budget = HttpLimits.connectionBudget(Integer.MAX_VALUE);
        assertTrue(budget <= free / 2 && budget >= 1, budget + " of " + free + " free");
        assertEquals(10, HttpLimits.connectionBudget(10));
    }

    @Test
    void theBuildersOwnErrorsNameTheHubKey() {
        Duration second = Duration.ofSeconds(1);
        assertEquals(
                "[hub] max_connections must be at least 1, got 0",
                assertThrows(ConfigException.class, () -> new HttpLimits(0, second, second))
                        .getMessage());
        assertEquals(
                "[hub] idle_connection_seconds must be positive, got 0",
                assertThrows(ConfigException.class, () -> new HttpLimits(1, Duration.ZERO, second))
                        .getMessage());
        assertEquals(
                "[hub] request_read_seconds must be positive, got -1",
                assertThrows(ConfigException.class, () -> new HttpLimits(1, second, Duration.ofSeconds(-1)))
                        .getMessage());
    }
}
