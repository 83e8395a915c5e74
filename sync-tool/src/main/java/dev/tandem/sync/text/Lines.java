package dev.tandem.sync.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A text split into lines that keep their own terminators, so joining them gives back the exact input.
 *
 * @param bom whether the text started with a byte order mark (not part of any line)
 * @param lines the lines, each with the terminator it had ({@code "\n"}, {@code "\r\n"} or none for the last)
 */
public record Lines(boolean bom, List<Line> lines) {
    private static final char BOM = '\uFEFF';

    public Lines {
        lines = List.copyOf(lines);
    }

    /** One line: its text and its terminator. */
    public record Line(String text, String eol) {
        public boolean terminated() {
            return !eol.isEmpty();
        }

        public Line withEol(String newEol) {
            return new Line(text, newEol);
        }
    }

    /** Splits a text into lines. */
    public static Lines parse(String text) {
        boolean bom = !text.isEmpty() && text.charAt(0) == BOM;
        String body = bom ? text.substring(1) : text;
        List<Line> out = new ArrayList<>();
        int start = 0;
        while (start < body.length()) {
            int nl = body.indexOf('\n', start);
            if (nl < 0) {
                out.add(new Line(body.substring(start), ""));
                break;
            }
            boolean crlf = nl > start && body.charAt(nl - 1) == '\r';
            out.add(new Line(body.substring(start, crlf ? nl - 1 : nl), crlf ? "\r\n" : "\n"));
            start = nl + 1;
        }
        return new Lines(bom, out);
    }

    /** Splits a text with no BOM handling into plain line strings (for fragments). */
    public static List<String> plain(String text) {
        return parse(text).lines().stream().map(Line::text).toList();
    }

    /** Returns the text without the BOM, as parsers see it. */
    public String body() {
        StringBuilder sb = new StringBuilder();
        for (Line line : lines) {
            sb.append(line.text()).append(line.eol());
        }
        return sb.toString();
    }

    /** Returns the exact text, BOM included. */
    public String text() {
        return (bom ? String.valueOf(BOM) : "") + body();
    }

    /** Returns the line terminator new lines should use: the file's first one, else {@code "\n"}. */
    public String eol() {
        return lines.stream()
                .map(Line::eol)
                .filter(e -> !e.isEmpty())
                .findFirst()
                .orElse("\n");
    }

    public Lines with(List<Line> newLines) {
        return new Lines(bom, newLines);
    }
}
