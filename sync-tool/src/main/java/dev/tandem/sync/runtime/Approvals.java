package dev.tandem.sync.runtime;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which hub tools the clients run without asking, from {@code [clients.codex] approve_writes} and {@code
 * [clients.claude] allow}. The read-only set is the tools whose {@code readOnlyHint} is true ({@link HubTools}), so
 * it follows the hub as tools are added.
 *
 * @param approveWrites Codex runs the hub's write tools under {@code approval_policy = "never"} ({@code
 *     default_tools_approval_mode = "approve"} on the hub entry); read-only tools need nothing
 * @param claudeAllow the tool names Claude Code runs without asking; empty with {@code claudeAll}
 * @param claudeAll every hub tool ({@code "all"}: the rule {@code mcp__tandem})
 */
public record Approvals(boolean approveWrites, List<String> claudeAllow, boolean claudeAll) {
    public Approvals {
        claudeAllow = List.copyOf(claudeAllow);
    }

    /** Returns the defaults: Codex asks before write tools, Claude runs the read-only tools without asking. */
    public static Approvals defaults() {
        return new Approvals(false, HubTools.readOnly(), false);
    }

    /** Reads the approvals from the configuration; a wrong value names the file, line and the values allowed. */
    public static Approvals from(HubConfig config) {
        Section clients = config.reader("clients");
        boolean approve =
                clients.table("codex").map(c -> c.bool("approve_writes", false)).orElse(false);
        Optional<Section> claude = clients.table("claude");
        if (claude.isEmpty() || !claude.get().contains("allow")) {
            return new Approvals(approve, HubTools.readOnly(), false);
        }
        Section c = claude.get();
        if (c.table().get(List.of("allow")) instanceof String word) {
            return switch (word.strip().toLowerCase(Locale.ROOT)) {
                case "read-only" -> new Approvals(approve, HubTools.readOnly(), false);
                case "all" -> new Approvals(approve, List.of(), true);
                case "none" -> new Approvals(approve, List.of(), false);
                default ->
                    throw c.error(
                            "allow",
                            "must be \"read-only\", \"all\", \"none\" or a list of tool names, not \"" + word + "\"");
            };
        }
        List<String> tools = c.strings("allow").orElseThrow();
        List<String> out = new ArrayList<>();
        for (String t : tools) {
            String name = t.startsWith(Render.TOOL_PREFIX) ? t.substring(Render.TOOL_PREFIX.length()) : t;
            if (!HubTools.catalog().containsKey(name)) {
                throw c.error(
                        "allow",
                        "names no hub tool '" + t + "'; the tools are: "
                                + String.join(", ", HubTools.catalog().keySet()));
            }
            out.add(name);
        }
        return new Approvals(approve, out, false);
    }

    /** Returns Claude Code's permission rules: {@code mcp__tandem} for all, else one per tool. */
    public List<String> claudeRules() {
        if (claudeAll) {
            return List.of("mcp__tandem");
        }
        return claudeAllow.stream().map(t -> Render.TOOL_PREFIX + t).toList();
    }
}
