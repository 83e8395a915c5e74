package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What job output is redacted of: every value the credential files held since the start, not only the current. */
class CredentialsSeenTest {
    @Test
    void aRotatedOrUnreadableTokenStaysRedactedAndTheNewestAlwaysIs() {
        AtomicReference<Optional<String>> person = new AtomicReference<>(Optional.of("token-1"));
        AtomicReference<Optional<String>> codex = new AtomicReference<>(Optional.empty());
        Supplier<Collection<String>> seen = JobsCapability.everSeen(List.of(person::get, codex::get));
        assertEquals(List.of("token-1"), List.copyOf(seen.get()));
        person.set(Optional.of("token-2")); // rotated
        codex.set(Optional.of("codex-1"));
        assertEquals(List.of("token-1", "token-2", "codex-1"), List.copyOf(seen.get()));
        person.set(Optional.empty()); // the file turned unreadable: its last values still count
        assertEquals(List.of("token-1", "token-2", "codex-1"), List.copyOf(seen.get()));
        for (int i = 0; i < JobsCapability.MAX_SEEN * 2; i++) {
            person.set(Optional.of("rotated-" + i));
            assertTrue(seen.get().contains("rotated-" + i));
        }
        Collection<String> last = seen.get();
        assertEquals(JobsCapability.MAX_SEEN, last.size());
        assertTrue(last.contains("rotated-" + (JobsCapability.MAX_SEEN * 2 - 1)), "the newest is kept");
        assertTrue(last.contains("codex-1"), "a value still held is kept: " + last);
    }
}
