package dev.tandem.core.config;

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
        assertEquals(home.resolve(".tandem/source/portfolio"), c.portfolioDir(), "never the example persona");
        assertEquals(List.of(), c.roots(), "never the folder the command runs in");
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
        assertTrue(e.getMessage().contains("[hub] port must be a whole number"), e.getMessage());
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader(Map.of("TANDEM_PORT", "eighty")).load(Optional.empty(), HubFlags.none()));
        assertTrue(e.getMessage().startsWith("TANDEM_PORT:"), e.getMessage());
    }

    @Test
    void relativePathsInTheFileAreRelativeToTheFilesFolder() throws Exception {
        Path folder = Files.createDirectories(home.resolve("conf"));
        Files.writeString(folder.resolve("hub.toml"), """
                [hub]
                token_file = "secrets/token"
                data_dir = "../state"
                portfolio = "docs"
                [fs]
                roots = ["code", "~/notes"]
                [skills]
                dir = "skills"
                """);
        HubConfig c = loader(Map.of()).load(Optional.of(folder.resolve("hub.toml")), HubFlags.none());
        assertEquals(folder.resolve("secrets/token"), c.tokenFile());
        assertEquals(home.resolve("state"), c.dataDir());
        assertEquals(folder.resolve("docs"), c.portfolioDir());
        assertEquals(List.of(folder.resolve("code"), home.resolve("notes")), c.roots());
        assertEquals(folder.resolve("skills"), c.skillsDir());
    }

    @Test
    void relativeConfigFileFlagIsRelativeToTheWorkingDirectory() throws Exception {
        Files.createDirectories(home.resolve("work"));
        Files.writeString(home.resolve("work/my.toml"), "[hub]\ntoken_file = \"tok\"\n");
        HubConfig c = loader(Map.of()).load(Optional.of(Path.of("my.toml")), HubFlags.none());
        assertEquals(home.resolve("work/my.toml"), c.file());
        assertEquals(home.resolve("work/tok"), c.tokenFile());
    }

    @Test
    void relativePathsFromTheEnvironmentAreRelativeToTheWorkingDirectory() {
        Map<String, String> env = Map.of(
                "TANDEM_TOKEN_FILE", "t/token",
                "TANDEM_DATA_DIR", "d",
                "TANDEM_PORTFOLIO", "~/p",
                "TANDEM_ROOTS", "a" + java.io.File.pathSeparator + "/abs/b",
                "TANDEM_SKILLS_DIR", "s");
        HubConfig c = loader(env).load(Optional.empty(), HubFlags.none());
        Path work = home.resolve("work");
        assertEquals(work.resolve("t/token"), c.tokenFile());
        assertEquals(work.resolve("d"), c.dataDir());
        assertEquals(home.resolve("p"), c.portfolioDir());
        assertEquals(List.of(work.resolve("a"), Path.of("/abs/b")), c.roots());
        assertEquals(work.resolve("s"), c.skillsDir());
    }

    @Test
    void relativePathFlagsAreRelativeToTheWorkingDirectory() {
        HubFlags flags = new HubFlags(
                null, null, null, Path.of("tok"), Path.of("data"), null, List.of(Path.of("r")), null, null, null);
        HubConfig c = loader(Map.of()).load(Optional.empty(), flags);
        assertEquals(home.resolve("work/tok"), c.tokenFile());
        assertEquals(home.resolve("work/data"), c.dataDir());
        assertEquals(List.of(home.resolve("work/r")), c.roots());
    }

    @Test
    void everyEnvironmentVariableOverridesTheFile() throws Exception {
        hubToml("""
                [hub]
                host = "127.0.0.2"
                port = 1
                allow_remote = false
                max_body_bytes = 5
                session_idle_seconds = 6
                keep_alive_seconds = 7
                """);
        Map<String, String> env = Map.of(
                "TANDEM_HOST", "::1",
                "TANDEM_PORT", "9100",
                "TANDEM_ALLOW_REMOTE", "TRUE",
                "TANDEM_MAX_BODY_BYTES", "5000",
                "TANDEM_SESSION_IDLE_SECONDS", "661",
                "TANDEM_KEEP_ALIVE_SECONDS", "70");
        HubConfig c = loader(env).load(Optional.empty(), HubFlags.none());
        assertEquals("::1", c.host());
        assertEquals(9100, c.port());
        assertTrue(c.allowRemote());
        assertEquals(5000, c.maxBodyBytes());
        assertEquals(Duration.ofSeconds(661), c.sessionIdleTimeout());
        assertEquals(Duration.ofSeconds(70), c.keepAliveInterval());
        assertEquals("http://[::1]:9100/mcp", c.clientUrl());
    }

    @Test
    void wildcardBindIsReachedOnLoopback() throws Exception {
        hubToml("[hub]\nhost = \"0.0.0.0\"\nport = 9200\n");
        assertEquals(
                "http://127.0.0.1:9200/mcp",
                loader(Map.of()).load(Optional.empty(), HubFlags.none()).clientUrl());
    }

    @Test
    void outOfRangePortInTheFileNamesItsLine() throws Exception {
        hubToml("[hub]\nport = 70000\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.empty(), HubFlags.none()));
        assertEquals(
                home.resolve(".tandem/hub.toml") + ":2:1: [hub] port must be a whole number from 0 to 65535",
                e.getMessage());
    }

    @Test
    void outOfRangeEnvironmentValueNamesTheVariable() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader(Map.of("TANDEM_SESSION_IDLE_SECONDS", "0")).load(Optional.empty(), HubFlags.none()));
        assertTrue(
                e.getMessage().startsWith("TANDEM_SESSION_IDLE_SECONDS: expected a whole number from 1"),
                e.getMessage());
    }

    @Test
    void allowRemoteFromTheEnvironmentMustBeTrueOrFalse() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader(Map.of("TANDEM_ALLOW_REMOTE", "yes")).load(Optional.empty(), HubFlags.none()));
        assertEquals("TANDEM_ALLOW_REMOTE: expected true or false, got 'yes'", e.getMessage());
    }

    @Test
    void rootsThatAreNotStringsNameTheirLine() throws Exception {
        hubToml("[fs]\nroots = [\"a\", 3]\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.empty(), HubFlags.none()));
        assertTrue(e.getMessage().endsWith("hub.toml:2:1: [fs] roots must be an array of strings"), e.getMessage());
    }

    @Test
    void sectionThatIsNotATableNamesItsLine() throws Exception {
        hubToml("hub = 3\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> loader(Map.of()).load(Optional.empty(), HubFlags.none()));
        assertTrue(e.getMessage().endsWith("hub.toml:1:1: hub must be a table [hub]"), e.getMessage());
    }

    @Test
    void layoutNamesTheFilesUnderTheHome() {
        TandemLayout layout =
                loader(Map.of()).load(Optional.empty(), HubFlags.none()).layout();
        assertEquals(home.resolve(".tandem/hub.toml"), layout.configFile());
        assertEquals(home.resolve(".tandem/state"), layout.stateDir());
        assertEquals(home.resolve(".tandem/bin/auth-header"), layout.authHelper());
        assertEquals(home.resolve(".tandem/manifest.json"), layout.manifest());
        assertEquals(home.resolve(".tandem/backups"), layout.backups());
    }

    @Test
    void explicitConfigFileMustExist() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader(Map.of()).load(Optional.of(home.resolve("nope.toml")), HubFlags.none()));
        assertTrue(e.getMessage().contains("nope.toml: no such configuration file"), e.getMessage());
    }
}
