package dev.tandem.hub.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Checks that a task's folder is inside a root, on real paths so a symlink cannot lead out. */
final class TaskDirs {
    private TaskDirs() {}

    /**
     * Returns the real path of {@code dir} when it lies inside one of {@code roots}.
     *
     * @throws TaskException when it is outside the roots or not a folder
     * @throws IOException when it cannot be resolved (for example it does not exist)
     */
    static Path insideRoots(Path dir, List<Path> roots) throws IOException {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (NoSuchFileException e) {
            throw new TaskException("'" + dir + "' does not exist", e);
        }
        if (!Files.isDirectory(real)) {
            throw new TaskException("'" + dir + "' is not a directory");
        }
        for (Path root : roots) {
            Path realRoot;
            try {
                realRoot = root.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (real.startsWith(realRoot)) {
                return real;
            }
        }
        throw new TaskException("'" + dir + "' is outside the roots");
    }
}
