package dev.tandem.hub.fs;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The shape by which git takes a folder of any name for a git directory, as {@code is_git_directory} in git's
 * {@code setup.c} tells: a {@code HEAD} file (or link), and {@code objects} and {@code refs} in the folder or in the
 * one its {@code commondir} file names. Git finds such a folder when run in it or below ({@code
 * safe.bareRepository} is {@code all} by default) and runs the programs its {@code config} names.
 *
 * <p>Judged conservatively, one piece short of git: a {@code HEAD} with any one of {@code objects}, {@code refs} or
 * {@code commondir} counts, so the last piece cannot come from another program (a build's {@code objects} folder, a
 * {@code mkdir}) or from {@code GIT_OBJECT_DIRECTORY}, with which git asks for no {@code objects}. Any entry of those
 * names counts, whatever it holds; a {@code commondir} counts without looking where it leads; names are compared as
 * file systems that fold names compare them ({@link GitMetadata#fold}). See
 * https://github.com/git/git/blob/master/setup.c.
 */
final class GitShape {
    /** The pieces, for messages. */
    static final String PIECES = "HEAD with objects, refs or commondir";

    private static final Set<String> NAMES = Set.of("head", "objects", "refs", "commondir");

    private GitShape() {}

    /**
     * Returns whether {@code dir} is a git directory by its shape, as git's {@code is_git_directory} tells: a bare
     * repository ({@code app.git}) or one a {@code .git} file points to, whatever its name.
     */
    static boolean isGitDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve("HEAD"))
                && Files.isDirectory(dir.resolve("objects"))
                && Files.isDirectory(dir.resolve("refs"));
    }

    /**
     * Returns whether {@code dir} would have a git directory's shape once {@code child} exists in it: a file when
     * {@code file}, else a folder.
     */
    static boolean wouldBeGitDirectory(Path dir, String child, boolean file) {
        boolean head = (file && is(child, "HEAD")) || headFile(dir.resolve("HEAD"));
        if (!head) {
            return false;
        }
        for (String piece : List.of("objects", "refs", "commondir")) {
            if (is(child, piece) || present(dir.resolve(piece))) {
                return true;
            }
        }
        return false;
    }

    /** Returns whether writing {@code target} creates or replaces an entry named as one of the pieces. */
    static boolean touchesPieces(WriteTarget target) {
        if (NAMES.contains(GitMetadata.fold(target.name()))) {
            return true;
        }
        return target.missing().stream().anyMatch(m -> NAMES.contains(GitMetadata.fold(m)));
    }

    /** git reads HEAD as a link ({@code refs/…}) or a file; a folder named HEAD is none. */
    private static boolean headFile(Path head) {
        return Files.isSymbolicLink(head) || (present(head) && !Files.isDirectory(head, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean present(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean is(String name, String piece) {
        return GitMetadata.fold(name).equals(GitMetadata.fold(piece));
    }
}
