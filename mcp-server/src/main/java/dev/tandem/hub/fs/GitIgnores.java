package dev.tandem.hub.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * The {@code .gitignore} rules in force for one folder: its own file, then each parent's, nearest first.
 *
 * <p>Parsing and matching are JGit's ({@link IgnoreNode}), so the rules mean what they mean to git.
 */
final class GitIgnores {
    static final GitIgnores NONE = new GitIgnores(Optional.empty(), "", Optional.empty());

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
    GitIgnores child(String name, Optional<Path> gitignore) {
        Optional<IgnoreNode> own = gitignore.flatMap(GitIgnores::load);
        if (own.isEmpty() && node.isEmpty() && parent.isEmpty()) {
            return this; // nothing to remember above and nothing here: stay flat
        }
        return new GitIgnores(Optional.of(this), name + "/", own);
    }

    /** Returns whether {@code name}, an entry of this folder, is ignored. */
    boolean ignored(String name, boolean isDir) {
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
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        IgnoreNode n = new IgnoreNode();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            n.parse(file.toString(), in);
        } catch (IOException e) {
            return Optional.empty(); // an unreadable .gitignore ignores nothing, as in git
        }
        return n.getRules().isEmpty() ? Optional.empty() : Optional.of(n);
    }
}
