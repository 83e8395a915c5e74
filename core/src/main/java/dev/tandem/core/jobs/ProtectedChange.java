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
 * @param change one of {@link #CHANGES}; {@code unchecked} when a look could not see the whole folder (too big, too
 *     deep, a folder it could not list) or the record keeps no more: changes may have been missed; {@code present}
 *     when the file is there now but the earlier look did not reach it (that look failed or stopped early), so
 *     whether the job added or changed it is not known
 */
public record ProtectedChange(String path, String change) {
    /** The values of {@code change}. */
    public static final Set<String> CHANGES = Set.of("added", "changed", "removed", "present", "unchecked");

    /** Reads a value this version does not know (a newer hub's, in a shared store) as {@code unchecked}. */
    public ProtectedChange {
        Objects.requireNonNull(path, "path");
        if (change == null || !CHANGES.contains(change)) {
            change = "unchecked";
        }
    }

    /** Returns whether this says the folder was not seen whole: changes may have been missed. */
    public boolean unchecked() {
        return change.equals("unchecked");
    }
}
