package dev.tandem.sync.engine;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One finding: a file, the key path, block or aspect in it, and the expected and actual values.
 *
 * @param file the target file
 * @param item what differs: a key path such as {@code mcp_servers.tandem.url}, a block name, or {@code file}
 * @param expected the value the push would produce
 * @param actual the value on disk
 * @param kind drift, a stale live section, or a file the person edited since the last push
 * @param source the file's source under clients/ ({@code shared/skills/recall/run.sh}), or {@code ""} if none is
 *     known: what kind of file it is, whatever folders the clients' homes lie in
 */
public record Drift(Path file, String item, String expected, String actual, Kind kind, String source) {
    /** What a finding means for the person. */
    public enum Kind {
        /** The person's config no longer matches the source: push-runtime puts it right. */
        DRIFT,
        /**
         * A section generated from the hub's live state (the memories) is older than the state: not drift, push
         * refreshes it; check-sync reports it and exits 0 unless {@code --strict}.
         */
        STALE,
        /**
         * A file Tandem wrote was edited since: push leaves it alone until the person keeps the edit
         * ({@code pull-runtime}) or replaces it ({@code push-runtime --force FILE}).
         */
        CONFLICT
    }

    public Drift {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
    }

    public Drift(Path file, String item, String expected, String actual, Kind kind) {
        this(file, item, expected, actual, kind, "");
    }

    public Drift(Path file, String item, String expected, String actual) {
        this(file, item, expected, actual, Kind.DRIFT);
    }
}
