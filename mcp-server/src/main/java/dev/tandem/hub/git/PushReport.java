package dev.tandem.hub.git;

import java.util.Objects;

/**
 * A push that the remote accepted.
 *
 * @param remote the remote's name
 * @param url the remote's URL without user info
 * @param source the local ref pushed
 * @param destination the remote ref updated
 * @param status {@code ok} or {@code up_to_date}
 * @param forced whether the update was allowed to rewrite history
 * @param messages what the remote printed, if anything
 */
public record PushReport(
        String remote, String url, String source, String destination, String status, boolean forced, String messages) {
    public PushReport {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(messages, "messages");
    }
}
