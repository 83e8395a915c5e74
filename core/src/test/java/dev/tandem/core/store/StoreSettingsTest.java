package dev.tandem.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host a process records its rows under: {@code [memory] host}, else this machine's name, looked up once per
 * process however many of the hub's parts read the store's settings (the lookup is slow on some machines).
 */
class StoreSettingsTest {
    @TempDir
    Path home;

    private HubConfig load(String toml) throws Exception {
        Path file = home.resolve(".tandem/hub.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, toml);
        return new HubConfigLoader(home, home.resolve("work"), home.resolve("repo"), Map.of())
                .load(Optional.of(file), HubFlags.none());
    }

    /** Once per process is structural (a holder class the JVM initialises once); every reader gets that value. */
    @Test
    void theMachinesNameIsLookedUpOncePerProcess() throws Exception {
        String first = StoreSettings.from(load("")).host();
        String again = StoreSettings.from(load("[memory]\nmax_bytes = 65536\n")).host();
        assertSame(first, again);
        assertSame(first, StoreSettings.localHostName());
        assertSame(first, StoreSettings.host(load("")));
        assertFalse(first.isBlank());
    }

    @Test
    void aConfiguredHostIsUsedAsWritten() throws Exception {
        assertEquals(
                "laptop",
                StoreSettings.from(load("[memory]\nhost = \"laptop\"\n")).host());
    }
}
