package dev.tandem.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tomlj.TomlTable;

/**
 * Every key {@code hub.toml} knows, by section, so a misspelled one ({@code prot = 8770}) is reported with its file,
 * line and a "did you mean" instead of being silently ignored. Sections whose readers check their own keys
 * ({@code [sync]}, {@code [git]}, {@code [tasks.NAME]}) are named here so they are not reported as unknown.
 */
public final class KnownKeys {
    /** The keys of each section; a null set means the section's own reader checks its keys. */
    static final Map<String, Set<String>> SECTIONS = Map.ofEntries(
            Map.entry(
                    "hub",
                    Set.of(
                            "host",
                            "port",
                            "allow_remote",
                            "token_file",
                            "data_dir",
                            "portfolio",
                            "max_body_bytes",
                            "session_idle_seconds",
                            "keep_alive_seconds",
                            "tool_timeout_seconds",
                            "task_ttl_seconds",
                            "max_connections",
                            "idle_connection_seconds",
                            "request_read_seconds",
                            "max_sessions_per_credential",
                            "max_batch_messages",
                            "max_batch_answer_bytes")),
            Map.entry("fs", Set.of("roots", "search_threads", "deny", "deny_extra", "write_deny", "write_deny_extra")),
            Map.entry("skills", Set.of("dir")),
            Map.entry("memory", Set.of("host", "max_bytes")),
            Map.entry("store", Set.of("url", "password_file")),
            Map.entry("fleet", Set.of("enabled")),
            Map.entry("tls", Set.of("cert", "key", "local_port")),
            Map.entry("portfolio", Set.of("poll_millis")),
            Map.entry("telemetry", Set.of("enabled", "retention_days", "queue_capacity")),
            Map.entry("dashboard", Set.of("enabled", "session_hours")),
            Map.entry("source", Set.of("dir")),
            Map.entry("clients", Set.of("codex", "claude")),
            Map.entry("sync", Set.of()),
            Map.entry("git", Set.of()),
            Map.entry("tasks", Set.of()));

    /** The keys of the sub-tables {@code [clients.codex]} and {@code [clients.claude]}. */
    static final Map<String, Set<String>> CLIENTS =
            Map.of("codex", Set.of("approve_writes", "tools"), "claude", Set.of("allow", "tools"));

    /** Sections whose readers refuse unknown keys themselves. */
    private static final Set<String> SELF_CHECKED = Set.of("sync", "git", "tasks");

    private KnownKeys() {}

    /**
     * Returns one warning per unknown section or key: {@code <file>:<line>:<col>: unknown key [hub] prot (did you
     * mean port?); it is ignored}.
     */
    public static List<String> warnings(Sections sections) {
        List<String> out = new ArrayList<>();
        TomlTable toml = sections.toml();
        Section root = Section.of(sections.file(), "", toml, sections.file());
        for (String name : toml.keySet()) {
            Object value = toml.get(List.of(name));
            if (!(value instanceof TomlTable table)) {
                out.add(root.where(name) + ": '" + name + "' is outside any section" + sectionOf(name)
                        + "; it is ignored");
                continue;
            }
            if (!SECTIONS.containsKey(name)) {
                out.add(root.where(name) + ": unknown section [" + name + "]"
                        + suggestion(name, SECTIONS.keySet())
                                .map(s -> " (did you mean [" + s + "]?)")
                                .orElse("")
                        + "; it is ignored");
                continue;
            }
            if (SELF_CHECKED.contains(name)) {
                continue;
            }
            Section section = Section.of(sections.file(), name, table, sections.file());
            keys(out, section, SECTIONS.get(name));
            if (name.equals("clients")) {
                for (String client : table.keySet()) {
                    if (CLIENTS.containsKey(client) && table.get(List.of(client)) instanceof TomlTable t) {
                        keys(
                                out,
                                Section.of(sections.file(), "clients." + client, t, sections.file()),
                                CLIENTS.get(client));
                    }
                }
            }
        }
        return out;
    }

    private static void keys(List<String> out, Section section, Set<String> known) {
        for (String key : section.keys()) {
            if (!known.contains(key)) {
                out.add(section.where(key) + ": unknown key [" + section.name() + "] " + key
                        + suggestion(key, known)
                                .map(s -> " (did you mean " + s + "?)")
                                .orElse("")
                        + "; it is ignored (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    /** Returns " (did you mean [hub] port?)" for a key written before any section header. */
    private static String sectionOf(String key) {
        for (Map.Entry<String, Set<String>> s : SECTIONS.entrySet()) {
            if (s.getValue().contains(key)) {
                return " (did you mean " + key + " under [" + s.getKey() + "]?)";
            }
        }
        for (Map.Entry<String, Set<String>> s : SECTIONS.entrySet()) {
            Optional<String> close = suggestion(key, s.getValue());
            if (close.isPresent()) {
                return " (did you mean " + close.get() + " under [" + s.getKey() + "]?)";
            }
        }
        return "";
    }

    /** Returns the known word closest to {@code word}, if one is within a typo's distance of it. */
    static Optional<String> suggestion(String word, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new java.util.TreeSet<>(known)) {
            int d = distance(word, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Returns the edit distance with transpositions (optimal string alignment): "prot" is one from "port". */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
