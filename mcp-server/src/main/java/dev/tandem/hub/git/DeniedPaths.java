package dev.tandem.hub.git;

import dev.tandem.hub.fs.DenyList;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The hub's deny list ({@code [fs] deny}) applied to one repository's paths, taken once per tool call: a
 * repository-relative path is denied when the file it names in the work tree would be refused by the fs tools.
 *
 * <p>The git tools may name such a path (status, the file list of a diff, a refusal) but never show its content,
 * never record new content for it in a commit and never push a commit that does.
 */
final class DeniedPaths {
    /** How many paths a refusal names before it says how many more there are. */
    private static final int SHOWN = 10;

    private final DenyList.Resolved deny;
    private final Path workTree;

    DeniedPaths(DenyList deny, Path workTree) {
        this.deny = deny.resolve();
        this.workTree = workTree.toAbsolutePath().normalize();
    }

    /** Returns whether {@code repoPath} ({@code /}-separated, relative to the work tree) is on the deny list. */
    boolean denied(String repoPath) {
        return deny.denied(workTree.resolve(repoPath).normalize());
    }

    /** Returns whether the work tree itself, or a folder above it, is on the deny list. */
    boolean wholeTreeDenied() {
        return deny.denied(workTree);
    }

    /** Returns the denied ones of {@code repoPaths}, sorted. */
    List<String> of(Collection<String> repoPaths) {
        TreeSet<String> out = new TreeSet<>();
        for (String p : repoPaths) {
            if (denied(p)) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    /** Returns {@code paths} quoted and joined, cut after the first few. */
    static String show(List<String> paths) {
        List<String> shown = paths.stream().limit(SHOWN).map(p -> "'" + p + "'").toList();
        String more = paths.size() > SHOWN ? " and " + (paths.size() - SHOWN) + " more" : "";
        return String.join(", ", shown) + more;
    }

    /** The note a diff shows instead of a denied file's content. */
    static String withheld(String repoPath) {
        return "(content withheld: " + repoPath + " is on the hub's deny list, see docs/fs.md)";
    }
}
