package dev.tandem.hub.runs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text a run reports before anything stores or returns it: the exact values it was given
 * (the hub token, the values of secret-looking environment variables) and the shapes of common keys and tokens.
 */
public final class Redactor {
    /** What a secret is replaced with. */
    public static final String MARK = "[redacted]";

    /** Values shorter than this are not treated as secrets: they would redact ordinary words. */
    static final int MIN_SECRET_CHARS = 8;

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH).*");

    /** Key and token shapes, each replaced whole (group 1, when present, is kept). */
    private static final List<Pattern> SHAPES = List.of(
            Pattern.compile("(?i)(authorization\\s*[:=]\\s*\"?(?:bearer|basic|token)\\s+)[A-Za-z0-9._~+/=-]{8,}"),
            Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{16,}"),
            Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"),
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"),
            Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{20,}"),
            Pattern.compile("\\bxox[abpr]-[A-Za-z0-9-]{10,}"),
            Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"),
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"),
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\\z)"),
            Pattern.compile("(://)[^/@\\s:]+:[^/@\\s]+(?=@)"),
            Pattern.compile(
                    "(?i)(\\b[A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY)[A-Z0-9_]*\\s*[=:]\\s*\"?)"
                            + "[^\\s\"']{8,}"));

    private final List<String> literals;

    private Redactor(Collection<String> literals) {
        List<String> sorted = new ArrayList<>();
        for (String s : literals) {
            if (s != null && s.length() >= MIN_SECRET_CHARS && !sorted.contains(s)) {
                sorted.add(s);
            }
        }
        // longest first, so a secret that contains another is removed whole
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.literals = List.copyOf(sorted);
    }

    /** Returns a redactor for these exact values (those shorter than {@value #MIN_SECRET_CHARS} are ignored). */
    public static Redactor of(Collection<String> secrets) {
        return new Redactor(secrets);
    }

    /**
     * Returns a redactor for {@code secrets} and for the values of every variable in {@code env} whose name looks
     * secret ({@code *TOKEN*}, {@code *SECRET*}, {@code *API_KEY*}, {@code *PASSWORD*}, …).
     */
    public static Redactor forEnvironment(Map<String, String> env, Collection<String> secrets) {
        List<String> all = new ArrayList<>(secrets);
        env.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                all.add(value);
            }
        });
        return new Redactor(all);
    }

    /** Returns {@code text} with every secret replaced by {@value #MARK}. */
    public String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String out = text;
        for (String secret : literals) {
            out = out.replace(secret, MARK);
        }
        for (Pattern p : SHAPES) {
            Matcher m = p.matcher(out);
            if (m.find()) {
                out = m.replaceAll(r ->
                        Matcher.quoteReplacement((r.groupCount() >= 1 && r.group(1) != null ? r.group(1) : "") + MARK));
            }
        }
        return out;
    }
}
