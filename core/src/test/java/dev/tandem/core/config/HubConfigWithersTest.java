package dev.tandem.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigWithersTest {
    @TempDir
    Path home;

    private HubConfig loaded() {
        HubFlags flags = new HubFlags(null, 9003, null, null, null, null, List.of(home.resolve("a")), null, null, null);
        return new HubConfigLoader(home, home.resolve("work"), home.resolve("repo"), Map.of())
                .load(Optional.empty(), flags);
    }

    @Test
    void withMaxBodyBytesChangesOnlyTheBodyLimit() {
        HubConfig c = loaded();
        HubConfig changed = c.withMaxBodyBytes(1234);
        assertEquals(1234, changed.maxBodyBytes());
        assertEquals(c, changed.withMaxBodyBytes(c.maxBodyBytes()));
    }

    @Test
    void withRootsChangesOnlyTheRootsAndCopiesThem() {
        HubConfig c = loaded();
        List<Path> others = new ArrayList<>(List.of(home.resolve("b")));
        HubConfig changed = c.withRoots(others);
        others.add(home.resolve("c"));
        assertEquals(List.of(home.resolve("b")), changed.roots(), "a later change to the caller's list is not seen");
        assertEquals(c, changed.withRoots(c.roots()));
    }

    @Test
    void withSessionIdleTimeoutChangesOnlyTheIdleLifetime() {
        HubConfig c = loaded();
        HubConfig changed = c.withSessionIdleTimeout(Duration.ofMillis(300));
        assertEquals(Duration.ofMillis(300), changed.sessionIdleTimeout());
        assertEquals(c, changed.withSessionIdleTimeout(c.sessionIdleTimeout()));
    }

    @Test
    void withersKeepTheConstructorsChecks() {
        HubConfig c = loaded();
        assertThrows(ConfigException.class, () -> c.withMaxBodyBytes(0));
        assertThrows(ConfigException.class, () -> c.withSessionIdleTimeout(Duration.ZERO));
    }
}
