package dev.tandem.sync.runtime;

import java.util.List;
import java.util.Optional;

/** Expands placeholders per engine and adds the managed footer to skills and commands. */
public final class Render {
    static final String FOOTER_MARK = "<!-- tandem:footer -->";
    static final String TOOL_PREFIX = "mcp__tandem__";

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
        String body = fm.body().replace("$ARGUMENTS", "(the request the person gave with this skill)");
        return "---\nname: " + name + "\ndescription: " + description + "\n---\n" + body;
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
