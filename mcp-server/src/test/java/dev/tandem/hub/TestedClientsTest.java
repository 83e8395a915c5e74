package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.jobs.RealClis;
import java.nio.file.Files;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The versions {@code tandem doctor} compares the installed clients with are the ones {@code .ci/versions} pins. */
class TestedClientsTest {
    @Test
    void doctorsTestedVersionsAreTheOnesCiPins() throws Exception {
        String pins = Files.readString(RealClis.ROOT.resolve(".ci/versions"));
        Properties tested = new Properties();
        try (var in = TestedClientsTest.class.getResourceAsStream("/tested-clients.properties")) {
            tested.load(in);
        }
        assertTrue(
                pins.lines().anyMatch(l -> l.equals("CODEX_PKG=@openai/codex@" + tested.getProperty("codex"))),
                "tested-clients.properties codex=" + tested.getProperty("codex") + " is not .ci/versions' CODEX_PKG");
        assertTrue(
                pins.lines()
                        .anyMatch(
                                l -> l.equals("CLAUDE_PKG=@anthropic-ai/claude-code@" + tested.getProperty("claude"))),
                "tested-clients.properties claude=" + tested.getProperty("claude")
                        + " is not .ci/versions' CLAUDE_PKG");
        assertEquals(2, tested.size());
    }
}
