package dev.tandem.core.config;

import java.nio.file.Path;

/**
 * The two rules for relative paths, in one place so the hub and the sync tool cannot differ: a path in {@code
 * hub.toml} is relative to the folder holding the file; a path from the environment or a flag is relative to the
 * working directory, as a shell would take it. In both, {@code ~} and {@code ~/…} mean the home.
 */
final class ConfigPaths {
    private ConfigPaths() {}

    /** Resolves a path written in the configuration {@code file}. */
    static Path fromFile(String path, Path file, Path home) {
        Path folder = file.toAbsolutePath().getParent();
        return resolve(path, folder == null ? home : folder, home);
    }

    /** Resolves a path given in the environment or on the command line. */
    static Path fromWorkingDir(String path, Path workingDir, Path home) {
        return resolve(path, workingDir, home);
    }

    private static Path resolve(String path, Path base, Path home) {
        Path expanded = expandHome(path, home);
        return base.resolve(expanded).normalize();
    }

    /** Expands a leading {@code ~} to {@code home}; any other path is returned as it is. */
    static Path expandHome(String path, Path home) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path);
    }
}
