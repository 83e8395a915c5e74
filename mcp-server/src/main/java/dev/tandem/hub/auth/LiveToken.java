package dev.tandem.hub.auth;

import dev.tandem.core.config.TokenFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The hub's token as the token file holds it now: each check looks at the file's identity (inode, size, time) and
 * reads it again when it changed, so {@code tandem token --rotate} takes effect without a restart and the old token
 * stops working with the next request. A file that is missing, too open or too short is reported once and lets no
 * token in until it is fixed: the hub never falls back to a token the person replaced.
 */
public final class LiveToken implements Supplier<Optional<String>> {
    private static final Logger LOG = Logger.getLogger(LiveToken.class.getName());

    private final TokenFile file;
    private Stamp stamp;
    private Optional<String> token;

    /** Starts with {@code token}, just read (or created) from {@code file}. */
    public LiveToken(TokenFile file, String token) {
        this.file = Objects.requireNonNull(file, "file");
        this.token = Optional.of(token);
        this.stamp = Stamp.of(file.path());
    }

    /**
     * Follows {@code file} from its current state on: an engine's credential, which may not exist yet (made by
     * {@code tandem sync push-runtime}) or may be revoked (deleted); while it is missing or unusable it lets nothing
     * in.
     */
    public static LiveToken optional(TokenFile file) {
        LiveToken live = new LiveToken(file);
        // a credential already there at start is no change: only a file that is unusable is reported now
        live.refresh(false);
        return live;
    }

    private LiveToken(TokenFile file) {
        this.file = Objects.requireNonNull(file, "file");
        this.token = Optional.empty();
        this.stamp = Stamp.missing();
    }

    /** Returns a token that never changes (tests, and the dashboard's own checks of a fixed token). */
    public static Supplier<Optional<String>> fixed(String token) {
        Optional<String> t = Optional.of(token);
        return () -> t;
    }

    /** Returns the token the file holds now, or nothing while the file is unusable. */
    @Override
    public synchronized Optional<String> get() {
        refresh(true);
        return token;
    }

    /** Reads the file again when it changed; {@code announce} logs a usable new version too, not only a bad one. */
    private void refresh(boolean announce) {
        Stamp now = Stamp.of(file.path());
        if (now.equals(stamp)) {
            return;
        }
        stamp = now;
        try {
            boolean had = token.isPresent();
            token = Optional.of(file.read());
            if (announce) {
                LOG.info(() -> file.path()
                        + (had
                                ? ": token file changed; the new token is in use, the old one refused"
                                : ": token file written; its token is in use"));
            }
        } catch (TokenFile.TokenFileException e) {
            token = Optional.empty();
            LOG.warning(() -> e.getMessage() + "; no request is let in with this token until it is fixed");
        }
    }

    /** What identifies one version of the file: a rotation replaces the file, so its key and time change. */
    private record Stamp(Object key, long size, FileTime modified, FileTime changed) {
        static Stamp of(Path path) {
            try {
                BasicFileAttributes a =
                        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return new Stamp(a.fileKey(), a.size(), a.lastModifiedTime(), changed(path));
            } catch (IOException e) {
                return missing();
            }
        }

        static Stamp missing() {
            return new Stamp(null, -1, FileTime.fromMillis(0), FileTime.fromMillis(0));
        }

        /** Returns the inode's change time where the platform has one (an edit in place within one tick). */
        private static FileTime changed(Path path) throws IOException {
            try {
                return (FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return FileTime.fromMillis(0);
            }
        }
    }
}
