package dev.tandem.sync.runtime;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.runtime.Sources.Source;
import dev.tandem.sync.text.Lines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands placeholders per engine and adds the managed footer to skills and commands. */
public final class Render {
    static final String FOOTER_MARK = "<!-- tandem:footer -->";
    static final String TOOL_PREFIX = "mcp__tandem__";
    static final String ARGUMENTS_TEXT = "(the request the person gave with this skill)";

    private Render() {}

    /** Expands {@code {{engine}}} and {@code {{tool_prefix}}}; other braces are left as they are. */
    public static String expand(String text, String engine) {
        return text.replace("{{engine}}", engine).replace("{{tool_prefix}}", TOOL_PREFIX);
    }

    /** Appends the footer asking the agent to report the use of a skill or command to the hub. */
    public static String withFooter(String body, String kind, String slug) {
        String text = body.endsWith("\n") ? body : body + "\n";
        return text + "\n" + FOOTER_MARK + "\n" + footerLine(kind, slug) + "\n";
    }

    /** Returns the line under the footer mark, placeholders not yet expanded. */
    private static String footerLine(String kind, String slug) {
        return "When you use this " + kind + ", first call the Tandem hub tool `{{tool_prefix}}log_command`"
                + " with `{\"slug\": \"" + slug + "\"}` ({{engine}}), so the person sees which " + kind
                + "s are used.";
    }

    /** Returns a skill file as deployed: the footer on SKILL.md, placeholders expanded in Markdown. */
    static String skillText(String rel, Source src, String slug, String engine) {
        String text = rel.equals("SKILL.md") ? withFooter(src.text(), "skill", slug) : src.text();
        return rel.endsWith(".md") ? expand(text, engine) : text;
    }

    /** Returns a skill file's deployed bytes: Markdown rendered, anything else (scripts, images) as it is. */
    static byte[] skillFile(String rel, Source src, String slug, String engine) {
        if (rel.endsWith(".md")) {
            return Contents.bytes(skillText(rel, src, slug, engine));
        }
        return Contents.read(src.file()).orElseThrow(() -> InputException.of(src.file(), "vanished while reading"));
    }

    /** Returns whether a skill's script must stay executable. */
    static boolean executable(String rel, Source src) {
        return !rel.endsWith(".md") && Files.isExecutable(src.file());
    }

    /**
     * Removes the footer again (pull-runtime): the blank line, the mark and the line under it, as push wrote them
     * for this {@code kind}, {@code slug} and {@code engine}. Text after the footer is kept, after the body; a text
     * without the mark (the person deleted the footer) is returned as it is.
     *
     * @param file the deployed file, for the message
     * @throws InputException when the line under the mark was changed: that edit could not be kept anywhere
     */
    public static String withoutFooter(Path file, String text, String kind, String slug, String engine) {
        Lines doc = Lines.parse(text);
        List<Lines.Line> lines = doc.lines();
        int mark = -1;
        for (int i = lines.size() - 1; i >= 0 && mark < 0; i--) {
            mark = lines.get(i).text().equals(FOOTER_MARK) ? i : -1;
        }
        if (mark < 0) {
            return text;
        }
        if (mark + 1 >= lines.size() || !lines.get(mark + 1).text().equals(expand(footerLine(kind, slug), engine))) {
            throw InputException.at(
                    file,
                    mark + 2,
                    1,
                    "the managed footer under '" + FOOTER_MARK + "' was changed, and pull-runtime cannot keep that"
                            + " edit: undo it (or delete the footer's two lines), write your text above the footer,"
                            + " and pull again");
        }
        int from = mark > 0 && lines.get(mark - 1).text().isEmpty() ? mark - 1 : mark;
        List<Lines.Line> out = new ArrayList<>(lines.subList(0, from));
        out.addAll(lines.subList(mark + 2, lines.size()));
        return doc.with(out).text();
    }

    /** Turns a Claude command into a Codex skill: front matter with name and description, then the body. */
    public static String commandAsSkill(String name, String command) {
        FrontMatter fm = FrontMatter.parse(command);
        String description =
                fm.get("description").orElseGet(() -> firstLine(fm.body()).orElse("The " + name + " command."));
        String body = fm.body().replace("$ARGUMENTS", ARGUMENTS_TEXT);
        return "---\nname: " + name + "\ndescription: " + description + "\n---\n" + body;
    }

    /**
     * Turns a deployed Codex skill back into the command it came from, keeping the source's front matter; a changed
     * description goes into it (a new front matter when the command had none).
     *
     * @param file the deployed skill, for the message
     * @param source the command's source file, for the message
     * @throws InputException when the skill's front matter was changed beyond its description
     */
    public static String skillAsCommand(Path file, Path source, String skill, String name, String originalCommand) {
        FrontMatter deployed = FrontMatter.parse(skill);
        FrontMatter pushed = FrontMatter.parse(commandAsSkill(name, originalCommand));
        FrontMatter original = FrontMatter.parse(originalCommand);
        String head = originalCommand.substring(
                0, originalCommand.length() - original.body().length());
        String body = deployed.body().replace(ARGUMENTS_TEXT, "$ARGUMENTS");
        if (head.isEmpty() && FrontMatter.opensWithDashes(body)) {
            // the body would open the command, so a '---' line there would give it front matter
            throw InputException.of(
                    file,
                    "the text after its front matter starts with a '---' line, which would give the command '" + name
                            + "' front matter it does not have (tool grants, hooks): remove that line here; if you"
                            + " mean it, write the front matter in " + source + " yourself, then pull again");
        }
        if (deployed.lines().equals(pushed.lines())) {
            return head + body;
        }
        if (!withoutDescription(deployed.lines()).equals(withoutDescription(pushed.lines()))) {
            throw InputException.of(
                    file,
                    "its front matter was changed beyond the description, which the command '" + name
                            + "' cannot keep: undo that here, change " + source + " instead, and pull again");
        }
        String description = "description: " + deployed.get("description").orElse("");
        List<String> lines = new ArrayList<>(original.lines());
        boolean replaced = false;
        for (int i = 0; i < lines.size() && !replaced; i++) {
            if (lines.get(i).startsWith("description:")) {
                lines.set(i, description);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(0, description);
        }
        return "---\n" + String.join("\n", lines) + "\n---\n" + body;
    }

    /**
     * Refuses a pulled skill or command whose front matter was changed beyond its description: {@code
     * allowed-tools}, {@code hooks} and the like would reach the other client and every home pushed from the source.
     *
     * @param file the deployed file, for the message
     * @param source the source file, for the message
     * @throws InputException when {@code pulled}'s front matter differs from {@code original}'s other than in the
     *     description
     */
    static void sameFrontMatter(Path file, Path source, String pulled, String original) {
        FrontMatter strict = FrontMatter.parse(original);
        Optional<List<String>> claude = FrontMatter.asClaudeReads(original);
        if (strict.lines().isEmpty() && claude.isEmpty()) {
            if (FrontMatter.opensWithDashes(pulled)) {
                // Claude Code takes '---' with spaces, a CR or a BOM before it, closed by any later '---', as front
                // matter: a file that had none may not start with one at all
                throw InputException.of(
                        file,
                        "it starts with a '---' line, which gives it front matter (tool grants, hooks) that " + source
                                + " does not have, and pull-runtime does not carry that: remove that line here; if"
                                + " you mean it, write the front matter in " + source + " yourself, then pull again");
            }
            return;
        }
        FrontMatter now = FrontMatter.parse(pulled);
        // the strict reading and Claude Code's must both see the source's front matter, so no spelling (a BOM, a
        // space after '---', a '---' inside a line) makes the client read keys the comparison did not see
        boolean same = withoutDescription(now.lines()).equals(withoutDescription(strict.lines()))
                && withoutDescription(FrontMatter.asClaudeReads(pulled).orElse(List.of()))
                        .equals(withoutDescription(claude.orElse(List.of())))
                && now.lines().stream()
                        .allMatch(l -> !l.contains("---") || strict.lines().contains(l));
        if (!same) {
            throw frontMatterChanged(file, source);
        }
        // in either reading: a front matter only Claude Code reads (after a BOM, '--- ') has no strict lines
        List<String> pulledLines = new ArrayList<>(now.lines());
        pulledLines.addAll(FrontMatter.asClaudeReads(pulled).orElse(List.of()));
        List<String> originalLines = new ArrayList<>(strict.lines());
        originalLines.addAll(claude.orElse(List.of()));
        for (String line : pulledLines) {
            if (line.startsWith("description:") && !originalLines.contains(line) && !singleLine(line)) {
                throw InputException.of(
                        file,
                        "its description is not a value on one line (an unclosed quote, a '|' or '>' block, an"
                                + " anchor, tag or list), so the keys under it would read differently, and pull-runtime"
                                + " does not carry that into " + source + ": write the description on one line (in"
                                + " quotes that close on it, or none) here, and pull again");
            }
        }
    }

    /**
     * Returns the keys of a skill's or command's front matter other than {@code name} and {@code description}
     * ({@code allowed-tools}, {@code hooks}, {@code model}, …) as either reading (strict, Claude Code's) finds them,
     * in order, each once.
     */
    static List<String> grantingKeys(String text) {
        List<String> lines = new ArrayList<>(FrontMatter.parse(text).lines());
        lines.addAll(FrontMatter.asClaudeReads(text).orElse(List.of()));
        return lines.stream()
                .filter(l -> !l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && "#-".indexOf(l.charAt(0)) < 0)
                .filter(l -> l.indexOf(':') > 0)
                .map(l -> l.substring(0, l.indexOf(':')).strip().replaceAll("^[\"']|[\"']$", ""))
                .filter(k -> !k.equals("name") && !k.equals("description"))
                // a key is printed in pull's notes: one spelled with anything but letters, digits, '_' and '-' is
                // shown quoted, its control characters escaped (it may come from an agent's file)
                .map(k -> k.matches("[A-Za-z0-9_-]+") ? k : "'" + TerminalText.safe(k) + "'")
                .distinct()
                .toList();
    }

    /** Single-quoted, double-quoted or plain: a description value that ends on its own line. */
    private static final Pattern ONE_LINE_VALUE = Pattern.compile(
            "(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^']|'')*')[ \t]*(#.*)?|(?![-?:](?:[ \t]|$))[^\"'|>&*!\\[{%@`#].*|");

    /** Returns whether a {@code description:} line's value is one YAML scalar that ends on that line. */
    static boolean singleLine(String line) {
        return ONE_LINE_VALUE
                .matcher(line.substring("description:".length()).strip())
                .matches();
    }

    private static InputException frontMatterChanged(Path file, Path source) {
        return InputException.of(
                file,
                "its front matter was changed beyond the description, and pull-runtime does not carry that (tool"
                        + " grants, hooks) into " + source + ": undo it here; if you mean it, write it in " + source
                        + " yourself, then pull again");
    }

    private static List<String> withoutDescription(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("description:")).toList();
    }

    /**
     * Puts placeholders back: a line equal to how a source line rendered becomes that source line again; any
     * other line is taken as it is.
     */
    public static String unexpand(String text, String source, String engine, String hubUrl) {
        Map<String, String> back = new HashMap<>();
        for (String line : source.split("\n", -1)) {
            String rendered = expand(line, engine).replace("{{hub_url}}", hubUrl);
            if (!rendered.equals(line)) {
                back.putIfAbsent(rendered, line);
            }
        }
        String[] lines = text.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            sb.append(i == 0 ? "" : "\n").append(back.getOrDefault(lines[i], lines[i]));
        }
        return sb.toString();
    }

    private static Optional<String> firstLine(String body) {
        return body.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
    }

    /**
     * Front matter between {@code ---} lines at the top of a Markdown file, with Unix or Windows line ends (a file
     * saved with CRLF keeps them in its body); a closing {@code ---} may end the file.
     */
    record FrontMatter(List<String> lines, String body) {
        /** What JavaScript's {@code \\s} matches. */
        private static final String JS_SPACE =
                "[\\s\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]";

        static FrontMatter parse(String text) {
            String nl = text.startsWith("---\r\n") ? "\r\n" : "\n";
            String open = "---" + nl;
            if (!text.startsWith(open)) {
                return new FrontMatter(List.of(), text);
            }
            String close = nl + "---";
            int end = text.indexOf(close + nl, open.length() - nl.length());
            int bodyAt = end + close.length() + nl.length();
            if (end < 0 && text.endsWith(close) && text.length() >= open.length() + close.length() - nl.length()) {
                end = text.length() - close.length();
                bodyAt = text.length();
            }
            if (end < 0) {
                return new FrontMatter(List.of(), text);
            }
            String inner = end < open.length() ? "" : text.substring(open.length(), end);
            return new FrontMatter(inner.lines().toList(), text.substring(bodyAt));
        }

        /** Claude Code's front matter pattern: a first {@code ---} line, up to the next {@code ---} anywhere. */
        private static final Pattern CLAUDE =
                Pattern.compile("^---" + JS_SPACE + "*\n([\\s\\S]*?)---" + JS_SPACE + "*\n?");

        /**
         * Returns the front matter's lines as Claude Code finds them (its pattern, after a byte order mark), line
         * ends and trailing spaces removed; empty when it finds none.
         */
        static Optional<List<String>> asClaudeReads(String text) {
            Matcher m = CLAUDE.matcher(withoutBom(text));
            if (!m.lookingAt()) {
                return Optional.empty();
            }
            return Optional.of(m.group(1).lines().map(String::stripTrailing).toList());
        }

        /** Returns whether the first line, byte order marks and leading blanks removed, starts with {@code ---}. */
        static boolean opensWithDashes(String text) {
            return withoutBom(text).strip().startsWith("---");
        }

        private static String withoutBom(String text) {
            int i = 0;
            while (i < text.length() && text.charAt(i) == '\uFEFF') {
                i++;
            }
            return text.substring(i);
        }

        Optional<String> get(String key) {
            return lines.stream()
                    .filter(l -> l.startsWith(key + ":"))
                    .map(l -> l.substring(key.length() + 1).strip())
                    .findFirst();
        }
    }
}
