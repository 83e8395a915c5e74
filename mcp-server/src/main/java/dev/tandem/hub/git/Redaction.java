package dev.tandem.hub.git;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text shown to callers or logs: user info in URLs ({@code user:pass@}), secret query
 * parameters ({@code ?access_token=…}), {@code Authorization} values, config values and fragments JGit quotes in
 * its messages (a config include may name any file), and the configured tokens themselves.
 */
final class Redaction {
    static final String HIDDEN = "***";

    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");
    private static final Pattern SECRET_QUERY = Pattern.compile(
            "(?i)([?&;][^=&;\\s#]*(?:token|secret|pass|pwd|key|auth|sig|code|credential|session)[^=&;\\s#]*=)[^&;\\s#]*");
    private static final Pattern AUTHORIZATION =
            Pattern.compile("(?i)\\b((?:proxy-)?authorization\\s*[:=]\\s*)(?:[a-z]+\\s+)?[^\\s,;]+");
    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b(basic|bearer|digest)\\s+[a-z0-9._~+/=-]{6,}");
    /** JGit's "Invalid boolean value: core.bare=VALUE", "Integer value a.b = VALUE not in range …" and the like. */
    private static final Pattern CONFIG_VALUE = Pattern.compile("(?i)(\\bvalue:?\\s[^=\\n]{0,200}?=\\s*)\\S.*");
    /** JGit's config parser messages that quote what it read: "Bad entry name: TEXT" and the like. */
    private static final Pattern CONFIG_FRAGMENT = Pattern.compile(
            "(?i)(bad entry name|bad section entry|bad escape|invalid line in config file|bad group header):.*");

    private Redaction() {}

    /** Returns {@code text} without secrets in the generic forms; null becomes the empty string. */
    static String redact(String text) {
        return redact(text, List.of());
    }

    /** Returns {@code text} without secrets in the generic forms, nor any of {@code secrets}, on one line. */
    static String redact(String text, Collection<String> secrets) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String secret : secrets) {
            if (secret.length() >= 4) {
                out = out.replace(secret, HIDDEN);
            }
        }
        out = USER_INFO.matcher(out).replaceAll("");
        out = SECRET_QUERY.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
        out = AUTHORIZATION.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
        out = AUTH_SCHEME.matcher(out).replaceAll("$1 " + Matcher.quoteReplacement(HIDDEN));
        out = CONFIG_FRAGMENT.matcher(out).replaceAll("$1: " + Matcher.quoteReplacement(HIDDEN));
        out = CONFIG_VALUE.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
        return oneLine(out, Integer.MAX_VALUE);
    }

    /** Returns {@code text} redacted line by line, keeping its line breaks. */
    static String redactLines(String text, Collection<String> secrets) {
        return String.join("\n", text.lines().map(l -> redact(l, secrets)).toList());
    }

    /** Returns {@code text} with every run of white space (line breaks too) as one space, cut at {@code max}. */
    static String oneLine(String text, int max) {
        String one = text.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max) + "…";
    }
}
