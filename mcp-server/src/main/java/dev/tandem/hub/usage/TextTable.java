package dev.tandem.hub.usage;

import dev.tandem.core.cli.TerminalText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header, rows and separator lines, columns padded to their widest cell. Each cell is printed
 * through {@link TerminalText#safe}: cells carry model names, session ids and folders from logs.
 */
final class TextTable {
    private final List<String> header;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();

    /** Columns named in {@code header}; a name ending in {@code >} is right-aligned (the mark is not printed). */
    TextTable(String... header) {
        this.header = new ArrayList<>();
        this.right = new boolean[header.length];
        for (int i = 0; i < header.length; i++) {
            right[i] = header[i].endsWith(">");
            this.header.add(right[i] ? header[i].substring(0, header[i].length() - 1) : header[i]);
        }
    }

    void row(String... cells) {
        List<String> safe = new ArrayList<>(cells.length);
        for (String c : cells) {
            safe.add(TerminalText.safe(c));
        }
        rows.add(List.copyOf(safe));
    }

    void separator() {
        rows.add(List.of());
    }

    void print(PrintWriter out) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        line(out, header, width);
        out.println(rule(width));
        for (List<String> r : rows) {
            if (r.isEmpty()) {
                out.println(rule(width));
            } else {
                line(out, r, width);
            }
        }
    }

    private void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            String pad = " ".repeat(width[i] - c.length());
            b.append(right[i] ? pad + c : c + pad);
            if (i < width.length - 1) {
                b.append("  ");
            }
        }
        out.println(b.toString().stripTrailing());
    }

    private static String rule(int[] width) {
        int n = 0;
        for (int w : width) {
            n += w;
        }
        return "-".repeat(n + 2 * (width.length - 1));
    }
}
