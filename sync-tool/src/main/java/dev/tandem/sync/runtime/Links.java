package dev.tandem.sync.runtime;

import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.engine.DeployedFile;
import dev.tandem.sync.engine.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds symlinks where Tandem deploys files it owns whole (skills, commands, memory files). Those files are
 * Tandem's: a link there was put by someone else, and following it would read a file outside the clients' folders
 * into {@code clients/} (pull) or write into one (push). The clients' own folders ({@code ~/.claude},
 * {@code $CODEX_HOME}) and the folders right in them ({@code ~/.claude/skills}) may be links, as a dotfiles
 * checkout makes them; a skill's own folder and every file Tandem deploys may not.
 */
final class Links {
    private Links() {}

    /**
     * Returns the first symlink on the way down to {@code file} from the folder right in the root of {@code roots}
     * that holds it ({@code ~/.claude/skills}), {@code file} included; just {@code file} when no root holds it.
     */
    static Optional<Path> first(List<Path> roots, Path file) {
        Optional<Path> root = roots.stream()
                .filter(r -> file.startsWith(r) && !file.equals(r))
                .findFirst();
        if (root.isEmpty()) {
            return Files.isSymbolicLink(file) ? Optional.of(file) : Optional.empty();
        }
        Path current = root.get();
        Path below = root.get().relativize(file);
        for (int i = 0; i < below.getNameCount(); i++) {
            current = current.resolve(below.getName(i));
            boolean folderInRoot = i == 0 && below.getNameCount() > 1;
            if (!folderInRoot && Files.isSymbolicLink(current)) {
                return Optional.of(current);
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses a symlink on the way to {@code file} (see {@link #first}), naming it and where it points.
     *
     * @param what what the command does not do through a link, and what the person should do
     * @throws InputException when there is one
     */
    static void refuse(List<Path> roots, Path file, String what) {
        Optional<Path> link = first(roots, file);
        if (link.isPresent()) {
            throw InputException.of(link.get(), "is a symlink (to " + target(link.get()) + ") " + what);
        }
    }

    private static InputException hardLinked(Path file, int links, String what) {
        return InputException.of(
                file,
                "has " + links + " hard links, so it shares its bytes with another file, " + what
                        + leftover(file)
                                .map(l ->
                                        " (" + l + ", left by an interrupted tandem write, is one of them: delete it)")
                                .orElse(""));
    }

    /**
     * Reads a file Tandem deployed strictly ({@link DeployedFile}), refusing a link and, unless it holds exactly the
     * bytes push last wrote there ({@code pushed}, as in a home copied with {@code cp -al}), a file with more than
     * one hard link. The hard-link acceptance is decided from the same bytes that are returned, never from a second
     * read.
     *
     * @param what what the command does not do with a hard-linked file, and what the person should do
     * @throws InputException when the file is a link, not a regular file, changed while read, or hard-linked with
     *     bytes that are not push's own
     */
    static Optional<byte[]> readOwned(Path file, Optional<String> pushed, String what) {
        Optional<DeployedFile.Read> read = DeployedFile.read(file);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        int links = read.get().links();
        byte[] bytes = read.get().bytes();
        if (links > 1 && !pushed.map(Sha256.hex(bytes)::equals).orElse(false)) {
            throw hardLinked(file, links, what);
        }
        return Optional.of(bytes);
    }

    /** Returns a copy a tandem write interrupted mid-way kept beside {@code file} as a hard link, if any. */
    private static Optional<Path> leftover(Path file) {
        Path dir = file.getParent();
        String prefix = "." + file.getFileName() + ".";
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith(prefix) && n.endsWith(".tandem-old");
                    })
                    .filter(p -> {
                        try {
                            return Files.isSameFile(p, file);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Returns how many hard links {@code file} has; 1 when it is gone or the file system does not say. */
    static int count(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 1; // no such attribute on this file system (not Unix): nothing to compare
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read its link count", e);
        }
    }

    /** Returns the symlinks below {@code dir}, which {@link Sources#walk} passes over or follows. */
    static List<Path> below(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isSymbolicLink).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot walk", e);
        }
    }

    static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "somewhere it cannot say";
        }
    }
}
