package dev.tandem.hub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tomlj.Toml;

class SessionLimitsTest {
    private static final Path FILE = Path.of("/home/me/.tandem/hub.toml");

    private static SessionLimits read(String toml) {
        return SessionLimits.from(Section.of(FILE, "hub", Toml.parse(toml).getTableOrEmpty("hub"), FILE.getParent()));
    }

    @Test
    void defaultsAreDocumented() {
        assertEquals(new SessionLimits(64, 64, 8L * 1024 * 1024), read(""));
        assertEquals(SessionLimits.defaults(), read(""));
    }

    @Test
    void readsTheHubTable() {
        assertEquals(
                new SessionLimits(3, 10, 65536),
                read(
                        "[hub]\nmax_sessions_per_credential = 3\nmax_batch_messages = 10\nmax_batch_answer_bytes = 65536\n"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "max_sessions_per_credential = 0",
                "max_sessions_per_credential = 10001",
                "max_batch_messages = \"many\"",
                "max_batch_messages = 0",
                "max_batch_answer_bytes = 1023"
            })
    void refusesAnOutOfRangeOrMistypedValueNamingFileAndLine(String line) {
        ConfigException e = assertThrows(ConfigException.class, () -> read("[hub]\nport = 1\n" + line + "\n"));
        String key = line.substring(0, line.indexOf(' '));
        assertTrue(e.getMessage().startsWith(FILE + ":3:1: [hub] " + key + " must be"), e.getMessage());
    }

    @Test
    void theBuildersOwnErrorsNameTheHubKey() {
        assertEquals(
                "[hub] max_sessions_per_credential must be at least 1, got 0",
                assertThrows(ConfigException.class, () -> new SessionLimits(0, 64, 65536))
                        .getMessage());
        assertEquals(
                "[hub] max_batch_messages must be at least 1, got -1",
                assertThrows(ConfigException.class, () -> new SessionLimits(64, -1, 65536))
                        .getMessage());
        assertEquals(
                "[hub] max_batch_answer_bytes must be at least 1024, got 1023",
                assertThrows(ConfigException.class, () -> new SessionLimits(64, 64, 1023))
                        .getMessage());
    }
}
