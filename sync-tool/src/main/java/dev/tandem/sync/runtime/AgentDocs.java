package dev.tandem.sync.runtime;

import dev.tandem.core.memory.Memory;
import dev.tandem.sync.runtime.Sources.Source;
import dev.tandem.sync.text.MarkerBlock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sections of an engine's agent document: the base ({@code clients/shared/AGENTS.md}), the shared memory,
 * the published skills and the engine's recent memories, in that order.
 */
final class AgentDocs {
    static final MarkerBlock BASE = AgentSection.markers("base");
    static final MarkerBlock SKILLS = AgentSection.markers("skills");
    static final MarkerBlock MEMORIES = AgentSection.markers("memories");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private AgentDocs() {}

    /**
     * Returns the sections for {@code engine}.
     *
     * @param sharedMemory the body of the shared-memory section, or empty when there is no shared memory
     */
    static List<AgentSection> sections(
            Sources sources, Optional<List<String>> sharedMemory, LiveMemories live, String engine) {
        List<AgentSection> out = new ArrayList<>();
        out.add(sources.agentsBase()
                .map(base -> AgentSection.write("base", BASE, forEngine(base(base, engine), engine)))
                .orElseGet(() -> AgentSection.remove("base", BASE)));
        out.add(sharedMemory
                .map(body -> AgentSection.write("shared-memory", MarkerBlock.HTML, body))
                .orElseGet(() -> AgentSection.remove("shared-memory", MarkerBlock.HTML)));
        out.add(AgentSection.write("skills", SKILLS, forEngine(skills(sources, engine), engine)));
        out.add(live.of(engine)
                .map(ms -> AgentSection.write("memories", MEMORIES, forEngine(memories(ms, engine), engine)))
                .orElseGet(() -> AgentSection.keep("memories", MEMORIES)));
        return out;
    }

    /** Returns every section removed (clean-runtime). */
    static List<AgentSection> removals() {
        return List.of(
                AgentSection.remove("base", BASE),
                AgentSection.remove("shared-memory", MarkerBlock.HTML),
                AgentSection.remove("skills", SKILLS),
                AgentSection.remove("memories", MEMORIES));
    }

    private static List<String> forEngine(List<String> lines, String engine) {
        return engine.equals("claude") ? ClaudeText.quoteImports(lines) : lines;
    }

    private static List<String> base(Source base, String engine) {
        List<String> out = new ArrayList<>();
        out.add("<!-- From clients/shared/AGENTS.md of the Tandem checkout: edit it there, then push. -->");
        out.addAll(Render.expand(base.text(), engine).lines().toList());
        return out;
    }

    static List<String> skills(Sources sources, String engine) {
        List<String> out = new ArrayList<>();
        out.add("<!-- Written by 'tandem sync push-runtime' from clients/shared/skills; edit the skills there. -->");
        out.add("## Skills from Tandem");
        out.add("");
        if (sources.skills().isEmpty()) {
            out.add("No skills are published yet.");
            return out;
        }
        out.add(
                engine.equals("claude")
                        ? "Installed in this Claude Code; also served by the hub as `/mcp__tandem__<name>` prompts."
                        : "Installed in this Codex; use one when its description fits the task.");
        out.add("");
        for (Sources.Skill skill : sources.skills()) {
            Source file = skill.files().get("SKILL.md");
            String description =
                    Render.FrontMatter.parse(file.text()).get("description").orElse("(no description)");
            out.add("- `" + skill.slug() + "`: " + oneLine(description));
        }
        return out;
    }

    static List<String> memories(List<Memory> memories, String engine) {
        List<String> out = new ArrayList<>();
        out.add("<!-- Written by 'tandem sync push-runtime' from the hub's memory store; refreshed at each push. -->");
        out.add("## Recent memories");
        out.add("");
        if (memories.isEmpty()) {
            out.add("No memories stored yet for " + engine + ".");
            return out;
        }
        out.add("Newest first, at most " + LiveMemories.MAX + ": the memories " + engine
                + " can see (its own on this machine and shared ones). Read one in full with `"
                + Render.TOOL_PREFIX + "memory_retrieve` and its id.");
        out.add("");
        for (Memory m : memories) {
            String title = m.title().isBlank() ? "" : oneLine(m.title()) + ": ";
            out.add("- " + DAY.format(m.updated()) + " `" + m.id() + "` " + title + oneLine(m.summary())
                    + (m.scope().wireName().equals("shared") ? " (shared)" : ""));
        }
        return out;
    }

    /** Returns the text on one line, with no HTML comment opener that could pass for a section marker. */
    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").replace("<!--", "&lt;!--").strip();
    }
}
