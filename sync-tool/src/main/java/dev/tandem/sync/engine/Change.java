package dev.tandem.sync.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One file whose actual content differs from its desired content.
 *
 * @param target the target, kept so the writer can render again if the file changed after planning
 * @param before the content when planned (empty: no file)
 * @param after the desired content (empty: delete)
 * @param drifts what differs in values; empty when only the text differs (e.g. markers lost, {@code 20.0})
 */
public record Change(Target target, Optional<byte[]> before, Optional<byte[]> after, List<Drift> drifts) {
    public Change {
        drifts = List.copyOf(drifts);
    }

    public Path path() {
        return target.path();
    }

    /** Returns what the change does: create, update or delete. */
    public String verb() {
        if (after.isEmpty()) {
            return "delete";
        }
        return before.isEmpty() ? "create" : "update";
    }
}
