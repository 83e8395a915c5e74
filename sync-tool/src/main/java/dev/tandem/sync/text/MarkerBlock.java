package dev.tandem.sync.text;

import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.text.Lines.Line;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A managed block between a begin and an end marker line; everything outside it is kept byte for byte.
 *
 * <p>A block appended to a file without a final newline ends without one too, so removing it gives back the
 * exact original.
 */
public final class MarkerBlock {
    /** Markers of TOML and shell files. */
    public static final MarkerBlock HASH = new MarkerBlock("# >>> tandem managed >>>", "# <<< tandem managed <<<");
    /** Markers of Markdown files. */
    public static final MarkerBlock HTML =
            new MarkerBlock("<!-- >>> tandem managed >>> -->", "<!-- <<< tandem managed <<< -->");

    private final String begin;
    private final String end;

    public MarkerBlock(String begin, String end) {
        this.begin = begin;
        this.end = end;
    }

    public String begin() {
        return begin;
    }

    public String end() {
        return end;
    }

    /** Where a block lies: the indices of its begin and end marker lines. */
    public record Span(int begin, int end) {}

    /** Finds the block; a lone, repeated or reversed marker is an input error naming its line. */
    public Optional<Span> find(Path file, Lines doc) {
        List<Integer> begins = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < doc.lines().size(); i++) {
            String t = doc.lines().get(i).text().strip();
            if (t.equals(begin)) {
                begins.add(i);
            } else if (t.equals(end)) {
                ends.add(i);
            }
        }
        if (begins.isEmpty() && ends.isEmpty()) {
            return Optional.empty();
        }
        if (begins.size() > 1) {
            throw InputException.at(file, begins.get(1) + 1, 1, "second begin marker '" + begin + "'");
        }
        if (ends.size() > 1) {
            throw InputException.at(file, ends.get(1) + 1, 1, "second end marker '" + end + "'");
        }
        if (ends.isEmpty()) {
            throw InputException.at(
                    file, begins.get(0) + 1, 1, "begin marker '" + begin + "' has no end marker '" + end + "'");
        }
        if (begins.isEmpty() || ends.get(0) < begins.get(0)) {
            throw InputException.at(
                    file, ends.get(0) + 1, 1, "end marker '" + end + "' has no begin marker '" + begin + "' before it");
        }
        return Optional.of(new Span(begins.get(0), ends.get(0)));
    }

    /** Returns the body lines between the markers of a span. */
    public static List<String> body(Lines doc, Span span) {
        return doc.lines().subList(span.begin() + 1, span.end()).stream()
                .map(Line::text)
                .toList();
    }

    /** Replaces the block at a span; the end marker keeps its old terminator or lack of one. */
    public Lines replace(Lines doc, Span span, List<String> body) {
        String eol = doc.eol();
        boolean endTerminated = doc.lines().get(span.end()).terminated();
        List<Line> out = new ArrayList<>(doc.lines().subList(0, span.begin()));
        out.addAll(block(body, eol, endTerminated));
        out.addAll(doc.lines().subList(span.end() + 1, doc.lines().size()));
        return doc.with(out);
    }

    /** Inserts a block before line {@code at}, or at the end of the file when {@code at} is the line count. */
    public Lines insert(Lines doc, int at, List<String> body) {
        String eol = doc.eol();
        List<Line> out = new ArrayList<>(doc.lines());
        if (at < out.size()) {
            out.addAll(at, block(body, eol, true));
            return doc.with(out);
        }
        boolean endTerminated = true;
        if (!out.isEmpty() && !out.get(out.size() - 1).terminated()) {
            out.set(out.size() - 1, out.get(out.size() - 1).withEol(eol));
            endTerminated = false;
        }
        out.addAll(block(body, eol, endTerminated));
        return doc.with(out);
    }

    /** Removes the block at a span, undoing {@link #insert} exactly. */
    public static Lines remove(Lines doc, Span span) {
        boolean endTerminated = doc.lines().get(span.end()).terminated();
        List<Line> out = new ArrayList<>(doc.lines().subList(0, span.begin()));
        out.addAll(doc.lines().subList(span.end() + 1, doc.lines().size()));
        if (!endTerminated && span.begin() > 0 && span.begin() == out.size()) {
            out.set(span.begin() - 1, out.get(span.begin() - 1).withEol(""));
        }
        return doc.with(out);
    }

    private List<Line> block(List<String> body, String eol, boolean endTerminated) {
        List<Line> out = new ArrayList<>();
        out.add(new Line(begin, eol));
        body.forEach(b -> out.add(new Line(b, eol)));
        out.add(new Line(end, endTerminated ? eol : ""));
        return out;
    }
}
