package dev.tandem.hub.fs;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Tells git metadata ({@code .git} folders and {@code .git} files, at any depth) from ordinary files, the way git
 * itself does before it checks out a path: a name is {@code .git} if it is, ignoring case, after dropping the code
 * points HFS+ ignores, and after dropping what NTFS ignores or reads as an alternate stream (trailing dots and
 * spaces, {@code :stream}); {@code git~1} is the NTFS short name of {@code .git}.
 *
 * <p>See {@code is_hfs_dotgit} and {@code is_ntfs_dotgit} in git's {@code utf8.c} and {@code path.c}
 * (https://github.com/git/git/blob/master/path.c). Everything git would run lives in there (configuration with
 * filters and {@code core.hooksPath}, hooks), so the fs tools never write it.
 */
public final class GitMetadata {
    private GitMetadata() {}

    /** Returns whether any name of {@code path} is {@code .git} to some file system. */
    public static boolean inside(Path path) {
        for (Path name : path) {
            if (isGitName(name.toString())) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether {@code name} (one path component) is {@code .git} to some file system. */
    public static boolean isGitName(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().filter(cp -> !hfsIgnorable(cp)).forEach(b::appendCodePoint);
        String n = b.toString().toLowerCase(Locale.ROOT);
        int stream = n.indexOf(':');
        if (stream >= 0) {
            n = n.substring(0, stream);
        }
        int end = n.length();
        while (end > 0 && (n.charAt(end - 1) == '.' || n.charAt(end - 1) == ' ')) {
            end--;
        }
        n = n.substring(0, end);
        return n.equals(".git") || n.equals("git~1");
    }

    /** The code points HFS+ leaves out when it compares names (git's {@code next_hfs_char}). */
    private static boolean hfsIgnorable(int cp) {
        return (cp >= 0x200c && cp <= 0x200f)
                || (cp >= 0x202a && cp <= 0x202e)
                || (cp >= 0x206a && cp <= 0x206f)
                || cp == 0xfeff;
    }
}
