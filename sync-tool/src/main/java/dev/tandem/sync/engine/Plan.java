package dev.tandem.sync.engine;

import dev.tandem.core.cli.TerminalText;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of planning: the changes, how many files were checked, warnings that are not drift, the files left
 * alone because the person edited them, and the key files that are missing or stale.
 *
 * @param changes files to change, in target order
 * @param checked how many targets were compared, key files included
 * @param warnings notes for the person (e.g. {@code $TANDEM_TOKEN} differs from the token file)
 * @param conflicts files Tandem wrote that were edited since: nothing is written to them
 * @param keys key files (an engine's fleet key) that are missing or not the expected key: named, never rendered,
 *     so neither a diff nor a backup holds a key; push writes them after a plan that wrote everything
 */
public record Plan(List<Change> changes, int checked, List<String> warnings, List<Drift> conflicts, List<Drift> keys) {
    public Plan {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
        conflicts = List.copyOf(conflicts);
        keys = List.copyOf(keys);
    }

    public Plan(List<Change> changes, int checked, List<String> warnings, List<Drift> conflicts) {
        this(changes, checked, warnings, conflicts, List.of());
    }

    public Plan(List<Change> changes, int checked, List<String> warnings) {
        this(changes, checked, warnings, List.of());
    }

    /** Returns this plan with {@code files} key files checked, of which {@code findings} are missing or stale. */
    public Plan withKeys(int files, List<Drift> findings) {
        List<Drift> all = new java.util.ArrayList<>(keys);
        all.addAll(findings);
        return new Plan(changes, checked + files, warnings, conflicts, all);
    }

    /** Returns whether the person's config no longer matches the source (edited files included). */
    public boolean hasDrift() {
        return !conflicts.isEmpty()
                || !keys.isEmpty()
                || changes.stream().flatMap(c -> c.drifts().stream()).anyMatch(d -> d.kind() == Drift.Kind.DRIFT);
    }

    /** Returns whether a live section is older than the state it shows. */
    public boolean hasStale() {
        return changes.stream().flatMap(c -> c.drifts().stream()).anyMatch(d -> d.kind() == Drift.Kind.STALE);
    }

    /** Returns the line that tells the person how to settle an edited file. */
    public static String conflictLine(Drift conflict) {
        return "tandem: " + TerminalText.safe(String.valueOf(conflict.file()))
                + ": edited since the last push, so push-runtime left it as it is; " + settle(conflict);
    }

    /**
     * Returns how the person settles {@code conflict}, a file edited since the last push: keep the edit as
     * pull-runtime takes that kind of file (a skill's file other than SKILL.md only when named, a profile's or front
     * matter's grants never), or replace it. The kind is told by the file's source under clients/, never by the
     * folders the clients' homes lie in (a home under /srv/skills/).
     */
    public static String settle(Drift conflict) {
        Path file = conflict.file();
        String shown = TerminalText.safe(file.toString()); // a name anyone who can write the folder chose
        String source = conflict.source();
        String name = file.getFileName().toString();
        boolean skill = source.startsWith("shared/skills/");
        String keep;
        if (skill && !name.equals("SKILL.md")) {
            // the sha256 of the bytes found now: a file changed again before the pull is refused
            keep = "read the change, then keep it with 'tandem sync pull-runtime --accept " + shown + "@"
                    + conflict.actual() + "' (a skill's file other than SKILL.md runs as it is in both clients)";
        } else if (name.endsWith(".config.toml")) {
            keep = "keep the edit with 'tandem sync pull-runtime' if it changes only the model settings pull takes"
                    + " from a profile (it names any other key: make that change in clients/ yourself)";
        } else if (name.endsWith(".md") && (skill || source.startsWith("shared/commands/"))) {
            keep = "keep the edit with 'tandem sync pull-runtime' (it takes a changed description but no other"
                    + " front-matter change, and a line Claude Code runs as a shell command only with --accept: make"
                    + " those in clients/ yourself)";
        } else {
            keep = "keep the edit with 'tandem sync pull-runtime'";
        }
        return keep + ", or replace it with 'tandem sync push-runtime --force " + shown + "'";
    }
}
