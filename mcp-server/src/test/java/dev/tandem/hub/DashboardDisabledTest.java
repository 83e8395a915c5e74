package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardDisabledTest {
    @TempDir
    Path dir;

    @Test
    void disabledDashboardServesNeitherThePageNorTheApiButMcpStillWorks() {
        try (TestHub hub = TestHub.start(dir, "[dashboard]\nenabled = false\n", null);
                DashboardHttp http = new DashboardHttp(hub)) {
            assertEquals(404, http.getWithToken("/dashboard").statusCode());
            assertEquals(404, http.getWithToken("/api/whoami").statusCode());
            assertEquals(
                    404,
                    http.send("POST", "/api/login-codes", java.util.Map.of("Authorization", "Bearer " + hub.token()))
                            .statusCode());
            MemoryToolsTest.ok(MemoryToolsTest.call(hub.client("claude-code"), "memory_list", java.util.Map.of()));
        }
    }
}
