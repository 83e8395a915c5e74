package dev.tandem.hub.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {
    private final AtomicLong now = new AtomicLong();
    private final List<String> sent = new ArrayList<>();
    private final List<Long> progress = new ArrayList<>();

    // an hour between notifications: the timer never fires during a test, so only line() and finish() send
    private ProgressLines lines(int maxChars) {
        return new ProgressLines(
                (count, message) -> {
                    progress.add(count);
                    sent.add(message);
                },
                Duration.ofHours(1),
                maxChars,
                now::get);
    }

    @Test
    void theFirstLineGoesOutAtOnceAndLaterOnesWaitForTheInterval() {
        ProgressLines p = lines(1000);
        p.line("stdout", "one");
        p.line("stdout", "two");
        p.line("stderr", "three");
        assertEquals(List.of("stdout: one"), sent);
        now.addAndGet(Duration.ofHours(1).toNanos());
        p.line("stdout", "four");
        assertEquals(List.of("stdout: one", "stdout: two\nstderr: three\nstdout: four"), sent);
        assertEquals(List.of(1L, 4L), progress);
    }

    @Test
    void finishSendsWhatIsHeldAndNothingAfterwards() {
        ProgressLines p = lines(1000);
        p.line("stdout", "one");
        p.line("stdout", "two");
        p.finish();
        p.line("stdout", "late");
        p.finish();
        assertEquals(List.of("stdout: one", "stdout: two"), sent);
        assertEquals(List.of(1L, 2L), progress);
    }

    @Test
    void linesBeyondTheSizeOfOneNotificationAreCountedNotDropped() {
        ProgressLines p = lines(20);
        p.line("stdout", "first");
        p.line("stdout", "aaaaaa"); // "stdout: aaaaaa" = 14 characters
        p.line("stdout", "bbbbbb"); // would make 29
        p.line("stdout", "cccccc");
        p.finish();
        assertEquals(List.of("stdout: first", "stdout: aaaaaa\n… 2 more lines"), sent);
        assertEquals(List.of(1L, 4L), progress);
    }

    @Test
    void heldLinesGoOutWhenTheIntervalIsOverEvenIfTheTaskFallsSilent() throws InterruptedException {
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        ProgressLines p = new ProgressLines(
                (count, message) -> {
                    got.add(message);
                    two.countDown();
                },
                Duration.ofMillis(20),
                1000,
                System::nanoTime);
        p.line("stdout", "one");
        p.line("stdout", "two");
        assertTrue(two.await(10, TimeUnit.SECONDS), got::toString);
        assertEquals(List.of("stdout: one", "stdout: two"), got);
    }
}
