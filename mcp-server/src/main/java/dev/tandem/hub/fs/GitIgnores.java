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

    /** Returns the rules for {@code dir}, a child named {@code name} of the folder these rules are for. */
    GitIgnores child(Path dir, String name) {
        Optional<IgnoreNode> own = load(dir.resolve(".gitignore"));
        if (own.isEmpty() && node.isEmpty() && parent.isEmpty()) {
            return this; // nothing to remember above and nothing here: stay flat
        }
        return new GitIgnores(Optional.of(this), name + "/", own);
    }

    /** Returns the rules for the top folder of a search. */
    static GitIgnores top(Path dir) {
        Optional<IgnoreNode> own = load(dir.resolve(".gitignore"));
        return own.isEmpty() ? NONE : new GitIgnores(Optional.empty(), "", own);
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
