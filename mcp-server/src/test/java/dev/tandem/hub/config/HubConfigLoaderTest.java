package dev.tandem.hub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigLoaderTest {
    @TempDir
    Path home;

    private HubConfigLoader loader(Map<String, String> env) {
        return new HubConfigLoader(home, home.resolve("work"), home.resolve("repo"), env);
    }

    private void hubToml(String text) throws Exception {
        Files.createDirectories(home.resolve(".tandem"));
        Files.writeString(home.resolve(".tandem/hub.toml"), text);
    }

    @Test
    void defaultsWithoutAnyConfiguration() {
        HubConfig c = loader(Map.of()).load(Optional.empty(), HubFlags.none());
        assertEquals("127.0.0.1", c.host());
        assertEquals(HubConfigLoader.DEFAULT_PORT, c.port());
        assertEquals(home.resolve(".tandem/token"), c.tokenFile());
        assertEquals(home.resolve(".tandem/data"), c.dataDir());
        assertEquals(home.resolve("repo/context-portfolio"), c.portfolioDir());
        assertEquals(List.of(home.resolve("work")), c.roots());
        assertEquals(4L * 1024 * 1024, c.maxBodyBytes());
    }

    @Test
    void fileThenEnvironmentThenFlagsWin() throws Exception {
        hubToml("[hub]\nport = 9001\nmax_body_bytes = 1000\nsession_idle_seconds = 60\n[fs]\nroots = [\"~/code\"]\n");
        HubConfig fromFile = loader(Map.of()).load(Optional.empty(), HubFlags.none());
        assertEquals(9001, fromFile.port());
        assertEquals(1000, fromFile.maxBodyBytes());
        assertEquals(Duration.ofSeconds(60), fromFile.sessionIdleTimeout());
        assertEquals(List.of(home.resolve("code")), fromFile.roots());

        HubConfig fromEnv = loader(Map.of("TANDEM_PORT", "9002")).load(Optional.empty(), HubFlags.none());
        assertEquals(9002, fromEnv.port());
        assertEquals(1000, fromEnv.maxBodyBytes());

        HubFlags flags = new HubFlags(null, 9003, null, null, null, null, List.of(), null, null, null);
        HubConfig fromFlags = loader(Map.of("TANDEM_PORT", "9002")).load(Optional.empty(), flags);
        assertEquals(9003, fromFlags.port());
    }

    @Test
    void malformedTomlNamesFileLineAndColumn() throws Exception {
        hubToml("[hub]\nport = 80\nhost = \n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.empty(), HubFlags.none()));
        assertTrue(e.getMessage().startsWith(home.resolve(".tandem/hub.toml") + ":3:"), e.getMessage());
    }

    @Test
    void wrongTypeNamesTheKeyAndItsLine() throws Exception {
        hubToml("[hub]\n\nport = \"eighty\"\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.empty(), HubFlags.none()));
        assertTrue(e.getMessage().contains("hub.toml:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("port must be a whole number"), e.getMessage());
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader(Map.of("TANDEM_PORT", "eighty")).load(Optional.empty(), HubFlags.none()));
        assertTrue(e.getMessage().startsWith("TANDEM_PORT:"), e.getMessage());
    }

    @Test
    void explicitConfigFileMustExist() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader(Map.of()).load(Optional.of(home.resolve("nope.toml")), HubFlags.none()));
        assertTrue(e.getMessage().contains("nope.toml: no such configuration file"), e.getMessage());
    }
}
