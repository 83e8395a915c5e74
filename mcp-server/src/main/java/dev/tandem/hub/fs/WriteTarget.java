package dev.tandem.hub.fs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a write lands.
 *
 * @param root the real root that holds it
 * @param parent the real path of the deepest existing folder, inside {@code root}
 * @param missing folders to create below {@code parent}, in order
 * @param name the file name inside the last folder
 */
public record WriteTarget(Path root, Path parent, List<String> missing, String name) {
    public WriteTarget {
        Objects.requireNonNull(root);
        Objects.requireNonNull(parent);
        Objects.requireNonNull(name);
        missing = List.copyOf(missing);
        if (!parent.startsWith(root)) {
            throw new IllegalArgumentException(parent + " is not inside " + root);
        }
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
            throw new IllegalArgumentException("bad file name " + name);
        }
    }

    /** Returns the real path the file will have. */
    public Path path() {
        Path p = parent;
        for (String m : missing) {
            p = p.resolve(m);
        }
        return p.resolve(name);
    }
}
