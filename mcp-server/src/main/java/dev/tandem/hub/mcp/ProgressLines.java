package dev.tandem.hub.mcp;

import dev.tandem.hub.tasks.OutputListener;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Turns a task's output lines into progress notifications, at most one per {@code interval}.
 *
 * <p>A line that arrives sooner than {@code interval} after the last notification is held; held lines go out
 * together, joined by newlines, when the interval is over (a timer sends them even if the task falls silent) or
 * when the task ends ({@link #finish()}). So a build that prints 5,000 lines in a second sends about ten
 * notifications, not 5,000, and no line is lost: a notification's text holds at most {@code maxChars}
 * characters and ends with {@code … N more lines} when lines had to be left out of it (the tool result still
 * carries the end of the output).
 *
 * <p>{@code progress} is the number of lines seen so far, so it rises with every notification.
 */
final class ProgressLines implements OutputListener {
    private final BiConsumer<Long, String> send;
    private final long intervalNanos;
    private final int maxChars;
    private final LongSupplier nanoTime;
    private final StringBuilder held = new StringBuilder();
    private long lines;
    private long omitted;
    private long lastSentNanos;
    private boolean sentAny;
    private boolean timerRunning;
    private boolean finished;

    /**
     * @param send receives the progress (lines so far) and the message of each notification
     * @param interval the least time between two notifications
     * @param maxChars the most characters of output one notification carries
     * @param nanoTime the clock ({@code System::nanoTime})
     */
    ProgressLines(BiConsumer<Long, String> send, Duration interval, int maxChars, LongSupplier nanoTime) {
        this.send = send;
        this.intervalNanos = interval.toNanos();
        this.maxChars = maxChars;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized void line(String stream, String line) {
        if (finished) {
            return;
        }
        lines++;
        String text = stream + ": " + line;
        if (held.isEmpty() || held.length() + 1 + text.length() <= maxChars) {
            if (!held.isEmpty()) {
                held.append('\n');
            }
            held.append(text.length() > maxChars ? text.substring(0, maxChars) : text);
        } else {
            omitted++;
        }
        long wait = waitNanos();
        if (wait <= 0) {
            flush();
        } else if (!timerRunning) {
            timerRunning = true;
            Thread.ofVirtual().name("task-progress").start(() -> sendLater(wait));
        }
    }

    /** Sends what is still held; nothing is sent after this. Called when the task has ended. */
    synchronized void finish() {
        if (!held.isEmpty()) {
            flush();
        }
        finished = true;
    }

    private void sendLater(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            timerRunning = false;
            if (!finished && !held.isEmpty()) {
                flush();
            }
        }
    }

    private long waitNanos() {
        return sentAny ? intervalNanos - (nanoTime.getAsLong() - lastSentNanos) : 0;
    }

    private void flush() {
        String message = omitted == 0 ? held.toString() : held + "\n… " + omitted + " more lines";
        held.setLength(0);
        omitted = 0;
        sentAny = true;
        lastSentNanos = nanoTime.getAsLong();
        send.accept(lines, message);
    }
}
