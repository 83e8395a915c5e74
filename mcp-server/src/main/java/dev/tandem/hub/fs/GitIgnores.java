package dev.tandem.hub.fs;

import dev.tandem.core.fs.FileTooLargeException;
import dev.tandem.core.fs.RegularFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Rules read with a {@link Refusal} ({@link #of(List, Path, Refusal)}, the git tools) leave nothing out: where a
 * rule would be left out, or a file is larger than {@value #MAX_BYTES} bytes, the refusal is thrown instead, naming
 * the file (and the rule's line). Leaving a rule out only widens what {@code fs_search} looks at, but {@code
 * git_commit} would stage and record the files the rule ignores, secrets among them.
 */
public final class GitIgnores {
    public static final GitIgnores NONE = new GitIgnores(Optional.empty(), "", Optional.empty(), Optional.empty());
    /** The most {@code *} runs in one segment (and {@code **} segments in one rule) of a rule that is honoured. */
    public static final int MAX_STARS = 2;
    /** The most rules of one ignore file that are honoured (the git tools refuse a file with more). */
    public static final int MAX_RULES = 10_000;
    /** The most rules of one ignore file with two {@code *} runs in a segment, or two {@code **} segments. */
    public static final int MAX_WILD_RULES = 100;
    /** A larger {@code .gitignore} is not read. */
    static final long MAX_BYTES = 1024 * 1024;

    private final Optional<GitIgnores> parent;
    /** This folder's path relative to the parent's folder, ending in {@code /} (empty for the top). */
    private final String prefix;

    private final Optional<IgnoreNode> node;
    /** What a rule that would be left out, or a file too large, throws instead (the git tools); empty: left out. */
    private final Optional<Refusal> refusal;

    /** Makes the error for an ignore file that cannot be honoured whole. */
    @FunctionalInterface
    public interface Refusal {
        /**
         * Returns the error to throw.
         *
         * @param file the ignore file
         * @param line its line holding the rule (1 for the first), or 0 when the whole file is refused
         * @param problem what is wrong, without quoting the file
         */
        RuntimeException of(Path file, int line, String problem);
    }

    private GitIgnores(
            Optional<GitIgnores> parent, String prefix, Optional<IgnoreNode> node, Optional<Refusal> refusal) {
        this.parent = parent;
        this.prefix = prefix;
        this.node = node;
        this.refusal = refusal;
    }

    /**
     * Returns the rules for the sub-folder {@code name} of the folder these rules are for.
     *
     * @param gitignore the sub-folder's own {@code .gitignore}, when its listing showed one
     */
    public GitIgnores child(String name, Optional<Path> gitignore) {
        Optional<IgnoreNode> own = gitignore.flatMap(f -> load(f, refusal));
        if (own.isEmpty() && node.isEmpty() && parent.isEmpty()) {
            return this; // nothing to remember above and nothing here: stay flat
        }
        return new GitIgnores(Optional.of(this), name + "/", own, refusal);
    }

    /**
     * Returns the rules of the top folder of a work tree: {@code files} first (each later file's rules win over
     * the earlier ones', as git's {@code core.excludesFile} then {@code info/exclude}), then the folder's own {@code
     * .gitignore}. A file in {@code files} is read through its links; {@code .gitignore} never is, as git since
     * 2.32.
     */
    public static GitIgnores of(List<Path> files, Path gitignore) {
        return of(files, gitignore, Optional.empty());
    }

    /**
     * Returns the rules of the top folder of a work tree as {@link #of(List, Path)} does, and of its sub-folders
     * through {@link #child}, leaving nothing out: a rule that cannot be matched in bounded time, or a file larger
     * than {@value #MAX_BYTES} bytes, throws what {@code refusal} makes.
     */
    public static GitIgnores of(List<Path> files, Path gitignore, Refusal refusal) {
        return of(files, gitignore, Optional.of(refusal));
    }

    private static GitIgnores of(List<Path> files, Path gitignore, Optional<Refusal> refusal) {
        GitIgnores out = new GitIgnores(Optional.empty(), "", Optional.empty(), refusal);
        for (Path f : files) {
            out = out.same(load(realOrAsIs(f), refusal));
        }
        return out.same(load(gitignore, refusal));
    }

    /** Returns these rules with {@code own}, rules for the same folder that win over them, on top. */
    private GitIgnores same(Optional<IgnoreNode> own) {
        if (own.isEmpty()) {
            return this;
        }
        if (node.isEmpty() && parent.isEmpty()) {
            return new GitIgnores(Optional.empty(), "", own, refusal);
        }
        return new GitIgnores(Optional.of(this), "", own, refusal);
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

    private static Optional<IgnoreNode> load(Path file, Optional<Refusal> refusal) {
        IgnoreNode parsed = new IgnoreNode();
        try {
            byte[] bytes = RegularFiles.read(file, Optional.empty(), MAX_BYTES);
            int from = bom(bytes) ? 3 : 0; // git drops a UTF-8 byte-order mark; JGit would keep it in the first rule
            if (refusal.isPresent()) {
                refuseUnbounded(
                        file, new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8), refusal.get());
            }
            parsed.parse(file.toString(), new ByteArrayInputStream(bytes, from, bytes.length - from));
        } catch (FileTooLargeException e) {
            if (refusal.isPresent()) {
                throw refusal.get().of(file, 0, "larger than " + MAX_BYTES + " bytes");
            }
            return Optional.empty();
        } catch (IOException | FsException e) {
            return Optional.empty(); // an unreadable .gitignore ignores nothing, as in git
        }
        List<FastIgnoreRule> rules =
                parsed.getRules().stream().filter(GitIgnores::bounded).toList();
        if (refusal.isPresent() && rules.size() != parsed.getRules().size()) {
            throw refusal.get().of(file, 0, "a rule which cannot be matched in bounded time");
        }
        // each rule is matched against every name the walk meets: the rules of one file, and those with two runs
        // of * (whose time grows as the name's length squared), are capped, so one name costs milliseconds
        List<FastIgnoreRule> kept = new java.util.ArrayList<>();
        int wild = 0;
        for (FastIgnoreRule r : rules) {
            boolean isWild = !bounded(r.toString(), 1);
            wild += isWild ? 1 : 0;
            if (kept.size() < MAX_RULES && (!isWild || wild <= MAX_WILD_RULES)) {
                kept.add(r);
            }
        }
        if (kept.size() != rules.size() && refusal.isPresent()) {
            throw refusal.get()
                    .of(
                            file,
                            0,
                            "more than " + MAX_RULES + " rules, or more than " + MAX_WILD_RULES
                                    + " with two runs of * in one name or two ** parts, which cost too much to match");
        }
        rules = kept;
        return rules.isEmpty() ? Optional.empty() : Optional.of(new IgnoreNode(rules));
    }

    /** Throws what {@code refusal} makes for the first line of {@code bytes} holding a rule left out by {@link #load}. */
    private static void refuseUnbounded(Path file, String text, Refusal refusal) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String rule = lines[i].strip();
            if (!rule.isEmpty() && !rule.startsWith("#") && !bounded(rule)) {
                throw refusal.of(
                        file,
                        i + 1,
                        "a rule with more than " + MAX_STARS + " runs of * in one name, or more than " + MAX_STARS
                                + " ** parts, which cannot be matched in bounded time");
            }
        }
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
        return bounded(pattern, MAX_STARS);
    }

    private static boolean bom(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
    }

    /** Returns whether no segment of {@code pattern} has more than {@code max} runs of {@code *}, nor more {@code **}. */
    private static boolean bounded(String pattern, int max) {
        int doubleStars = 0;
        for (String segment : pattern.split("/", -1)) {
            if (segment.equals("**")) {
                doubleStars++;
            } else if (starRuns(segment) > max) {
                return false;
            }
        }
        return doubleStars <= max;
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
