package dev.tandem.hub.skills;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One skill: {@code <dir>/<slug>/SKILL.md}, front matter {@code name} and {@code description}, then the body.
 *
 * @param slug the folder name, also the prompt name and the {@code skill://} resource name
 * @param name the front matter's {@code name} (the slug when absent)
 * @param description the front matter's {@code description}
 * @param body the text after the front matter
 * @param arguments the prompt's arguments: front matter {@code arguments}, else {@code args} when the body uses
 *     {@code $ARGUMENTS}
 * @param sha256 hex digest of the whole file
 * @param file where it lives
 */
public record Skill(
        String slug, String name, String description, String body, List<String> arguments, String sha256, Path file) {
    /** A slug is a folder name safe in a URI and a prompt name. */
    public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Skill {
        Objects.requireNonNull(slug);
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        Objects.requireNonNull(body);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(file);
        arguments = List.copyOf(arguments);
        if (!SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("not a skill slug: " + slug);
        }
    }

    /** Returns the body with {@code {{name}}} placeholders and {@code $ARGUMENTS} filled in. */
    public String render(java.util.Map<String, String> values) {
        String out = body;
        for (var e : values.entrySet()) {
            out = out.replace("{{" + e.getKey() + "}}", e.getValue());
        }
        String all = String.join(" ", values.values());
        return out.replace("$ARGUMENTS", all);
    }
}
