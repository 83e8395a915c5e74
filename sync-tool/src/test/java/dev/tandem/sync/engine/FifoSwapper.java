package dev.tandem.sync.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Swaps {@code target} (a file or a folder) with a FIFO and back, again and again, with atomic renames, until closed,
 * as an agent running as the person could; the target is kept under {@code held} meanwhile.
 */
public final class FifoSwapper extends Thread implements AutoCloseable {
    private final Path target;
    private final Path fifo;
    private final Path held;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger swaps = new AtomicInteger();

    public FifoSwapper(Path target, Path fifo, Path held) {
        this.target = target;
        this.fifo = fifo;
        this.held = held;
        setDaemon(true);
    }

    /** Makes a FIFO at {@code p} with mkfifo(1). */
    public static Path mkfifo(Path p) throws IOException, InterruptedException {
        if (new ProcessBuilder("mkfifo", p.toString()).start().waitFor() != 0) {
            throw new IOException(p + ": mkfifo failed");
        }
        return p;
    }

    /** Returns how many times the target was swapped out and back. */
    public int swaps() {
        return swaps.get();
    }

    @Override
    public void run() {
        while (running.get()) {
            try {
                move(target, held);
                move(fifo, target);
                Thread.onSpinWait();
                move(target, fifo);
                move(held, target);
                swaps.incrementAndGet();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Stops swapping; whatever still waits on the FIFO (a reader that blocked) gets a writer, so nothing outlives it. */
    @Override
    public void close() throws IOException {
        running.set(false);
        try {
            join(10_000);
            for (Path p : new Path[] {fifo, target}) {
                new ProcessBuilder(
                                "timeout",
                                "2",
                                "sh",
                                "-c",
                                "[ -p \"$1\" ] && exec 3>\"$1\"; sleep 0.2",
                                "sh",
                                p.toString())
                        .start()
                        .waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
