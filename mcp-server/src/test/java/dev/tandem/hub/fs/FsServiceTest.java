package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fs services on their own, for what the MCP layer cannot show. */
class FsServiceTest {
    @TempDir
    Path dir;

    @Test
    void symlinkedRootIsResolvedOnceAtStart() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(real.resolve("f.txt"), "real\n");
        Files.writeString(elsewhere.resolve("f.txt"), "elsewhere\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Roots roots = Roots.of(List.of(link));
        Files.delete(link);
        Files.createSymbolicLink(link, elsewhere);
        assertEquals(List.of(real.toRealPath()), roots.paths());
        assertEquals(
                "real\n",
                new FsReader(roots).read("f.txt", 1, Optional.empty(), 1000).text());
        PathRefusedException e = assertThrows(
                PathRefusedException.class,
                () -> roots.existing(link.resolve("f.txt").toString()));
        assertTrue(e.getMessage().contains("symbolic link leads outside"), e.getMessage());
    }

    @Test
    void rootThatDoesNotExistFailsAtStart() {
        FsException e = assertThrows(FsException.class, () -> Roots.of(List.of(dir.resolve("missing"))));
        assertTrue(e.getMessage().startsWith("root " + dir.resolve("missing")), e.getMessage());
    }

    @Test
    void concurrentWritesNeverLeaveATornFile() throws Exception {
        Path root = dir.toRealPath();
        FsWriter writer = new FsWriter(Roots.of(List.of(root)));
        int writers = 6;
        List<String> contents = IntStream.range(0, writers)
                .mapToObj(i -> String.valueOf((char) ('a' + i)).repeat(256 * 1024))
                .toList();
        Set<String> whole = Set.copyOf(contents);
        writer.write("shared.txt", contents.get(0), false, true);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            Future<List<String>> reader = pool.submit(() -> {
                List<String> torn = new ArrayList<>();
                while (!done.get()) {
                    String seen = Files.readString(root.resolve("shared.txt"), StandardCharsets.UTF_8);
                    if (!whole.contains(seen)) {
                        torn.add(seen.length() + " chars, starting " + seen.charAt(0));
                    }
                }
                return torn;
            });
            List<Future<?>> writing = new ArrayList<>();
            for (String content : contents) {
                writing.add(pool.submit(() -> {
                    for (int n = 0; n < 15; n++) {
                        writer.write("shared.txt", content, false, true);
                    }
                    return null;
                }));
            }
            for (Future<?> f : writing) {
                f.get();
            }
            done.set(true);
            assertEquals(List.of(), reader.get());
        } finally {
            pool.shutdownNow();
        }
        assertTrue(whole.contains(Files.readString(root.resolve("shared.txt"))));
        try (var left = Files.list(root)) {
            assertEquals(
                    Set.of("shared.txt"),
                    left.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void concurrentReplacesAllLand() throws Exception {
        Path root = dir.toRealPath();
        FsWriter writer = new FsWriter(Roots.of(List.of(root)));
        String initial =
                IntStream.range(0, 40).mapToObj(i -> "line" + i + "=old\n").collect(Collectors.joining());
        Files.writeString(root.resolve("f.txt"), initial);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<WriteResult>> edits = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String snippet = "line" + i + "=old\n";
                String replacement = "line" + i + "=new\n";
                edits.add(pool.submit(() -> writer.replace("f.txt", snippet, replacement, Optional.empty())));
            }
            for (Future<WriteResult> f : edits) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(initial.replace("=old", "=new"), Files.readString(root.resolve("f.txt")));
    }
}
