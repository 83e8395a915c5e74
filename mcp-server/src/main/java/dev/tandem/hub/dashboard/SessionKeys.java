package dev.tandem.hub.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files that let a dashboard login survive a restart, in the hub's state folder ({@code ~/.tandem/state},
 * 0700, the files 0600): {@value #KEY_FILE}, 32 random bytes that sign session cookies (never the bearer token),
 * and {@value #LOGOUTS_FILE}, the sessions logged out before they expired ({@code id expiry-epoch-seconds} a line),
 * so a logged-out cookie stays dead after a restart.
 *
 * <p>A key file that group or others may read, or that is not 32 bytes, is replaced by a new key (everyone logs in
 * again): a key someone else may have read signs nothing. When the folder cannot be written the hub still starts:
 * the key then lives in memory only (sessions end with the hub) and a logout holds until the hub stops; both are
 * logged as warnings.
 */
final class SessionKeys {
    static final String KEY_FILE = "dashboard-session.key";
    static final String LOGOUTS_FILE = "dashboard-logouts";

    private static final Logger LOG = Logger.getLogger(SessionKeys.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final int KEY_BYTES = 32;
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_-]{22}) ([0-9]{1,12})");

    private final Path dir;

    SessionKeys(Path dir) {
        this.dir = dir;
    }

    /** Returns the signing key, making it (and the folder) on first use. */
    byte[] key() {
        Path file = dir.resolve(KEY_FILE);
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            byte[] key = Base64.getDecoder()
                    .decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (perms.equals(OWNER_ONLY) && key.length == KEY_BYTES) {
                return key;
            }
            LOG.warning(file + " is not an owner-only 32-byte key; made a new one (dashboard browsers log in again)");
        } catch (NoSuchFileException e) {
            // first start
        } catch (IOException | IllegalArgumentException e) {
            LOG.warning(file + ": unreadable (" + e.getClass().getSimpleName() + "); made a new one");
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        if (!write(file, Base64.getEncoder().encodeToString(key) + "\n")) {
            LOG.warning("the dashboard's session key is kept in memory only: browsers sign in again after a restart");
        }
        return key;
    }

    /** Returns the logged-out sessions recorded, id to expiry (epoch seconds); unreadable lines are skipped. */
    Map<String, Long> logouts() {
        Map<String, Long> out = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve(LOGOUTS_FILE), StandardCharsets.US_ASCII)) {
                Matcher m = LINE.matcher(line.strip());
                if (m.matches()) {
                    out.put(m.group(1), Long.parseLong(m.group(2)));
                }
            }
        } catch (NoSuchFileException e) {
            // none yet
        } catch (IOException e) {
            LOG.log(Level.WARNING, dir.resolve(LOGOUTS_FILE) + ": unreadable", e);
        }
        return out;
    }

    /** Replaces the recorded logouts with {@code logouts}; a failure is logged (the logout holds in memory). */
    void saveLogouts(Map<String, Long> logouts) {
        List<String> lines = new ArrayList<>();
        logouts.forEach((id, expiry) -> lines.add(id + " " + expiry));
        write(dir.resolve(LOGOUTS_FILE), String.join("\n", lines) + "\n");
    }

    /** Writes {@code file} atomically, owner-only; returns false (logged) when it cannot. */
    private boolean write(Path file, String text) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp =
                    Files.createTempFile(dir, ".dashboard-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(tmp, text, StandardCharsets.US_ASCII);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        } catch (IOException e) {
            LOG.warning(file + ": cannot write (" + e.getClass().getSimpleName() + ")");
            return false;
        }
    }
}
