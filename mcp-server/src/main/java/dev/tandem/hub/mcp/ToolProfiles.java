package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.Section;
import dev.tandem.sync.runtime.HubTools;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which hub tools each engine sees: {@code [clients.codex] tools = [...]} and {@code [clients.claude] tools = [...]}
 * in {@code hub.toml}, each entry a tool name or a group ({@code fs}, {@code git}, {@code memory}, {@code tasks},
 * {@code jobs}, {@code delegation}, {@code usage}, {@code portfolio}, {@code skills}). An engine without the key sees
 * every tool; {@code hub_info} is always there. The engine is the one of the request's credential, so a client on
 * the person's token ({@code other}) sees everything, as the dashboard's owner does.
 */
public final class ToolProfiles {
    /** The groups a profile may name, each a set of tools by the rule of {@link #group}. */
    public static final List<String> GROUPS =
            List.of("fs", "git", "memory", "tasks", "jobs", "delegation", "usage", "portfolio", "skills");

    private static final String ALWAYS = "hub_info";

    private final Map<String, Set<String>> entries;

    private ToolProfiles(Map<String, Set<String>> entries) {
        this.entries = Map.copyOf(entries);
    }

    /** Returns profiles that hide nothing. */
    public static ToolProfiles everything() {
        return new ToolProfiles(Map.of());
    }

    /**
     * Reads the profiles of {@code config}.
     *
     * @throws dev.tandem.core.config.ConfigException naming the file, line and the known names for an unknown entry
     */
    public static ToolProfiles from(HubConfig config) {
        Section clients = config.reader("clients");
        Map<String, Set<String>> out = new HashMap<>();
        for (String engine : HubConfig.ENGINES) {
            Optional<Section> table = clients.table(engine);
            if (table.isEmpty()) {
                continue;
            }
            Optional<List<String>> tools = table.get().strings("tools");
            if (tools.isEmpty()) {
                continue;
            }
            Set<String> known = known();
            for (String name : tools.get()) {
                if (!known.contains(name)) {
                    throw table.get()
                            .error(
                                    "tools",
                                    "names an unknown tool or group '" + name + "'; known: "
                                            + String.join(", ", known));
                }
            }
            out.put(engine, new LinkedHashSet<>(tools.get()));
        }
        return new ToolProfiles(out);
    }

    /** Returns whether {@code engine} ({@code codex}, {@code claude} or {@code other}) may see and call {@code tool}. */
    public boolean allows(String engine, String tool) {
        Set<String> profile = entries.get(engine);
        return profile == null
                || tool.equals(ALWAYS)
                || profile.contains(tool)
                || group(tool).map(profile::contains).orElse(false);
    }

    /** Returns the group of a tool by its name. */
    static Optional<String> group(String tool) {
        if (tool.endsWith("_exec") || tool.endsWith("_review") || tool.equals("suggest_engine")) {
            return Optional.of("delegation");
        }
        if (tool.equals("log_command")) {
            return Optional.of("skills");
        }
        Map<String, String> prefixes = Map.of(
                "fs_", "fs",
                "git_", "git",
                "memory_", "memory",
                "task_", "tasks",
                "job_", "jobs",
                "usage_", "usage",
                "portfolio_", "portfolio");
        return prefixes.entrySet().stream()
                .filter(e -> tool.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The groups, then every tool the hub can offer, in name order. */
    private static Set<String> known() {
        Set<String> out = new LinkedHashSet<>(GROUPS);
        List<String> tools = new ArrayList<>(new TreeSet<>(HubTools.catalog().keySet()));
        out.addAll(tools);
        return out;
    }
}
