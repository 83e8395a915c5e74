package dev.tandem.sync.runtime;

import dev.tandem.sync.text.MarkerBlock;
import java.util.List;
import java.util.Objects;

/**
 * One managed section of an agent document ({@code AGENTS.md}, {@code CLAUDE.md}) and what a push does to it.
 *
 * @param name what reports call it: {@code base}, {@code shared-memory}, {@code skills}, {@code memories}
 * @param markers its start and end marker lines
 * @param action write {@code body}, keep the section as it is, or remove it
 * @param body the lines between the markers when written
 */
record AgentSection(String name, MarkerBlock markers, Action action, List<String> body) {
    /** What a push does to a section. */
    enum Action {
        WRITE,
        KEEP,
        REMOVE
    }

    AgentSection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(markers, "markers");
        Objects.requireNonNull(action, "action");
        body = List.copyOf(body);
    }

    /** Returns the markers of a section named {@code name}: {@code <!-- tandem:<name>:start -->} and its end. */
    static MarkerBlock markers(String name) {
        return new MarkerBlock("<!-- tandem:" + name + ":start -->", "<!-- tandem:" + name + ":end -->");
    }

    static AgentSection write(String name, MarkerBlock markers, List<String> body) {
        return new AgentSection(name, markers, Action.WRITE, body);
    }

    static AgentSection keep(String name, MarkerBlock markers) {
        return new AgentSection(name, markers, Action.KEEP, List.of());
    }

    static AgentSection remove(String name, MarkerBlock markers) {
        return new AgentSection(name, markers, Action.REMOVE, List.of());
    }
}
