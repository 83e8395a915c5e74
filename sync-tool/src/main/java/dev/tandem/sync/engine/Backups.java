package dev.tandem.sync.engine;

import dev.tandem.core.config.OwnerOnly;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps a copy of every file a command replaces or deletes, under {@code ~/.tandem/backups/<UTC time>/}, with the
 * file's path below the home (or below {@code root/} when outside it). Only the newest {@code keep} runs stay.
 */
public final class Backups {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");

    private final Path root;
    private final Path home;
    private final int keep;
    private final Clock clock;
    private Path run;

    public Backups(Path root, Path home, int keep, Clock clock) {
        this.root = root;
        this.home = home;
        this.keep = keep;
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    /** Saves the content a file had before it is replaced; returns where. */
    public Path save(Path file, byte[] content) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        Path rel = abs.startsWith(home)
                ? home.relativize(abs)
                : Path.of("root").resolve(abs.getRoot().relativize(abs));
        Path copy = run().resolve(rel);
        OwnerOnly.dir(copy.getParent());
        Files.write(copy, content);
        Files.setPosixFilePermissions(copy, Target.PRIVATE);
        return copy;
    }

    private Path run() throws IOException {
        if (run == null) {
            OwnerOnly.dir(root);
            String stamp = STAMP.format(clock.instant().atOffset(ZoneOffset.UTC));
            Path candidate = root.resolve(stamp);
            for (int n = 1; Files.exists(candidate); n++) {
                candidate = root.resolve(stamp + "-" + n);
            }
            run = OwnerOnly.dir(candidate);
            prune();
        }
        return run;
    }

    private void prune() throws IOException {
        List<Path> runs;
        try (Stream<Path> s = Files.list(root)) {
            runs = s.filter(Files::isDirectory).sorted().toList();
        }
        for (int i = 0; i < runs.size() - keep; i++) {
            deleteTree(runs.get(i));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
