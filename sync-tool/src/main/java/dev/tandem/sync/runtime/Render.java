package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.runtime.Sources.Source;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        return text + "\n" + FOOTER_MARK + "\n"
                + "When you use this " + kind + ", first call the Tandem hub tool `{{tool_prefix}}log_command`"
                + " with `{\"slug\": \"" + slug + "\"}` ({{engine}}), so the person sees which " + kind
                + "s are used.\n";
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

    /** Removes the footer again (pull-runtime). */
    public static String withoutFooter(String text) {
        int at = text.indexOf("\n" + FOOTER_MARK + "\n");
        if (at < 0) {
            return text;
        }
        String body = text.substring(0, at + 1);
        return body.endsWith("\n\n") ? body.substring(0, body.length() - 1) : body;
    }

    /** Turns a Claude command into a Codex skill: front matter with name and description, then the body. */
    public static String commandAsSkill(String name, String command) {
        FrontMatter fm = FrontMatter.parse(command);
        String description =
                fm.get("description").orElseGet(() -> firstLine(fm.body()).orElse("The " + name + " command."));
        String body = fm.body().replace("$ARGUMENTS", ARGUMENTS_TEXT);
        return "---\nname: " + name + "\ndescription: " + description + "\n---\n" + body;
    }

    /** Turns a deployed Codex skill back into the command it came from, keeping the source's front matter. */
    public static String skillAsCommand(String skill, String originalCommand) {
        String body = FrontMatter.parse(skill).body().replace(ARGUMENTS_TEXT, "$ARGUMENTS");
        String original = originalCommand;
        int bodyAt = original.length() - FrontMatter.parse(original).body().length();
        return original.substring(0, bodyAt) + body;
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

    /** Front matter between {@code ---} lines at the top of a Markdown file. */
    record FrontMatter(List<String> lines, String body) {
        static FrontMatter parse(String text) {
            if (!text.startsWith("---\n")) {
                return new FrontMatter(List.of(), text);
            }
            int end = text.indexOf("\n---\n", 3);
            if (end < 0) {
                return new FrontMatter(List.of(), text);
            }
            return new FrontMatter(text.substring(4, end).lines().toList(), text.substring(end + 5));
        }

        Optional<String> get(String key) {
            return lines.stream()
                    .filter(l -> l.startsWith(key + ":"))
                    .map(l -> l.substring(key.length() + 1).strip())
                    .findFirst();
        }
    }
}
