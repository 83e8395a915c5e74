package dev.tandem.hub.git;

import java.util.List;
import java.util.Objects;

/**
 * A unified diff.
 *
 * @param text the unified diff, at most the requested number of bytes
 * @param truncated whether {@code text} was cut at the cap
 * @param files every changed path, whether or not its text fit
 */
public record DiffReport(String text, boolean truncated, List<FileChange> files) {
    public DiffReport {
        Objects.requireNonNull(text, "text");
        files = List.copyOf(files);
    }
}
