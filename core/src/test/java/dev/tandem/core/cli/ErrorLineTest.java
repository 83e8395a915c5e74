package dev.tandem.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.core.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ErrorLineTest {
    @Test
    void tandemsOwnExceptionIsItsMessage() {
        assertEquals(
                "tandem: hub.toml:3:1: [hub] port must be …",
                ErrorLine.of(new ConfigException("hub.toml:3:1: [hub] port must be …")));
    }

    @Test
    void uncheckedIoIsItsMessage() {
        assertEquals(
                "tandem: /x: cannot read",
                ErrorLine.of(new UncheckedIOException("/x: cannot read", new IOException())));
    }

    @Test
    void anyOtherExceptionIsReportedAsASurpriseWithoutAJavaClassName() {
        assertEquals(
                "tandem: unexpected failure: boom (please report it, with the command that caused it)",
                ErrorLine.of(new IllegalStateException("boom")));
        assertEquals(
                "tandem: unexpected failure (please report it, with the command that caused it)",
                ErrorLine.of(new NullPointerException()));
    }
}
