package dev.tandem.sync.runtime;

import dev.tandem.sync.text.TomlValues;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which changes to Codex settings pull-runtime takes from a client's home into {@code clients/}. Whatever can write
 * {@code ~/.codex} (an agent among others) must not get a setting into the source, from where every push deploys it
 * to every home: a pull takes a changed, added or removed key only when it is on a short list of harmless ones.
 * Anything else (a key that runs a program, sends requests or credentials elsewhere, or lets the agent do more
 * without asking) stops that file's pull, naming the keys; the person makes the change in {@code clients/}.
 */
final class PulledSettings {
    /** The key approve_writes writes into [mcp_servers.tandem]; never pulled, never in the fragment. */
    static final String APPROVAL = "default_tools_approval_mode";

    /** [mcp_servers.tandem] keys push writes from the auth mode: their lines are dropped, whatever they say. */
    static final Set<String> AUTH_KEYS = Set.of("http_headers_helper", "bearer_token_env_var");

    /** The [mcp_servers.tandem] keys a pull takes. */
    static final List<String> SERVER_KEYS = List.of("startup_timeout_sec", "tool_timeout_sec", "required", "enabled");

    /** The keys of a [model_providers.NAME] table a pull takes (not base_url, env_key, headers: where keys go). */
    static final List<String> PROVIDER_KEYS =
            List.of("name", "wire_api", "request_max_retries", "stream_max_retries", "stream_idle_timeout_ms");

    /** The keys of a profile file a pull takes: which model, how hard it thinks, what it shows. */
    static final List<String> PROFILE_KEYS = List.of(
            "model",
            "model_reasoning_effort",
            "model_reasoning_summary",
            "model_verbosity",
            "model_context_window",
            "model_auto_compact_token_limit",
            "hide_agent_reasoning");

    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_-]+");

    private PulledSettings() {}

    /**
     * Returns the keys (dotted) where the managed block's values {@code now} differ from {@code pushed} (the fragment
     * as push renders it today, auth line and approval included) in a way a pull must not take.
     */
    static List<String> refusedInBlock(Map<String, Object> pushed, Map<String, Object> now) {
        return refused(pushed, now, path -> isServerKey(path, true) || isProviderKey(path));
    }

    /**
     * Returns the keys where the fragment a pull would write differs from the one in {@code clients/} in a way a
     * pull must not take (both as plain fragments, without the lines push adds).
     */
    static List<String> refusedInFragment(Map<String, Object> source, Map<String, Object> pulled) {
        return refused(source, pulled, path -> isServerKey(path, false) || isProviderKey(path));
    }

    /** Returns the keys where a deployed profile's values {@code now} differ from {@code pushed} beyond the list. */
    static List<String> refusedInProfile(Map<String, Object> pushed, Map<String, Object> now) {
        return refused(pushed, now, path -> path.size() == 1 && PROFILE_KEYS.contains(path.get(0)));
    }

    private static boolean isServerKey(List<String> path, boolean withAuth) {
        return path.size() == 3
                && path.get(0).equals("mcp_servers")
                && path.get(1).equals("tandem")
                && (SERVER_KEYS.contains(path.get(2)) || (withAuth && AUTH_KEYS.contains(path.get(2))));
    }

    private static boolean isProviderKey(List<String> path) {
        return path.size() == 3 && path.get(0).equals("model_providers") && PROVIDER_KEYS.contains(path.get(2));
    }

    private static List<String> refused(Object was, Object now, Predicate<List<String>> allowed) {
        Set<String> out = new LinkedHashSet<>();
        List<Change> changes = new ArrayList<>();
        changed(List.of(), was, now, changes);
        for (Change c : changes) {
            // a table or an array where a plain value belongs is never taken, whatever its name
            if (!allowed.test(c.path()) || !plain(c.was()) || !plain(c.now())) {
                out.add(dotted(c.path()));
            }
        }
        return List.copyOf(out);
    }

    private record Change(List<String> path, Object was, Object now) {}

    /** Lists the leaves that differ; a table on one side only is walked so that each of its keys is listed. */
    private static void changed(List<String> path, Object was, Object now, List<Change> out) {
        if (was instanceof Map<?, ?> || now instanceof Map<?, ?>) {
            Map<?, ?> w = was instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> n = now instanceof Map<?, ?> m ? m : Map.of();
            if ((was != null && !(was instanceof Map<?, ?>)) || (now != null && !(now instanceof Map<?, ?>))) {
                out.add(new Change(path, was, now));
            }
            Set<Object> keys = new LinkedHashSet<>(w.keySet());
            keys.addAll(n.keySet());
            if (keys.isEmpty() && (was == null || now == null)) {
                out.add(new Change(path, was, now)); // an empty table added or removed
            }
            for (Object k : keys) {
                List<String> sub = new ArrayList<>(path);
                sub.add(String.valueOf(k));
                changed(List.copyOf(sub), w.get(k), n.get(k), out);
            }
            return;
        }
        if (!TomlValues.diff("", was, now).isEmpty()) {
            out.add(new Change(path, was, now));
        }
    }

    private static boolean plain(Object value) {
        return !(value instanceof Map<?, ?>) && !(value instanceof List<?>);
    }

    /** Returns a key path as TOML writes it, a key that is not bare quoted with anything unprintable escaped. */
    static String dotted(List<String> path) {
        List<String> parts = new ArrayList<>();
        for (String key : path) {
            if (BARE.matcher(key).matches()) {
                parts.add(key);
                continue;
            }
            StringBuilder sb = new StringBuilder("\"");
            key.codePoints().forEach(c -> {
                if (c == '"' || c == '\\') {
                    sb.append('\\').appendCodePoint(c);
                } else if (c < 0x20
                        || c == 0x7f
                        || Character.getType(c) == Character.FORMAT
                        || Character.getType(c) == Character.CONTROL) {
                    sb.append(String.format("\\u%04X", c));
                } else {
                    sb.appendCodePoint(c);
                }
            });
            parts.add(sb.append('"').toString());
        }
        return String.join(".", parts);
    }
}
