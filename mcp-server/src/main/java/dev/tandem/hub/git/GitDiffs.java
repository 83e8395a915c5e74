package dev.tandem.hub.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.Sequence;
import org.eclipse.jgit.diff.SequenceComparator;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.QuotedString;

/**
 * Unified diffs between the work tree, the index and revisions, cut at a byte cap. A file with more than {@value
 * #MAX_DIFF_LINES} lines on either side, or whose changed part spans more than {@value #MAX_REGION} as the product of
 * its two sides' lengths in lines, is listed, but its change is shown as one line saying it is too large to diff: the time to
 * compute a diff can grow with the product of the two sides' lengths (two sides of different random lines drive
 * JGit's histogram diff into its quadratic fallback), and the computation cannot be interrupted.
 */
final class GitDiffs {
    /** The most lines either side of a file may have for its change to be computed. */
    static final int MAX_DIFF_LINES = 50_000;
    /**
     * The largest product of the two sides' lengths, in lines, of the part of a file that changed (from its first
     * changed line to its last) whose change is computed: 10,000 lines rewritten into 10,000 others, a few seconds
     * of a core at worst.
     */
    static final long MAX_REGION = 100_000_000L;

    private GitDiffs() {}

    /**
     * Returns the diff {@code request} asks for.
     *
     * @param workTree the work tree as the hub reads it, for the mode that compares it with the index
     * @param denied paths whose content is withheld: they are listed, and the text says so instead of the change
     */
    static DiffReport diff(Repository repo, DiffRequest request, WorkingTreeIterator workTree, DeniedPaths denied)
            throws IOException {
        try (ObjectReader reader = repo.newObjectReader()) {
            AbstractTreeIterator oldSide;
            AbstractTreeIterator newSide;
            Optional<TreeFilter> pathFilter = request.path()
                    .map(GitDiffs::repoPath)
                    .filter(p -> !p.isEmpty())
                    .map(PathFilter::create);
            TreeFilter filter = pathFilter.orElse(TreeFilter.ALL);
            switch (request.mode()) {
                case WORKTREE -> {
                    oldSide = new DirCacheIterator(repo.readDirCache());
                    newSide = workTree;
                    // Untracked and ignored files are not part of `git diff`; never descend into them.
                    filter = pathFilter
                            .<TreeFilter>map(f -> AndTreeFilter.create(f, new InIndexFilter()))
                            .orElseGet(InIndexFilter::new);
                }
                case STAGED -> {
                    oldSide = tree(repo, reader, Constants.HEAD, true);
                    newSide = new DirCacheIterator(repo.readDirCache());
                }
                case REVISIONS -> {
                    oldSide = tree(repo, reader, request.from().orElseThrow(), false);
                    newSide = tree(repo, reader, request.to().orElse(Constants.HEAD), false);
                }
                default -> throw new IllegalStateException("unknown mode " + request.mode());
            }
            return format(repo, oldSide, newSide, filter, request.maxBytes(), denied);
        }
    }

    private static DiffReport format(
            Repository repo,
            AbstractTreeIterator oldSide,
            AbstractTreeIterator newSide,
            TreeFilter filter,
            int max,
            DeniedPaths denied)
            throws IOException {
        CappedStream out = new CappedStream(max);
        List<FileChange> files = new ArrayList<>();
        try (DiffFormatter f = new DiffFormatter(out)) {
            f.setRepository(repo);
            f.setPathFilter(filter);
            f.setDetectRenames(true);
            f.setDiffAlgorithm(new LineBound(DiffAlgorithm.getAlgorithm(repo.getConfig()
                    .getEnum(
                            ConfigConstants.CONFIG_DIFF_SECTION,
                            null,
                            ConfigConstants.CONFIG_KEY_ALGORITHM,
                            DiffAlgorithm.SupportedAlgorithm.HISTOGRAM))));
            List<DiffEntry> entries = f.scan(oldSide, newSide);
            for (DiffEntry e : entries) {
                files.add(new FileChange(
                        e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath(),
                        change(e.getChangeType())));
            }
            try {
                for (DiffEntry e : entries) {
                    // A rename or copy is withheld when either side is denied: the content is the same file's.
                    Optional<String> secret =
                            sides(e).stream().filter(denied::denied).findFirst();
                    if (secret.isPresent()) {
                        f.flush();
                        out.write(withheld(e, secret.get()));
                    } else {
                        try {
                            f.format(e);
                        } catch (TooLarge t) {
                            // nothing of this file was written yet: the formatter computes the change first
                            f.flush();
                            out.write(tooLarge(e));
                        }
                    }
                }
                f.flush();
            } catch (CapReached e) {
                // the text stops at the cap; the file list above is still complete
            }
        }
        return new DiffReport(out.text(), out.truncated, files);
    }

    /** Returns the paths an entry touches: the new one, and the old one when it differs. */
    private static List<String> sides(DiffEntry e) {
        return switch (e.getChangeType()) {
            case ADD -> List.of(e.getNewPath());
            case DELETE, MODIFY -> List.of(e.getOldPath());
            case RENAME, COPY -> List.of(e.getOldPath(), e.getNewPath());
        };
    }

    /** Returns the header {@code git diff} would print for {@code e} and, instead of the change, one note. */
    private static byte[] withheld(DiffEntry e, String secret) {
        String oldPath = e.getChangeType() == DiffEntry.ChangeType.ADD ? e.getNewPath() : e.getOldPath();
        String newPath = e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath();
        return ("diff --git " + QuotedString.GIT_PATH.quote("a/" + oldPath) + " "
                        + QuotedString.GIT_PATH.quote("b/" + newPath) + "\n"
                        + DeniedPaths.withheld(QuotedString.GIT_PATH.quote(secret)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the header {@code git diff} would print for {@code e} and, instead of the change, one note. */
    private static byte[] tooLarge(DiffEntry e) {
        String oldPath = e.getChangeType() == DiffEntry.ChangeType.ADD ? e.getNewPath() : e.getOldPath();
        String newPath = e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath();
        return ("diff --git " + QuotedString.GIT_PATH.quote("a/" + oldPath) + " "
                        + QuotedString.GIT_PATH.quote("b/" + newPath) + "\n"
                        + "# too large to diff: a side has more than " + MAX_DIFF_LINES + " lines, or its changed"
                        + " part more than " + MAX_REGION + " as the product of the two sides' lengths in lines\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Thrown by {@link LineBound} instead of diffing sequences that are too long. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("too large to diff", null, false, false);
        }
    }

    /**
     * A diff algorithm that refuses sides longer than {@value #MAX_DIFF_LINES} lines, and a changed part whose
     * sides' lengths multiply to more than {@value #MAX_REGION}.
     */
    private static final class LineBound extends DiffAlgorithm {
        private final DiffAlgorithm inner;

        LineBound(DiffAlgorithm inner) {
            this.inner = inner;
        }

        @Override
        public <S extends Sequence> EditList diff(SequenceComparator<? super S> cmp, S a, S b) {
            if (a.size() > MAX_DIFF_LINES || b.size() > MAX_DIFF_LINES) {
                throw new TooLarge();
            }
            Edit region = cmp.reduceCommonStartEnd(a, b, new Edit(0, a.size(), 0, b.size()));
            if ((long) region.getLengthA() * region.getLengthB() > MAX_REGION) {
                throw new TooLarge();
            }
            return inner.diff(cmp, a, b);
        }

        @Override
        public <S extends Sequence> EditList diffNonCommon(SequenceComparator<? super S> cmp, S a, S b) {
            return inner.diffNonCommon(cmp, a, b);
        }
    }

    private static String change(DiffEntry.ChangeType type) {
        return switch (type) {
            case ADD -> "added";
            case MODIFY -> "modified";
            case DELETE -> "deleted";
            case RENAME -> "renamed";
            case COPY -> "copied";
        };
    }

    private static AbstractTreeIterator tree(Repository repo, ObjectReader reader, String rev, boolean unbornOk)
            throws IOException {
        ObjectId id;
        try {
            id = repo.resolve(rev + "^{tree}");
        } catch (RevisionSyntaxException | AmbiguousObjectException e) {
            throw new GitException("revision '" + rev + "' is not valid: " + e.getMessage(), e);
        }
        if (id == null) {
            if (unbornOk) {
                return new EmptyTreeIterator();
            }
            throw new GitException("revision '" + rev + "' not found");
        }
        AttributeRules.checkTree(reader, id, "revision '" + rev + "'", new java.util.HashSet<>());
        CanonicalTreeParser p = new CanonicalTreeParser();
        p.reset(reader, id);
        return p;
    }

    /** Returns {@code path} as JGit wants it: {@code /} separators, no leading {@code ./} or {@code /}. */
    static String repoPath(String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(".") ? "" : p;
    }

    /** Keeps entries the index (tree 0) knows, so untracked folders are skipped without being read. */
    private static final class InIndexFilter extends TreeFilter {
        @Override
        public boolean include(TreeWalk walker) {
            return walker.getTree(0, DirCacheIterator.class) != null;
        }

        @Override
        public boolean shouldBeRecursive() {
            return false;
        }

        @Override
        public TreeFilter clone() {
            return this;
        }
    }

    /** Thrown by {@link CappedStream} to stop the formatter once the cap is reached. */
    private static final class CapReached extends IOException {
        private static final long serialVersionUID = 1L;

        CapReached() {
            super("diff cap reached");
        }
    }

    /** Keeps the first {@code max} bytes and stops the writer after that. */
    private static final class CappedStream extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int max;
        private boolean truncated;

        CappedStream(int max) {
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int room = max - bytes.size();
            if (len <= room) {
                bytes.write(b, off, len);
                return;
            }
            bytes.write(b, off, Math.max(room, 0));
            truncated = true;
            throw new CapReached();
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
