package dev.tandem.hub.fs;

import dev.tandem.core.fs.RegularFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * The {@code .gitignore} rules in force for one folder: its own file, then each parent's, nearest first, then
 * (for the git tools, {@link #of}) the repository's {@code info/exclude} and the person's {@code
 * core.excludesFile}.
 *
 * <p>Parsing and matching are JGit's ({@link IgnoreNode}), so the rules mean what they mean to git; a rule whose
 * matching could take exponential time is left out ({@link #bounded}). A file is read only if it is a regular file
 * of at most {@value #MAX_BYTES} bytes, without ever blocking ({@link RegularFiles}); any other ignores nothing.
 */
public final class GitIgnores {
    public static final GitIgnores NONE = new GitIgnores(Optional.empty(), "", Optional.empty());
    /** The most {@code *} runs in one segment (and {@code **} segments in one rule) of a rule that is honoured. */
    public static final int MAX_STARS = 2;
    /** A larger {@code .gitignore} is not read. */
    static final long MAX_BYTES = 1024 * 1024;

    private final Optional<GitIgnores> parent;
    /** This folder's path relative to the parent's folder, ending in {@code /} (empty for the top). */
    private final String prefix;

    private final Optional<IgnoreNode> node;

    private GitIgnores(Optional<GitIgnores> parent, String prefix, Optional<IgnoreNode> node) {
        this.parent = parent;
        this.prefix = prefix;
        this.node = node;
    }

    /**
     * Returns the rules for the sub-folder {@code name} of the folder these rules are for.
     *
     * @param gitignore the sub-folder's own {@code .gitignore}, when its listing showed one
     */
    public GitIgnores child(String name, Optional<Path> gitignore) {
        Optional<IgnoreNode> own = gitignore.flatMap(GitIgnores::load);
        if (own.isEmpty() && node.isEmpty() && parent.isEmpty()) {
            return this; // nothing to remember above and nothing here: stay flat
        }
        return new GitIgnores(Optional.of(this), name + "/", own);
    }

    /**
     * Returns the rules of the top folder of a work tree: {@code files} first (each later file's rules win over
     * the earlier ones', as git's {@code core.excludesFile} then {@code info/exclude}), then the folder's own {@code
     * .gitignore}. A file in {@code files} is read through its links; {@code .gitignore} never is, as git since
     * 2.32.
     */
    public static GitIgnores of(List<Path> files, Path gitignore) {
        GitIgnores out = NONE;
        for (Path f : files) {
            out = out.same(load(realOrAsIs(f)));
        }
        return out.same(load(gitignore));
    }

    /** Returns these rules with {@code own}, rules for the same folder that win over them, on top. */
    private GitIgnores same(Optional<IgnoreNode> own) {
        if (own.isEmpty()) {
            return this;
        }
        if (node.isEmpty() && parent.isEmpty()) {
            return new GitIgnores(Optional.empty(), "", own);
        }
        return new GitIgnores(Optional.of(this), "", own);
    }

    private static Path realOrAsIs(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** Returns whether {@code name}, an entry of this folder, is ignored. */
    public boolean ignored(String name, boolean isDir) {
        String rel = name;
        GitIgnores g = this;
        while (true) {
            if (g.node.isPresent()) {
                Boolean r = g.node.get().checkIgnored(rel, isDir);
                if (r != null) {
                    return r;
                }
            }
            if (g.parent.isEmpty()) {
                return false;
            }
            rel = g.prefix + rel;
            g = g.parent.get();
        }
    }

    private static Optional<IgnoreNode> load(Path file) {
        IgnoreNode parsed = new IgnoreNode();
        try {
            byte[] bytes = RegularFiles.read(file, Optional.empty(), MAX_BYTES);
            parsed.parse(file.toString(), new ByteArrayInputStream(bytes));
        } catch (IOException | FsException e) {
            return Optional.empty(); // an unreadable .gitignore ignores nothing, as in git
        }
        List<FastIgnoreRule> rules =
                parsed.getRules().stream().filter(GitIgnores::bounded).toList();
        return rules.isEmpty() ? Optional.empty() : Optional.of(new IgnoreNode(rules));
    }

    /**
     * Returns whether matching {@code rule} takes bounded time. JGit matches a segment with wildcards through a
     * backtracking regular expression, whose time grows as the name's length to the power of the segment's {@code
     * *} runs; a rule with more than {@value #MAX_STARS} runs in one segment, or more than {@value #MAX_STARS}
     * {@code **} segments, is not honoured (its files are searched, not hidden).
     */
    static boolean bounded(FastIgnoreRule rule) {
        return bounded(rule.toString());
    }

    /**
     * Returns whether matching the git wildcard pattern {@code pattern} (a {@code .gitignore} or {@code
     * .gitattributes} pattern) takes bounded time; see {@link #bounded(FastIgnoreRule)}.
     */
    public static boolean bounded(String pattern) {
        int doubleStars = 0;
        for (String segment : pattern.split("/", -1)) {
            if (segment.equals("**")) {
                doubleStars++;
            } else if (starRuns(segment) > MAX_STARS) {
                return false;
            }
        }
        return doubleStars <= MAX_STARS;
    }

    private static int starRuns(String segment) {
        int runs = 0;
        for (int i = 0; i < segment.length(); i++) {
            if (segment.charAt(i) == '*' && (i == 0 || segment.charAt(i - 1) != '*')) {
                runs++;
            }
        }
        return runs;
    }
}
