package dev.tandem.core.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opens the hub and the sync tool share never block: a FIFO is refused at once instead of waited on, and the type
 * and identity are read from the open descriptor. Each FIFO case is bounded: a blocking open would never return.
 */
class RegularFilesTest {
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @BeforeEach
    void nonBlockingOpenIsHere() {
        assumeTrue(NonBlockingOpen.available(), "no non-blocking open on this system");
    }

    @Test
    void readsARegularFile() throws Exception {
        Path file = Files.writeString(dir.resolve("f.txt"), "hello\n");
        assertArrayEquals(bytes("hello\n"), RegularFiles.read(file, Optional.of(key(file)), 1024));
    }

    @Test
    void aFifoIsRefusedAtOnceNamingIt() throws Exception {
        Path fifo = mkfifo(dir.resolve("pipe"));
        NotRegularFileException e = assertTimeoutPreemptively(
                BOUND,
                () -> assertThrows(NotRegularFileException.class, () -> RegularFiles.read(fifo, Optional.empty(), 1)));
        assertEquals(fifo + ": not a regular file", e.getMessage());
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("big.txt"), "0123456789");
        FileTooLargeException e =
                assertThrows(FileTooLargeException.class, () -> RegularFiles.read(file, Optional.empty(), 4));
        assertEquals(file + ": 10 bytes, larger than the limit of 4 bytes", e.getMessage());
    }

    @Test
    void openAtReadsTheFileOfTheOpenFolderEvenAfterTheFolderIsRenamed() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("skills/recall"));
        Path file = Files.writeString(folder.resolve("SKILL.md"), "mine\n");
        Object key = key(file);
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectoryFollowing(folder)) {
            // the name now leads elsewhere: the open folder is still the one read from
            Files.move(folder, dir.resolve("moved"), StandardCopyOption.ATOMIC_MOVE);
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("SKILL.md"), "planted\n");
            assertArrayEquals(bytes("mine\n"), readAll(RegularFiles.openAt(fd, "SKILL.md", file, key)));
        }
    }

    @Test
    void openAtOfAFileSwappedForAFifoAfterTheCheckIsRefusedAtOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("SKILL.md"), "mine\n");
        Object key = key(file);
        Files.delete(file);
        mkfifo(file);
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectoryFollowing(dir)) {
            NotRegularFileException e = assertTimeoutPreemptively(
                    BOUND,
                    () -> assertThrows(
                            NotRegularFileException.class, () -> RegularFiles.openAt(fd, "SKILL.md", file, key)));
            assertEquals(file + ": not a regular file", e.getMessage());
        }
    }

    @Test
    void openAtOfAnotherFilePutInThePlaceOfTheCheckedOneIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("SKILL.md"), "mine\n");
        Object key = key(file);
        Path other = Files.writeString(dir.resolve("other"), "planted\n");
        Files.move(other, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectoryFollowing(dir)) {
            NotRegularFileException e =
                    assertThrows(NotRegularFileException.class, () -> RegularFiles.openAt(fd, "SKILL.md", file, key));
            assertEquals(file + ": changed while being opened", e.getMessage());
        }
    }

    @Test
    void openAtNeverFollowsALink() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "secret\n");
        Path link = Files.createSymbolicLink(dir.resolve("SKILL.md"), secret);
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectoryFollowing(dir)) {
            FileSystemException e = assertThrows(
                    FileSystemException.class, () -> RegularFiles.openAt(fd, "SKILL.md", link, key(secret)));
            assertEquals(link + ": is a symbolic link", e.getMessage());
        }
    }

    @Test
    void aFolderOpenRefusesAFifoAtOnceAndFollowsALinkToAFolder() throws Exception {
        Path fifo = mkfifo(dir.resolve("pipe"));
        assertTimeoutPreemptively(
                BOUND,
                () -> assertThrows(NotDirectoryException.class, () -> NonBlockingOpen.openDirectoryFollowing(fifo)));
        Path real = Files.createDirectories(dir.resolve("dotfiles/.claude"));
        Path link = Files.createSymbolicLink(dir.resolve(".claude"), real);
        try (NonBlockingOpen.Descriptor fd = NonBlockingOpen.openDirectoryFollowing(link)) {
            assertEquals(
                    key(real),
                    Files.readAttributes(fd.path(), BasicFileAttributes.class).fileKey());
        }
        assertThrows(FileSystemException.class, () -> NonBlockingOpen.openDirectory(link)); // this one never follows
    }

    private static byte[] readAll(FileChannel ch) throws IOException {
        try (ch) {
            ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // until full
            }
            return buf.array();
        }
    }

    private static Object key(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Path mkfifo(Path p) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).start().waitFor(), "mkfifo");
        return p;
    }
}
