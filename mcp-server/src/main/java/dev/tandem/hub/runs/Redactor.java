package dev.tandem.hub.runs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text a run reports before anything stores or returns it: the exact values it was given
 * (the hub token, the values of secret-looking environment variables) and the shapes of common keys and tokens.
 * Values that change while the hub runs (a token rotated with {@code tandem token --rotate}, an engine's credential
 * made or rotated by {@code tandem sync push-runtime}) are asked for again on each {@link #apply}.
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
            // a fleet host key or an engine's key derived from it (dev.tandem.core.fleet.HostKey)
            Pattern.compile("\\bthk1\\.[A-Za-z0-9_-]{16,64}(?:\\.[a-z]+)?\\.[A-Za-z0-9_-]{16,64}"),
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\\z)"),
            Pattern.compile("(://)[^/@\\s:]+:[^/@\\s]+(?=@)"),
            Pattern.compile(
                    "(?i)(\\b[A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY)[A-Z0-9_]*\\s*[=:]\\s*\"?)"
                            + "[^\\s\"']{8,}"));

    private final List<String> fixed;
    private final Supplier<? extends Collection<String>> live;

    private Redactor(Collection<String> fixed, Supplier<? extends Collection<String>> live) {
        this.fixed = secrets(fixed);
        this.live = live;
    }

    /** Returns the secrets among {@code values}, longest first, so a secret that contains another is removed whole. */
    private static List<String> secrets(Collection<String> values) {
        List<String> sorted = new ArrayList<>();
        for (String s : values) {
            if (s != null && s.length() >= MIN_SECRET_CHARS && !sorted.contains(s)) {
                sorted.add(s);
            }
        }
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(sorted);
    }

    /** Returns a redactor for these exact values (those shorter than {@value #MIN_SECRET_CHARS} are ignored). */
    public static Redactor of(Collection<String> secrets) {
        return new Redactor(secrets, List::of);
    }

    /**
     * Returns a redactor for {@code secrets} and for the values of every variable in {@code env} whose name looks
     * secret ({@code *TOKEN*}, {@code *SECRET*}, {@code *API_KEY*}, {@code *PASSWORD*}, …).
     */
    public static Redactor forEnvironment(Map<String, String> env, Collection<String> secrets) {
        List<String> all = new ArrayList<>(secrets);
        all.addAll(secretValues(env));
        return new Redactor(all, List::of);
    }

    /**
     * Returns a redactor for the values of the secret-looking variables in {@code env} and for what {@code secrets}
     * returns at each {@link #apply}: the hub's credentials as their files hold them now.
     */
    public static Redactor live(Map<String, String> env, Supplier<? extends Collection<String>> secrets) {
        return new Redactor(secretValues(env), secrets);
    }

    private static List<String> secretValues(Map<String, String> env) {
        List<String> values = new ArrayList<>();
        env.forEach((name, value) -> {
            if (SECRET_NAME.matcher(name).matches()) {
                values.add(value);
            }
        });
        return values;
    }

    private List<String> literals() {
        Collection<String> now = live.get();
        if (now.isEmpty()) {
            return fixed;
        }
        List<String> all = new ArrayList<>(fixed);
        all.addAll(now);
        return secrets(all);
    }

    /** Returns {@code text} with every secret replaced by {@value #MARK}. */
    public String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String out = text;
        for (String secret : literals()) {
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
