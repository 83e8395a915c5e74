package dev.tandem.sync.text;

import dev.tandem.sync.engine.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Parses a Codex {@code config.toml} in pieces. Tomlj keeps a parse tree node per character of a string while it
 * parses, about 200 bytes of heap per byte of input, so one parse of a 1.6 MB file needs 300 MB and a push used to
 * make several. Only the lines that can touch the managed tables (their sections, their ancestors' and
 * descendants', and top-level keys sharing their first key) are parsed as one document; every other line is
 * checked for syntax in chunks of about {@value #CHUNK_CHARS} characters, so memory follows the largest chunk,
 * not the file.
 */
final class TomlView {
    static final int CHUNK_CHARS = 64 * 1024;
    private static final Pattern LINE_REF = Pattern.compile("line (\\d+)");

    private TomlView() {}

    /** A piece of a document: its text and, per line of it, the document's line index (0-based). */
    record View(String text, List<Integer> origin) {
        View {
            origin = List.copyOf(origin);
        }

        /** Returns the document's 1-based line of the view's 1-based line. */
        int docLine(int viewLine) {
            return origin.isEmpty() ? viewLine : origin.get(Math.min(Math.max(viewLine, 1), origin.size()) - 1) + 1;
        }
    }

    /** A parsed relevant view: Tomlj's result and the map back to the document's lines. */
    record Parsed(TomlParseResult result, View view) {
        /** Returns where a key path is set, as the document's 1-based line and column. */
        Optional<int[]> position(List<String> key) {
            TomlPosition p = result.inputPositionOf(key);
            return p == null ? Optional.empty() : Optional.of(new int[] {view.docLine(p.line()), p.column()});
        }
    }

    /** Parses the lines that matter to the managed tables; an error names the document's line. */
    static Parsed relevant(Path file, List<String> lines, List<List<String>> managed) {
        View view = relevantView(lines, relevantLines(lines, managed));
        TomlParseResult result = Toml.parse(view.text());
        problem(view, result).ifPresent(p -> {
            throw p.exception(file);
        });
        return new Parsed(result, view);
    }

    /** Checks the whole document: the relevant lines as one piece, the others in chunks; the first error wins. */
    static Parsed check(Path file, List<String> lines, List<List<String>> managed) {
        boolean[] keep = relevantLines(lines, managed);
        View view = relevantView(lines, keep);
        TomlParseResult result = Toml.parse(view.text());
        Optional<Problem> first = problem(view, result);
        Optional<Problem> rest = restProblem(lines, keep);
        if (rest.isPresent()
                && (first.isEmpty() || rest.get().line() < first.get().line())) {
            first = rest;
        }
        first.ifPresent(p -> {
            throw p.exception(file);
        });
        return new Parsed(result, view);
    }

    private record Problem(int line, int column, String message) {
        InputException exception(Path file) {
            return InputException.at(file, line, column, message);
        }
    }

    private static Optional<Problem> problem(View view, TomlParseResult result) {
        if (!result.hasErrors()) {
            return Optional.empty();
        }
        TomlParseError e = result.errors().get(0);
        Matcher m = LINE_REF.matcher(e.getMessage());
        StringBuilder message = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(message, "line " + view.docLine(Integer.parseInt(m.group(1))));
        }
        m.appendTail(message);
        return Optional.of(
                new Problem(view.docLine(e.position().line()), e.position().column(), message.toString()));
    }

    /** Parses the runs of lines not in {@code keep} a chunk at a time, each chunk under its section's header. */
    private static Optional<Problem> restProblem(List<String> lines, boolean[] keep) {
        boolean[] continued = TomlHeaders.continuations(lines);
        Optional<String> header = Optional.empty();
        Optional<String> chunkHeader = Optional.empty();
        int start = -1;
        int chars = 0;
        for (int i = 0; i <= lines.size(); i++) {
            boolean end = i == lines.size();
            boolean statement = !end && !continued[i];
            Optional<List<String>> h = statement ? TomlHeaders.parse(lines.get(i)) : Optional.empty();
            if (start >= 0 && (end || keep[i] || (statement && chars >= CHUNK_CHARS))) {
                View chunk = chunkView(lines, start, i, chunkHeader);
                Optional<Problem> p = problem(chunk, Toml.parse(chunk.text()));
                if (p.isPresent()) {
                    return p;
                }
                start = -1;
            }
            if (end) {
                break;
            }
            if (!keep[i] && start < 0) {
                start = i;
                chars = 0;
                chunkHeader = h.isPresent() ? Optional.empty() : header;
            }
            chars += lines.get(i).length() + 1;
            if (h.isPresent()) {
                header = Optional.of(lines.get(i).strip());
            }
        }
        return Optional.empty();
    }

    private static View relevantView(List<String> lines, boolean[] keep) {
        StringBuilder text = new StringBuilder();
        List<Integer> origin = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (keep[i]) {
                text.append(lines.get(i)).append('\n');
                origin.add(i);
            }
        }
        return new View(text.toString(), origin);
    }

    /** Lines [from, to), after the header of the section they continue (a chunk cut inside a table). */
    private static View chunkView(List<String> lines, int from, int to, Optional<String> header) {
        StringBuilder text = new StringBuilder();
        List<Integer> origin = new ArrayList<>();
        header.ifPresent(h -> {
            text.append(h).append('\n');
            origin.add(from);
        });
        for (int i = from; i < to; i++) {
            text.append(lines.get(i)).append('\n');
            origin.add(i);
        }
        return new View(text.toString(), origin);
    }

    /** Marks the lines that can touch a managed table. */
    static boolean[] relevantLines(List<String> lines, List<List<String>> managed) {
        boolean[] continued = TomlHeaders.continuations(lines);
        Set<String> roots = new HashSet<>();
        managed.forEach(t -> roots.add(t.get(0)));
        boolean[] keep = new boolean[lines.size()];
        boolean root = true;
        boolean section = false;
        boolean statement = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!continued[i]) {
                Optional<List<String>> h = TomlHeaders.parse(line);
                if (h.isPresent()) {
                    root = false;
                    section = related(h.get(), managed);
                } else if (root) {
                    statement = TomlHeaders.firstKey(line).map(roots::contains).orElse(false);
                }
            }
            keep[i] = root ? statement : section;
        }
        return keep;
    }

    private static boolean related(List<String> path, List<List<String>> managed) {
        return managed.stream().anyMatch(t -> startsWith(path, t) || startsWith(t, path));
    }

    private static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }
}
