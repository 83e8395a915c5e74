package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobEvent;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.hub.runs.Redactor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a job's record and output keep of the protected changes its looks found. */
class ProtectedRecordTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static LiveJob job(long outputCap) {
        JobRecord r = JobRecord.builder("abcdefgh", "codex", "exec", "/work/shop", "p", NOW)
                .build();
        return new LiveJob(r, Path.of("/bin/true"), 0, outputCap);
    }

    @Test
    void pastTheCapTheRecordSaysChangesMayHaveBeenMissedFirstAndTheEventListsEveryOne() {
        LiveJob j = job(100); // the output cap is long spent
        List<ProtectedChange> changes = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            changes.add(new ProtectedChange("/work/shop/" + String.format("%03d", i) + "/.envrc", "added"));
        }
        j.protectedChanged(changes, NOW, Redactor.of(List.of()));
        List<ProtectedChange> kept = j.record.protectedChanges();
        assertEquals(new ProtectedChange("/work/shop", "unchecked"), kept.getFirst());
        assertTrue(kept.size() <= LiveJob.MAX_PROTECTED + 1);
        JobEvent e = j.takeEvents().stream()
                .filter(ev -> ev.kind().equals("protected_change"))
                .findFirst()
                .orElseThrow();
        assertTrue(
                e.text().contains("added /work/shop/249/.envrc"),
                "the event is not cut: " + e.text().length());
    }

    @Test
    void anUncheckedLookComesFirstAndStaysWhenTheRecordIsFull() {
        LiveJob j = job(1 << 20);
        List<ProtectedChange> changes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            changes.add(new ProtectedChange("/work/shop/" + i + "/.envrc", "added"));
        }
        changes.add(new ProtectedChange("/work/shop", "unchecked"));
        j.protectedChanged(changes, NOW, Redactor.of(List.of()));
        assertEquals(
                new ProtectedChange("/work/shop", "unchecked"),
                j.record.protectedChanges().getFirst());
    }

    @Test
    void controlAndBidiCharactersInANameAreShownEscapedInTheEvent() {
        LiveJob j = job(1 << 20);
        String path = "/work/shop/\u001b]52;c;aGk=\u0007\u202e\u2028x/.envrc";
        j.protectedChanged(List.of(new ProtectedChange(path, "added")), NOW, Redactor.of(List.of()));
        String text = j.takeEvents().getFirst().text();
        assertFalse(text.chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x202e || c == 0x2028), text);
        assertTrue(text.contains("\\u001b]52;c;aGk=\\u0007\\u202e\\u2028x/.envrc"), text);
    }

    @Test
    void aChangeValueThisVersionDoesNotKnowReadsAsUnchecked() {
        assertEquals("unchecked", new ProtectedChange("/work/shop/.envrc", "renamed").change());
    }
}
