package dev.tandem.hub.git;

import java.util.regex.Pattern;

/** Removes user info (which may carry a password or token) from URLs in text shown to callers or logs. */
final class Redaction {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

    private Redaction() {}

    static String redact(String text) {
        return text == null ? "" : USER_INFO.matcher(text).replaceAll("");
    }
}
