package dev.tandem.sync.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a FIFO for reading waits for a writer. A file (or its folder) that another process, an agent running as the
 * person, swaps for a FIFO between the sync tool's check and its open must never leave a read hanging: the open never
 * blocks, and the type and identity are checked on the open descriptor. Every read ends with the bytes, nothing, or
 * an error naming the file.
 */
class FifoSwapTest {
    /** How long to read while the swapper runs: a swap that lands between a check and an open is rare. */
    static final Duration READING = Duration.ofSeconds(6);
    /** All reads end well within this, the bound of a test; a read left waiting on a FIFO never ends. */
    static final Duration ALL_READS = Duration.ofSeconds(60);

    static final byte[] CONTENT = "---\nname: recall\n---\nRecall.\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void deployedFileSwappedForAFifoNeverHangs() throws Exception {
        Path file = Files.write(
                Files.createDirectories(dir.resolve("skills/recall")).resolve("SKILL.md"), CONTENT);
        try (FifoSwapper s =
                new FifoSwapper(file, FifoSwapper.mkfifo(dir.resolve("spare-fifo")), dir.resolve("held"))) {
            s.start();
            everyReadFinishes(file, () -> DeployedFile.read(file).map(DeployedFile.Read::bytes));
            assertTrue(s.swaps() > 0, "the file was swapped");
        }
    }

    @Test
    void deployedFilesFolderSwappedForAFifoNeverHangs() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("skills/recall"));
        Path file = Files.write(folder.resolve("SKILL.md"), CONTENT);
        try (FifoSwapper s =
                new FifoSwapper(folder, FifoSwapper.mkfifo(dir.resolve("spare-fifo")), dir.resolve("held"))) {
            s.start();
            everyReadFinishes(file, () -> DeployedFile.read(file).map(DeployedFile.Read::bytes));
            assertTrue(s.swaps() > 0, "the folder was swapped");
        }
    }

    @Test
    void configFileSwappedForAFifoNeverHangs() throws Exception {
        Path file = Files.write(dir.resolve("config.toml"), CONTENT);
        try (FifoSwapper s =
                new FifoSwapper(file, FifoSwapper.mkfifo(dir.resolve("spare-fifo")), dir.resolve("held"))) {
            s.start();
            everyReadFinishes(file, () -> Contents.read(file));
            assertTrue(s.swaps() > 0, "the file was swapped");
        }
    }

    @Test
    void linkedConfigFileWhoseTargetIsSwappedForAFifoNeverHangs() throws Exception {
        Path target =
                Files.write(Files.createDirectories(dir.resolve("dotfiles")).resolve("config.toml"), CONTENT);
        Path link = Files.createSymbolicLink(dir.resolve("config.toml"), target);
        try (FifoSwapper s =
                new FifoSwapper(target, FifoSwapper.mkfifo(dir.resolve("spare-fifo")), dir.resolve("held"))) {
            s.start();
            everyReadFinishes(link, () -> Contents.read(link));
        }
    }

    /**
     * Reads again and again for {@link #READING} while the swapper runs: each read gives the file's bytes or nothing,
     * or fails naming {@code file}; all of them finish well within {@link #ALL_READS}.
     */
    private static void everyReadFinishes(Path file, Supplier<Optional<byte[]>> read) {
        AtomicInteger done = new AtomicInteger();
        assertTimeoutPreemptively(ALL_READS, () -> {
            long end = System.nanoTime() + READING.toNanos();
            while (System.nanoTime() < end) {
                try {
                    read.get().ifPresent(bytes -> assertArrayEquals(CONTENT, bytes));
                } catch (InputException | UncheckedIOException e) {
                    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                }
                done.incrementAndGet();
            }
        });
        assertTrue(done.get() > 0, "reads were made");
    }
}
