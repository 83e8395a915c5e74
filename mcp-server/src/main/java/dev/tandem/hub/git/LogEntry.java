package dev.tandem.hub.git;

import java.time.Instant;
import java.util.Objects;

/**
 * One commit of a history.
 *
 * @param id the full commit id
 * @param author the author's name
 * @param email the author's e-mail
 * @param date when it was authored
 * @param subject the first line of the message
 */
public record LogEntry(String id, String author, String email, Instant date, String subject) {
    public LogEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(subject, "subject");
    }
}
