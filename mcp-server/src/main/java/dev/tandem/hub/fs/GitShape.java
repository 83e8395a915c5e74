package dev.tandem.hub.fs;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The shape by which git takes a folder of any name for a git directory, as {@code is_git_directory} in git's
 * {@code setup.c} tells: a {@code HEAD} file (or link), and {@code objects} and {@code refs} in the folder or in the
 * one its {@code commondir} file names. Git finds such a folder when run in it or below ({@code
 * safe.bareRepository} is {@code all} by default) and runs the programs its {@code config} names.
 *
 * <p>Judged conservatively: any entry of those names counts, whatever it holds, and a {@code commondir} counts
 * without looking where it leads. See https://github.com/git/git/blob/master/setup.c.
 */
final class GitShape {
    /** The pieces, for messages. */
    static final String PIECES = "HEAD with objects and refs, or HEAD with commondir";

    private static final Set<String> NAMES = Set.of("head", "objects", "refs", "commondir");

    private GitShape() {}

    /**
     * Returns whether {@code dir} would have a git directory's shape once {@code child} exists in it: a file when
     * {@code file}, else a folder.
     */
    static boolean wouldBeGitDirectory(Path dir, String child, boolean file) {
        boolean head = (file && is(child, "HEAD")) || headFile(dir.resolve("HEAD"));
        if (!head) {
            return false;
        }
        boolean objects = is(child, "objects") || present(dir.resolve("objects"));
        boolean refs = is(child, "refs") || present(dir.resolve("refs"));
        return (objects && refs) || is(child, "commondir") || present(dir.resolve("commondir"));
    }

    /** Returns whether writing {@code target} creates or replaces an entry named as one of the pieces. */
    static boolean touchesPieces(WriteTarget target) {
        if (NAMES.contains(target.name().toLowerCase(Locale.ROOT))) {
            return true;
        }
        return target.missing().stream().anyMatch(m -> NAMES.contains(m.toLowerCase(Locale.ROOT)));
    }

    /** git reads HEAD as a link ({@code refs/…}) or a file; a folder named HEAD is none. */
    private static boolean headFile(Path head) {
        return Files.isSymbolicLink(head) || (present(head) && !Files.isDirectory(head, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean present(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean is(String name, String piece) {
        return name.equalsIgnoreCase(piece);
    }
}
