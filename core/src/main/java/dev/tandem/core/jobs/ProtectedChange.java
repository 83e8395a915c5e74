package dev.tandem.core.jobs;

import java.util.Objects;
import java.util.Set;

/**
 * A file of the job's folder that runs code or grants permissions when the project is next opened (a name or relative
 * entry of the fs tools' write deny list: {@code .claude/settings.json}, {@code .mcp.json}, {@code .envrc}, …) that
 * appeared, was rewritten or went away while an engine process of the job ran. Who changed it is not known: the engine, or
 * anything else that wrote in the folder meanwhile.
 *
 * @param path the absolute path; for {@code unchecked}, the job's folder
 * @param change one of {@link #CHANGES}; {@code unchecked} when the folder holds more than one check looks at
 *     (entries, bytes or time), so changes past that point are not seen
 */
public record ProtectedChange(String path, String change) {
    /** The values of {@code change}. */
    public static final Set<String> CHANGES = Set.of("added", "changed", "removed", "unchecked");

    public ProtectedChange {
        Objects.requireNonNull(path, "path");
        if (!CHANGES.contains(change)) {
            throw new IllegalArgumentException("change must be one of " + CHANGES + ": " + change);
        }
    }
}
