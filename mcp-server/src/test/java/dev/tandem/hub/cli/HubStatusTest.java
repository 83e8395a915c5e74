package dev.tandem.hub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HubStatusTest {
    @Test
    void uptimeReadsInItsTwoLargestUnits() {
        assertEquals("45s", HubStatus.uptime(Duration.ofSeconds(45)));
        assertEquals("12m 03s", HubStatus.uptime(Duration.ofSeconds(12 * 60 + 3)));
        assertEquals("5h 07m", HubStatus.uptime(Duration.ofMinutes(5 * 60 + 7)));
        assertEquals("3d 04h", HubStatus.uptime(Duration.ofHours(3 * 24 + 4)));
        assertEquals("0s", HubStatus.uptime(Duration.ofSeconds(-5)));
    }
}
