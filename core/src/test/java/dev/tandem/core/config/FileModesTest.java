package dev.tandem.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FileModesTest {
    @TempDir
    Path dir;

    @Test
    void setsTheModeOfARegularFile() throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "k\n");
        FileModes.set(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void refusesALinkNamingItAndLeavesItsTargetsModeAlone() throws Exception {
        Path key = Files.writeString(dir.resolve("id_ed25519"), "secret\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("engine-key"), key);

        FileSystemException e = assertThrows(
                FileSystemException.class, () -> FileModes.set(link, PosixFilePermissions.fromString("rw-r--r--")));

        assertEquals(link.toString(), e.getFile());
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void refusesAFifoWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor());

        FileSystemException e = assertThrows(
                FileSystemException.class, () -> FileModes.set(fifo, PosixFilePermissions.fromString("rw-------")));

        assertEquals(fifo.toString(), e.getFile());
    }

    @Test
    void tightensAFolder() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        FileModes.set(sub, OwnerOnly.DIR);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sub)));
    }

    /** Root reads any file, so the refusal this guards against only happens to a person's own account. */
    @Test
    void setsTheModeOfAFileItsOwnerCannotReadAsPlainChmodDoes() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file: nothing to refuse");
        Path file = Files.writeString(dir.resolve("script.sh"), "echo hi\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));

        FileModes.set(file, PosixFilePermissions.fromString("rwx------"));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void setsTheModeOfAFileInAFolderItsOwnerCannotList() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root lists every folder: nothing to refuse");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = Files.writeString(sub.resolve("key"), "k\n");
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("-wx------"));
        try {
            FileModes.set(file, PosixFilePermissions.fromString("rw-------"));
        } finally {
            Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
