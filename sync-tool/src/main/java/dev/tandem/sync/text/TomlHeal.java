package dev.tandem.sync.text;

import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.text.Lines.Line;
import dev.tandem.sync.text.MarkerBlock.Span;
import dev.tandem.sync.text.TomlBlock.Fragment;
import dev.tandem.sync.text.TomlHeaders.Header;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the managed block of a {@code config.toml} after whatever a CLI did to it, and returns the document
 * without it: the span between the markers when they frame exactly the managed tables; otherwise the document
 * without the managed tables, stray marker lines and the fragment's own comments next to them (healing).
 */
final class TomlHeal {
    private TomlHeal() {}

    /** The document without the managed part, where the block goes, and each kept line's original index. */
    record Outside(Lines doc, Optional<Span> span, int insertAt, List<Integer> origin) {}

    static Outside outside(Path file, Lines doc, Fragment fragment, boolean forInsert) {
        List<String> texts = texts(doc);
        List<Header> headers = TomlHeaders.scan(texts);
        List<Integer> begins = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i).strip();
            if (t.equals(MarkerBlock.HASH.begin())) {
                begins.add(i);
            } else if (t.equals(MarkerBlock.HASH.end())) {
                ends.add(i);
            }
        }
        refuseAmbiguous(file, begins, ends);
        boolean anyManaged = headers.stream().anyMatch(h -> managed(h, fragment));
        if (begins.size() == 1 && ends.size() == 1) {
            Span span = new Span(begins.get(0), ends.get(0));
            if (span.begin() < span.end() && headers.stream().allMatch(h -> inside(h, span) == managed(h, fragment))) {
                return spanOutside(doc, span);
            }
            if (span.end() < span.begin() && !anyManaged) {
                throw InputException.at(
                        file,
                        span.end() + 1,
                        1,
                        "end marker '" + MarkerBlock.HASH.end() + "' has no begin marker '" + MarkerBlock.HASH.begin()
                                + "' before it; delete both marker lines and push again");
            }
        }
        return healed(doc, texts, headers, fragment, forInsert);
    }

    private static void refuseAmbiguous(Path file, List<Integer> begins, List<Integer> ends) {
        List<Integer> twice = begins.size() > 1 ? begins : ends.size() > 1 ? ends : List.of();
        if (!twice.isEmpty()) {
            String marker = begins.size() > 1 ? MarkerBlock.HASH.begin() : MarkerBlock.HASH.end();
            throw InputException.at(
                    file,
                    twice.get(1) + 1,
                    1,
                    "second marker '" + marker + "' (the first is on line " + (twice.get(0) + 1)
                            + "): two managed blocks; delete one of them, markers included, and push again");
        }
    }

    private static boolean inside(Header header, Span span) {
        return header.index() > span.begin() && header.index() < span.end();
    }

    private static Outside spanOutside(Lines doc, Span span) {
        List<Integer> origin = new ArrayList<>();
        for (int i = 0; i < doc.lines().size(); i++) {
            if (i < span.begin() || i > span.end()) {
                origin.add(i);
            }
        }
        return new Outside(MarkerBlock.remove(doc, span), Optional.of(span), span.begin(), origin);
    }

    /** Drops the managed tables, stray markers and the fragment's comments next to them; marks where the block goes. */
    private static Outside healed(
            Lines doc, List<String> texts, List<Header> headers, Fragment fragment, boolean forInsert) {
        boolean[] drop = new boolean[texts.size()];
        int anchor = -1;
        for (int h = 0; h < headers.size(); h++) {
            Header header = headers.get(h);
            if (!managed(header, fragment)) {
                continue;
            }
            anchor = anchor < 0 ? header.index() : anchor;
            boolean nextManaged = h + 1 < headers.size() && managed(headers.get(h + 1), fragment);
            int end = h + 1 < headers.size() ? headers.get(h + 1).index() : texts.size();
            while (!nextManaged && end - 1 > header.index() && isTrivia(texts.get(end - 1))) {
                end--;
            }
            for (int i = header.index(); i < end; i++) {
                drop[i] = true;
            }
        }
        boolean[] continued = TomlHeaders.continuations(texts);
        Set<String> own = fragment.comments();
        own.add(MarkerBlock.HASH.begin());
        own.add(MarkerBlock.HASH.end());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i).strip();
            if (!continued[i]
                    && (t.equals(MarkerBlock.HASH.begin())
                            || t.equals(MarkerBlock.HASH.end())
                            || t.equals(TomlBlock.NOTE))) {
                drop[i] = true;
            }
        }
        // the fragment's comment lines in a run of comments and blank lines that touches a dropped line
        int i = 0;
        while (i < texts.size()) {
            if (continued[i] || !isTrivia(texts.get(i))) {
                i++;
                continue;
            }
            int from = i;
            while (i < texts.size() && !continued[i] && isTrivia(texts.get(i))) {
                i++;
            }
            boolean touches = (from > 0 && drop[from - 1]) || (i < texts.size() && drop[i]);
            for (int k = from; k < i && !touches; k++) {
                touches = drop[k];
            }
            for (int k = from; k < i && touches; k++) {
                drop[k] |= own.contains(texts.get(k).strip());
            }
        }
        for (int k = 0; k < drop.length && anchor < 0; k++) {
            anchor = drop[k] ? k : anchor;
        }
        return keep(doc, drop, anchor, forInsert);
    }

    /**
     * The lines not dropped, one blank line where dropping left two and none where it left them at the end, and
     * (for an insert) blank lines around where the block goes.
     */
    private static Outside keep(Lines doc, boolean[] drop, int anchor, boolean pad) {
        List<Line> kept = new ArrayList<>();
        List<Integer> origin = new ArrayList<>();
        int insertAt = -1;
        boolean gap = false;
        for (int i = 0; i < drop.length; i++) {
            if (i == anchor) {
                insertAt = kept.size();
            }
            if (drop[i]) {
                gap = true;
                continue;
            }
            Line line = doc.lines().get(i);
            boolean blank = line.text().isBlank();
            boolean afterBlank =
                    !kept.isEmpty() && kept.get(kept.size() - 1).text().isBlank();
            if (!(gap && blank && (afterBlank || kept.isEmpty()))) {
                kept.add(line);
                origin.add(i);
            }
            gap = false;
        }
        int lastDropped = drop.length - 1;
        while (lastDropped >= 0 && !drop[lastDropped]) {
            lastDropped--;
        }
        while (!kept.isEmpty()
                && kept.get(kept.size() - 1).text().isBlank()
                && origin.get(origin.size() - 1) > lastDropped
                && onlyBlankAfter(doc, lastDropped)) {
            kept.remove(kept.size() - 1);
            origin.subList(origin.size() - 1, origin.size()).clear();
        }
        if (insertAt < 0 || !pad) {
            // nothing of the block is left (a first push appends it, byte for byte undoable), or nothing to insert
            return new Outside(doc.with(kept), Optional.empty(), insertAt < 0 ? kept.size() : insertAt, origin);
        }
        insertAt = Math.min(insertAt, kept.size());
        String eol = doc.eol();
        if (insertAt < kept.size() && !kept.get(insertAt).text().isBlank()) {
            kept.add(insertAt, new Line("", eol));
            origin.add(insertAt, origin.get(insertAt));
        }
        if (insertAt > 0 && !kept.get(insertAt - 1).text().isBlank()) {
            Line before = kept.get(insertAt - 1);
            kept.add(insertAt, new Line("", before.terminated() ? eol : ""));
            kept.set(insertAt - 1, before.withEol(eol));
            origin.add(insertAt, origin.get(insertAt - 1));
            insertAt++;
        }
        return new Outside(doc.with(kept), Optional.empty(), insertAt, origin);
    }

    private static boolean onlyBlankAfter(Lines doc, int index) {
        return index >= 0
                && doc.lines().subList(index + 1, doc.lines().size()).stream()
                        .allMatch(l -> l.text().isBlank());
    }

    static List<String> texts(Lines doc) {
        return doc.lines().stream().map(Line::text).toList();
    }

    private static boolean managed(Header header, Fragment fragment) {
        return fragment.tables().stream().anyMatch(t -> startsWith(header.path(), t));
    }

    private static boolean isTrivia(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#");
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }
}
