package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.TestHub;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder whose parent another process swaps for a symbolic link to a folder outside the root, again and again,
 * while the hub creates missing folders under it: nothing, not even an empty folder, may appear outside.
 */
class FolderSwapTest {
    static final int CALLS = 400;
    static final int DIRECT_CREATES = 5_000;

    @TempDir
    Path dir;

    TestHub hub;
    McpSyncClient client;
    Path root;
    Path outside;

    @BeforeEach
    void start() throws IOException {
        hub = TestHub.start(dir);
        client = hub.client("claude-code");
        root = dir.resolve("root").toRealPath();
        outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a.link"), outside);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void writeCreatingFoldersUnderASwappedParentCreatesNothingOutside() throws Exception {
        try (ParentSwapper s = new ParentSwapper(root.resolve("a"), root.resolve("a.link"))) {
            s.start();
            for (int i = 0; i < CALLS; i++) {
                McpSchema.CallToolResult r = client.callTool(McpSchema.CallToolRequest.builder("fs_write")
                        .arguments(Map.of("path", "a/n" + i + "/f.txt", "content", "x"))
                        .build());
                assertTrue(!r.content().isEmpty(), "an answer without content");
            }
            assertTrue(s.swaps.get() > 0, "the parent was never swapped");
        }
        assertTrue(Files.isDirectory(root.resolve("a"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), entries(outside));
    }

    @Test
    void createFolderInAnOpenFolderWhoseNameIsSwappedCreatesNothingOutside() throws Exception {
        Path a = root.resolve("a");
        try (ParentSwapper s = new ParentSwapper(a, root.resolve("a.link"))) {
            s.start();
            for (int i = 0; i < DIRECT_CREATES; i++) {
                try (SafeDir open = SafeDir.open(root, a)) {
                    open.createFolder("n" + i);
                } catch (IOException | RuntimeException e) {
                    // the swap was caught (the folder was a link when opened, or changed while being used): refused
                }
            }
            assertTrue(s.swaps.get() > 0, "the parent was never swapped");
        }
        assertTrue(Files.isDirectory(root.resolve("a"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), entries(outside));
    }

    private static List<String> entries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Swaps folder {@code target} with symbolic link {@code link} and back, with atomic renames, until closed. */
    static final class ParentSwapper extends Thread implements AutoCloseable {
        final Path target;
        final Path link;
        final Path held;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger swaps = new AtomicInteger();
        final AtomicReference<IOException> failed = new AtomicReference<>();
        int madeMeanwhile;

        ParentSwapper(Path target, Path link) {
            this.target = target;
            this.link = link;
            this.held = target.resolveSibling(target.getFileName() + ".held");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    move(target, held);
                    place(link);
                    Thread.onSpinWait();
                    move(target, link);
                    place(held);
                    swaps.incrementAndGet();
                }
            } catch (IOException e) {
                failed.set(e);
            }
        }

        /**
         * Renames {@code from} to the target's name. While that name was free, a write may have created a folder of
         * that name (inside the root, as it should): that one is moved aside first.
         */
        private void place(Path from) throws IOException {
            for (int attempt = 0; ; attempt++) {
                try {
                    move(from, target);
                    return;
                } catch (IOException e) {
                    if (attempt == 100 || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        throw e;
                    }
                    move(target, target.resolveSibling("made-meanwhile-" + madeMeanwhile++));
                }
            }
        }

        private static void move(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void close() {
            running.set(false);
            try {
                join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failed.get() != null) {
                throw new AssertionError("the swapper stopped", failed.get());
            }
        }
    }
}
