package dev.tandem.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A throw-away Tandem checkout for the sync tool: this repository's {@code clients/} and an empty portfolio. */
public final class Checkouts {
    private Checkouts() {}

    /** Creates {@code repo} with a copy of {@code clients/} and an empty {@code context-portfolio/}. */
    public static Path copy(Path repo) throws IOException {
        Files.createDirectories(repo.resolve("context-portfolio"));
        Path clients = Path.of("..", "clients").toAbsolutePath().normalize();
        try (Stream<Path> s = Files.walk(clients)) {
            for (Path p : s.toList()) {
                Path to = repo.resolve("clients").resolve(clients.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return repo;
    }
}
