package dev.tandem.hub.git;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a work tree, like {@code git status}.
 *
 * @param workTree the work tree's real path
 * @param branch the checked-out branch; empty when HEAD is detached
 * @param head the abbreviated id of HEAD; empty before the first commit
 * @param upstream the remote-tracking branch, e.g. {@code origin/main}
 * @param ahead commits on the branch that the upstream lacks
 * @param behind commits on the upstream that the branch lacks
 * @param staged index vs HEAD
 * @param unstaged work tree vs index (tracked files only)
 * @param untracked files git does not track and does not ignore
 * @param conflicting paths with unresolved merge conflicts
 * @param truncated whether some list was cut at the requested maximum
 */
public record StatusReport(
        String workTree,
        Optional<String> branch,
        Optional<String> head,
        Optional<String> upstream,
        int ahead,
        int behind,
        List<FileChange> staged,
        List<FileChange> unstaged,
        List<String> untracked,
        List<String> conflicting,
        boolean truncated) {
    public StatusReport {
        Objects.requireNonNull(workTree, "workTree");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(upstream, "upstream");
        staged = List.copyOf(staged);
        unstaged = List.copyOf(unstaged);
        untracked = List.copyOf(untracked);
        conflicting = List.copyOf(conflicting);
    }

    /** Returns whether nothing is staged, modified, untracked or conflicting. */
    public boolean clean() {
        return staged.isEmpty() && unstaged.isEmpty() && untracked.isEmpty() && conflicting.isEmpty();
    }
}
