package dev.tandem.hub.git;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code git_diff} compares.
 *
 * @param mode the two sides
 * @param from the old revision ({@link Mode#REVISIONS} only)
 * @param to the new revision ({@link Mode#REVISIONS} only; HEAD when absent)
 * @param path limit to this repository-relative file or folder
 * @param maxBytes the largest diff text returned
 */
public record DiffRequest(Mode mode, Optional<String> from, Optional<String> to, Optional<String> path, int maxBytes) {
    /** The two sides of a diff. */
    public enum Mode {
        /** Work tree against the index: what {@code git diff} shows. */
        WORKTREE,
        /** Index against HEAD: what {@code git diff --cached} shows. */
        STAGED,
        /** One revision against another: {@code git diff FROM TO}. */
        REVISIONS
    }

    public DiffRequest {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(path, "path");
        if (maxBytes < 1) {
            throw new GitException("max_bytes must be positive, got " + maxBytes);
        }
        if (mode == Mode.REVISIONS && from.isEmpty()) {
            throw new GitException("mode 'revisions' needs 'from' (and optionally 'to', default HEAD)");
        }
        if (mode != Mode.REVISIONS && (from.isPresent() || to.isPresent())) {
            throw new GitException("'from' and 'to' need mode 'revisions'");
        }
    }
}
