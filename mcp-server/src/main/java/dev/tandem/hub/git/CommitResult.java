package dev.tandem.hub.git;

import java.util.Objects;
import java.util.Optional;

/**
 * A commit that was made.
 *
 * @param id the new commit's full id
 * @param branch the branch it was made on; empty on a detached HEAD
 * @param author the author's name
 * @param email the author's e-mail
 * @param subject the first line of the message
 */
public record CommitResult(String id, Optional<String> branch, String author, String email, String subject) {
    public CommitResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(subject, "subject");
    }
}
