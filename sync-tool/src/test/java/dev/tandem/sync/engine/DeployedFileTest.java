package dev.tandem.sync.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DeployedFileTest {
    @TempDir
    Path dir;

    @Test
    void readsARegularFileAndItsLinkCount() throws Exception {
        Path file = Files.writeString(dir.resolve("SKILL.md"), "hi\n");
        DeployedFile.Read read = DeployedFile.read(file).orElseThrow();
        assertArrayEquals("hi\n".getBytes(StandardCharsets.UTF_8), read.bytes());
        assertEquals(1, read.links());
        Files.createLink(dir.resolve("copy"), file);
        assertEquals(2, DeployedFile.read(file).orElseThrow().links());
    }

    @Test
    void nothingThereIsEmpty() {
        assertTrue(DeployedFile.read(dir.resolve("gone.md")).isEmpty());
        assertTrue(DeployedFile.read(dir.resolve("no/folder.md")).isEmpty());
    }

    @Test
    void refusesASymlinkNamingItAndItsTarget() throws Exception {
        Path secret = Files.writeString(dir.resolve("id_ed25519"), "secret\n");
        Path link = Files.createSymbolicLink(dir.resolve("reference.md"), secret);
        InputException e = assertThrows(InputException.class, () -> DeployedFile.read(link));
        assertTrue(e.getMessage().startsWith(link + ": is a symlink (to " + secret + ")"), e.getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void refusesAFifoWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("fifo.md");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        InputException e = assertThrows(InputException.class, () -> DeployedFile.read(fifo));
        assertTrue(e.getMessage().contains("a FIFO, not a regular file"), e.getMessage());
    }

    @Test
    void refusesAFileLargerThanTheCapBeforeReadingIt() throws Exception {
        Path big = dir.resolve("big.md");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(DeployedFile.MAX_BYTES + 1); // sparse: no disk used, and never read
        }
        InputException e = assertThrows(InputException.class, () -> DeployedFile.read(big));
        assertTrue(e.getMessage().startsWith(big + ": is larger than 64 MiB"), e.getMessage());
    }
}
