package dev.tandem.hub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.TokenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    @TempDir
    Path dir;

    @Test
    void createsA256BitTokenWithMode0600OnFirstUse() throws Exception {
        Path file = dir.resolve("new/.tandem/token");
        String token = new TokenFile(file).loadOrCreate();
        assertTrue(token.matches("[0-9a-f]{64}"), token);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(token, new TokenFile(file).loadOrCreate());
    }

    @Test
    void refusesAGroupReadableFileAndSaysHowToFixIt() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "f".repeat(64));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        var e = assertThrows(TokenFile.TokenFileException.class, () -> new TokenFile(file).read());
        assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
        assertFalse(e.getMessage().contains("f".repeat(64)));
    }

    @Test
    void rotateWritesANewTokenKeepingTheMode() throws Exception {
        Path file = dir.resolve("token");
        TokenFile tokens = new TokenFile(file);
        String first = tokens.loadOrCreate();
        String second = tokens.rotate();
        assertNotEquals(first, second);
        assertEquals(second, tokens.read());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void bearerAuthAcceptsOnlyTheExactToken() {
        BearerAuth auth = new BearerAuth("abc123abc123abc123abc123abc123ab");
        assertTrue(auth.accepts(Optional.of("Bearer abc123abc123abc123abc123abc123ab")));
        assertFalse(auth.accepts(Optional.of("Bearer abc123abc123abc123abc123abc123abX")));
        assertFalse(auth.accepts(Optional.of("Bearer abc123abc123abc123abc123abc123a")));
        assertFalse(auth.accepts(Optional.empty()));
    }
}
