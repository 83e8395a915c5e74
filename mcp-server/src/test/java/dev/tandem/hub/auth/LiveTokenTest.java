package dev.tandem.hub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.core.config.TokenFile;
import dev.tandem.hub.Logged;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a credential file's follower says in the hub's log when the file first appears and when it is replaced. */
class LiveTokenTest {
    @TempDir
    Path dir;

    @Test
    void aFileWrittenAfterStartIsLoggedAsWrittenAndAReplacementAsAChange() throws Exception {
        TokenFile file = new TokenFile(dir.resolve("codex-token"));
        List<String> got = Logged.messages(LiveToken.class, Level.ALL, () -> {
            LiveToken live = LiveToken.optional(file);
            assertEquals(Optional.empty(), live.get(), "no file yet: nothing is let in");
            String first = file.rotate(); // push-runtime writes the engine's credential
            assertEquals(Optional.of(first), live.get());
            String second = file.rotate();
            assertEquals(Optional.of(second), live.get());
        });
        assertEquals(
                List.of(
                        file.path() + ": token file written; its token is in use",
                        file.path() + ": token file changed; the new token is in use, the old one refused"),
                got);
    }
}
