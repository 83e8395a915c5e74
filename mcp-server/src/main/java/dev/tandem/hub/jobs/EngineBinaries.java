package dev.tandem.hub.jobs;

import dev.tandem.hub.runs.Engine;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds an engine's binary: the path {@code [jobs] codex} or {@code claude} names, else the first executable of
 * that name on the hub's {@code PATH}. Never from a caller: a job request names an engine, not a program.
 */
public final class EngineBinaries {
    private final JobSettings settings;
    private final Map<String, String> env;

    public EngineBinaries(JobSettings settings, Map<String, String> env) {
        this.settings = settings;
        this.env = Map.copyOf(env);
    }

    /** Returns the binary for {@code engine}. Thrown {@link JobException} (unavailable) naming how to fix it. */
    public Path find(Engine engine) {
        Optional<Path> configured = engine == Engine.CODEX ? settings.codex() : settings.claude();
        if (configured.isPresent()) {
            Path p = configured.get();
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new JobException(
                        JobException.Reason.UNAVAILABLE,
                        "[jobs] " + engine.wireName() + " = " + p + " is not an executable file");
            }
            return p;
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator, -1)) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir).resolve(engine.wireName());
                if (candidate.isAbsolute() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            } catch (InvalidPathException e) {
                // a malformed PATH entry is skipped
            }
        }
        throw new JobException(
                JobException.Reason.UNAVAILABLE,
                engine.wireName() + " is not on the hub's PATH: install it, or set [jobs] " + engine.wireName()
                        + " = \"/path/to/" + engine.wireName() + "\" in hub.toml");
    }
}
