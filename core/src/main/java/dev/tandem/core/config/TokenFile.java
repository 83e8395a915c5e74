package dev.tandem.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The bearer token file: 256 random bits as hex, mode 0600, refused when group or others can read it.
 *
 * <p>Error messages name the file, never its content.
 */
public final class TokenFile {
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;

    public TokenFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path path() {
        return file;
    }

    /** Returns the token, creating the file with a new one on first use. */
    public String loadOrCreate() {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                writeNew(false);
            } catch (TokenFileException e) {
                if (!(e.getCause() instanceof FileAlreadyExistsException)) {
                    throw e;
                }
                // another process created it first: read theirs
            }
        }
        return read();
    }

    /** Replaces the token with a new one and returns it. */
    public String rotate() {
        return writeNew(true);
    }

    /** Deletes the file (revokes the credential); returns whether there was one. */
    public boolean revoke() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new TokenFileException(
                    file + ": cannot delete token file: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Reads the token, refusing a file that group or others may read. */
    public String read() {
        try {
            checkPermissions();
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (token.length() < 32) {
                throw new TokenFileException(file + ": token is too short (need at least 32 characters); "
                        + "run 'tandem token --rotate' to make a new one");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new TokenFileException(file + ": no token file; run 'tandem token' to create one", e);
        } catch (IOException e) {
            throw new TokenFileException(
                    file + ": cannot read token file: " + e.getClass().getSimpleName(), e);
        }
    }

    private void checkPermissions() throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().anyMatch(TOO_OPEN::contains)) {
            throw new TokenFileException(file + ": token file is readable by group or others (mode "
                    + PosixFilePermissions.toString(perms) + "); fix it with: chmod 600 " + file);
        }
    }

    private String writeNew(boolean replace) {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        String token = HexFormat.of().formatHex(bits);
        try {
            Path dir = file.getParent();
            OwnerOnly.dir(dir);
            Path tmp = Files.createTempFile(dir, ".token-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
                if (replace) {
                    move(tmp, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    // createLink fails if the file exists, so two first starts never race to two tokens
                    Files.createLink(file, tmp);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return token;
        } catch (IOException e) {
            throw new TokenFileException(
                    file + ": cannot write token file: " + e.getClass().getSimpleName(), e);
        }
    }

    private void move(Path tmp, StandardCopyOption option) throws IOException {
        try {
            Files.move(tmp, file, option, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, option);
        }
    }

    /** Thrown when the token file is missing, unreadable or too open. */
    public static final class TokenFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TokenFileException(String message) {
            super(message);
        }

        TokenFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
