package dev.tandem.hub.fs;

import java.nio.file.Path;
import java.text.Normalizer;
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
        String n = fold(name);
        return n.equals(".git") || n.equals("git~1");
    }

    /**
     * Returns {@code name} (one path component) as a file system that folds names compares it: without the code
     * points HFS+ ignores, cut before an NTFS stream ({@code :…}), without the trailing dots and spaces NTFS drops,
     * in Unicode normalisation form C (HFS+ and APFS compare decomposed and composed forms alike) and case folded
     * (upper then lower case, so {@code ſ} and the Kelvin sign fold as {@code s} and {@code k}). The deny lists
     * compare every name this way too.
     */
    public static String fold(String name) {
        if (plainAscii(name)) {
            return name.toLowerCase(Locale.ROOT);
        }
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().filter(cp -> !hfsIgnorable(cp)).forEach(b::appendCodePoint);
        String n = Normalizer.normalize(b, Normalizer.Form.NFC)
                .toUpperCase(Locale.ROOT)
                .toLowerCase(Locale.ROOT);
        int stream = n.indexOf(':');
        if (stream >= 0) {
            n = n.substring(0, stream);
        }
        int end = n.length();
        while (end > 0 && (n.charAt(end - 1) == '.' || n.charAt(end - 1) == ' ')) {
            end--;
        }
        return n.substring(0, end);
    }

    /** Returns whether {@code name} is printable ASCII without {@code :} that does not end in a dot or space. */
    private static boolean plainAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ':') {
                return false;
            }
        }
        return !name.isEmpty() && name.charAt(name.length() - 1) != '.';
    }

    /** The code points HFS+ leaves out when it compares names (git's {@code next_hfs_char}). */
    private static boolean hfsIgnorable(int cp) {
        return (cp >= 0x200c && cp <= 0x200f)
                || (cp >= 0x202a && cp <= 0x202e)
                || (cp >= 0x206a && cp <= 0x206f)
                || cp == 0xfeff;
    }
}
