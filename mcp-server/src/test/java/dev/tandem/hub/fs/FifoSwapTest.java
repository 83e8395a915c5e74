package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.fs.RegularFiles;
import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a FIFO for reading blocks until a writer comes. A file (or folder) that another process swaps for a FIFO
 * between the tool's check and its open must never leave a call hanging: the type is checked on the descriptor that
 * is read, and that descriptor is opened without blocking.
 */
class FifoSwapTest {
    static final int CALLS = 300;
    static final Duration ALL_CALLS = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    TestHub hub;
    McpSyncClient client;
    Path root;

    @BeforeEach
    void start() throws IOException {
        hub = TestHub.start(dir);
        client = hub.client("claude-code");
        root = dir.resolve("root").toRealPath();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void openingAFifoForReadingIsRefusedAtOnce() throws Exception {
        Path fifo = mkfifo(root.resolve("pipe"));
        FileSystemException e = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> assertThrows(FileSystemException.class, () -> RegularFiles.read(fifo, Optional.empty(), 1024)));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void aFileWhoseIdentityChangedSinceItWasCheckedIsRefused() throws Exception {
        Path file = root.resolve("f.txt");
        Files.writeString(file, "old\n");
        Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
        Files.writeString(root.resolve("g.txt"), "new\n");
        Files.move(root.resolve("g.txt"), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        FileSystemException e =
                assertThrows(FileSystemException.class, () -> RegularFiles.read(file, Optional.of(key), 1024));
        assertTrue(e.getMessage().contains("changed"), e.getMessage());
    }

    @Test
    void readOfAFileSwappedForAFifoNeverHangs() throws Exception {
        Files.writeString(root.resolve("target.txt"), "content\n");
        try (Swapper s = new Swapper(root.resolve("target.txt"), mkfifo(root.resolve("spare-fifo")))) {
            s.start();
            everyCallFinishes(() -> call("fs_read", Map.of("path", "target.txt")));
            assertTrue(s.swaps.get() > 0);
        }
    }

    @Test
    void replaceOfAFileSwappedForAFifoNeverHangs() throws Exception {
        Files.writeString(root.resolve("target.txt"), "content\n");
        try (Swapper s = new Swapper(root.resolve("target.txt"), mkfifo(root.resolve("spare-fifo")))) {
            s.start();
            everyCallFinishes(() ->
                    call("fs_replace", Map.of("path", "target.txt", "old_text", "nothing-here", "new_text", "x")));
        }
    }

    @Test
    void searchOverAFileSwappedForAFifoNeverHangs() throws Exception {
        Files.createDirectories(root.resolve("s"));
        Files.writeString(root.resolve("s/target.txt"), "needle\n");
        try (Swapper s = new Swapper(root.resolve("s/target.txt"), mkfifo(root.resolve("spare-fifo")))) {
            s.start();
            everyCallFinishes(() -> call("fs_search", Map.of("path", "s", "query", "needle")));
        }
    }

    @Test
    void readThroughAFolderSwappedForAFifoNeverHangs() throws Exception {
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/f.txt"), "content\n");
        try (Swapper s = new Swapper(root.resolve("d"), mkfifo(root.resolve("spare-fifo")))) {
            s.start();
            everyCallFinishes(() -> call("fs_read", Map.of("path", "d/f.txt")));
        }
    }

    @Test
    void listOfAFolderSwappedForAFifoNeverHangs() throws Exception {
        Files.createDirectories(root.resolve("d/e"));
        try (Swapper s = new Swapper(root.resolve("d"), mkfifo(root.resolve("spare-fifo")))) {
            s.start();
            everyCallFinishes(() -> call("fs_list", Map.of("path", "d", "depth", 2)));
        }
    }

    @Test
    void searchThroughAFolderSwappedForAFifoNeverHangs() throws Exception {
        Files.createDirectories(root.resolve("d/e"));
        Files.writeString(root.resolve("d/e/f.txt"), "needle\n");
        try (Swapper s = new Swapper(root.resolve("d/e"), mkfifo(root.resolve("d/spare-fifo")))) {
            s.start();
            everyCallFinishes(() -> call("fs_search", Map.of("path", "d", "query", "needle")));
        }
    }

    @Test
    void portfolioReadOfADocumentSwappedForAFifoNeverHangs() throws Exception {
        Path portfolio = dir.resolve("portfolio");
        Files.writeString(portfolio.resolve("stack.md"), "# Stack\n");
        try (Swapper s = new Swapper(portfolio.resolve("stack.md"), mkfifo(dir.resolve("spare-fifo")))) {
            s.start();
            everyCallFinishes(() -> call("portfolio_read", Map.of("name", "stack")));
            everyCallFinishes(() -> call("portfolio_list", Map.of()));
        }
    }

    private void everyCallFinishes(java.util.function.Supplier<McpSchema.CallToolResult> call) {
        AtomicInteger done = new AtomicInteger();
        assertTimeoutPreemptively(ALL_CALLS, () -> {
            for (int i = 0; i < CALLS; i++) {
                if (call.get().content().isEmpty()) {
                    throw new AssertionError("an answer without content");
                }
                done.incrementAndGet();
            }
        });
        assertEquals(CALLS, done.get());
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    static Path mkfifo(Path p) throws IOException, InterruptedException {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).start();
        assertEquals(0, mk.waitFor());
        return p;
    }

    /** Swaps {@code target} with a FIFO and back, again and again, with atomic renames, until closed. */
    static final class Swapper extends Thread implements AutoCloseable {
        final Path target;
        final Path fifo;
        final Path held;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger swaps = new AtomicInteger();

        Swapper(Path target, Path fifo) {
            this.target = target;
            this.fifo = fifo;
            this.held = target.resolveSibling(target.getFileName() + ".held");
            setDaemon(true);
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
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        private static void move(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void close() throws IOException {
            running.set(false);
            try {
                join(10_000);
                // whatever still waits on the FIFO gets its writer, so nothing outlives the test
                if (Files.exists(fifo)) {
                    new ProcessBuilder("timeout", "2", "sh", "-c", "exec 3>\"$1\"; sleep 0.2", "sh", fifo.toString())
                            .start()
                            .waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
