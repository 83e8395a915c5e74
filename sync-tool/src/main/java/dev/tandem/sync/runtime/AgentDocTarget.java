package dev.tandem.sync.runtime;

import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.text.Lines;
import dev.tandem.sync.text.MarkerBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An agent document ({@code AGENTS.md}, {@code CLAUDE.md}) made of managed sections in the person's own file.
 *
 * <p>Each section is replaced where it stands (the person may move it); a missing one goes right after the
 * section before it in {@link #sections} order, else before the one after it, else at the end of the file.
 * Text outside the sections is kept byte for byte, line endings and a missing final newline included.
 *
 * @param sections the sections in their canonical order
 * @param created whether Tandem created the file (removing every section then deletes it when nothing is left)
 */
record AgentDocTarget(Path path, List<AgentSection> sections, boolean created) implements Target {
    AgentDocTarget {
        sections = List.copyOf(sections);
    }

    @Override
    public Optional<byte[]> render(Optional<byte[]> actual) {
        Lines doc = Lines.parse(Contents.text(actual).orElse(""));
        checkNoOverlap(doc);
        for (int i = 0; i < sections.size(); i++) {
            doc = apply(doc, i);
        }
        boolean anyLeft = sections.stream().anyMatch(s -> s.action() != AgentSection.Action.REMOVE);
        if (!anyLeft && created && doc.text().isBlank()) {
            return Optional.empty();
        }
        if (actual.isEmpty() && doc.lines().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Contents.bytes(doc.text()));
    }

    private Lines apply(Lines doc, int i) {
        AgentSection s = sections.get(i);
        Optional<MarkerBlock.Span> span = s.markers().find(path, doc);
        return switch (s.action()) {
            case KEEP -> doc;
            case REMOVE -> span.map(sp -> MarkerBlock.remove(doc, sp)).orElse(doc);
            case WRITE ->
                span.map(sp -> s.markers().replace(doc, sp, s.body()))
                        .orElseGet(() -> s.markers().insert(doc, insertAt(doc, i), s.body()));
        };
    }

    /** Returns the line a missing section {@code i} goes before. */
    private int insertAt(Lines doc, int i) {
        for (int j = i - 1; j >= 0; j--) {
            Optional<MarkerBlock.Span> before = sections.get(j).markers().find(path, doc);
            if (before.isPresent()) {
                return before.get().end() + 1;
            }
        }
        for (int j = i + 1; j < sections.size(); j++) {
            Optional<MarkerBlock.Span> after = sections.get(j).markers().find(path, doc);
            if (after.isPresent()) {
                return after.get().begin();
            }
        }
        return doc.lines().size();
    }

    /** Refuses a section that starts inside another one: which text is whose could not be told apart. */
    private void checkNoOverlap(Lines doc) {
        List<MarkerBlock.Span> spans = new ArrayList<>();
        for (AgentSection s : sections) {
            s.markers().find(path, doc).ifPresent(spans::add);
        }
        spans.sort((a, b) -> Integer.compare(a.begin(), b.begin()));
        for (int k = 1; k < spans.size(); k++) {
            if (spans.get(k).begin() < spans.get(k - 1).end()) {
                throw InputException.at(
                        path,
                        spans.get(k).begin() + 1,
                        1,
                        "section starts inside the section of line "
                                + (spans.get(k - 1).begin() + 1));
            }
        }
    }

    /**
     * Reports the hashes that can drift: the base section, the sections from the source (shared memory, skills)
     * and, alongside either, the whole file. The memories section shows the hub's live state, not the source: a
     * difference there is reported as stale, which is not drift.
     */
    @Override
    public List<Drift> drift(Optional<byte[]> actual, Optional<byte[]> desired) {
        Lines was = Lines.parse(Contents.text(actual).orElse(""));
        Lines want = Lines.parse(Contents.text(desired).orElse(""));
        List<Drift> out = new ArrayList<>();
        compare(out, "base", hash(bodies(was, Part.BASE)), hash(bodies(want, Part.BASE)), Drift.Kind.DRIFT);
        compare(out, "sections", hash(bodies(was, Part.SOURCE)), hash(bodies(want, Part.SOURCE)), Drift.Kind.DRIFT);
        if (!out.isEmpty()) {
            compare(out, "whole", hash(was.text()), hash(want.text()), Drift.Kind.DRIFT);
        }
        compare(out, "memories", hash(bodies(was, Part.LIVE)), hash(bodies(want, Part.LIVE)), Drift.Kind.STALE);
        return out;
    }

    private void compare(List<Drift> out, String item, String actual, String expected, Drift.Kind kind) {
        if (!actual.equals(expected)) {
            out.add(new Drift(path, item + " sha256", expected, actual, kind));
        }
    }

    /** Which sections a hash covers. */
    private enum Part {
        BASE,
        SOURCE,
        LIVE;

        static Part of(AgentSection s) {
            if (s.name().equals("base")) {
                return BASE;
            }
            return s.name().equals(AgentDocs.LIVE_SECTION) ? LIVE : SOURCE;
        }
    }

    /** Returns the bodies of the sections of one {@code part}, one after the other. */
    private String bodies(Lines doc, Part part) {
        StringBuilder sb = new StringBuilder();
        for (AgentSection s : sections) {
            if (Part.of(s) == part) {
                s.markers().find(path, doc).ifPresent(sp -> {
                    sb.append(s.name()).append('\n');
                    MarkerBlock.body(doc, sp).forEach(l -> sb.append(l).append('\n'));
                });
            }
        }
        return sb.toString();
    }

    /** Returns the first 12 hex digits of the SHA-256 of a text, {@code none} for an empty one. */
    static String hash(String text) {
        if (text.isEmpty()) {
            return "none";
        }
        return Sha256.hex(text).substring(0, 12);
    }
}
