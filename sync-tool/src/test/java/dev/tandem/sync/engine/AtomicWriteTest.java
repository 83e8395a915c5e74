package dev.tandem.sync.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriteTest {
    private static final int FILES = 40;
    private static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    static byte[] content(char c) {
        byte[] b = new byte[SIZE];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void pushKilledMidwayLeavesEveryFileOldOrNew() throws Exception {
        byte[] old = content('o');
        for (int i = 0; i < FILES; i++) {
            Files.write(dir.resolve("f" + i), old);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        KillMidwayChild.class.getName(),
                        dir.toString(),
                        String.valueOf(FILES))
                .redirectErrorStream(true)
                .start();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int updated = 0;
            while (updated < FILES / 4 && (line = r.readLine()) != null) {
                updated += line.startsWith("update ") ? 1 : 0;
            }
            child.destroyForcibly();
            child.waitFor();
            assertEquals(FILES / 4, updated, "the child stopped before a quarter of the files");
        }
        byte[] fresh = content('n');
        int olds = 0;
        for (int i = 0; i < FILES; i++) {
            byte[] now = Files.readAllBytes(dir.resolve("f" + i));
            boolean isOld = Arrays.equals(old, now);
            assertTrue(isOld || Arrays.equals(fresh, now), "f" + i + " is neither old nor new");
            olds += isOld ? 1 : 0;
        }
        assertTrue(olds < FILES - FILES / 4 + 1, "at least a quarter were replaced");
    }

    @Test
    void writeReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("a/b/config.toml");
        AtomicFile.write(file, new byte[] {1, 2, 3}, Target.PUBLIC);
        AtomicFile.write(file, new byte[] {4}, Target.PUBLIC);
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(file));
        try (var s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList());
        }
    }

    @Test
    void existingFileKeepsItsPermissions() throws Exception {
        Path file = dir.resolve(".claude.json");
        Files.write(file, new byte[] {1});
        Files.setPosixFilePermissions(file, Target.PRIVATE);
        AtomicFile.write(file, new byte[] {2}, Target.PUBLIC);
        assertEquals(Target.PRIVATE, Files.getPosixFilePermissions(file));
    }
}
