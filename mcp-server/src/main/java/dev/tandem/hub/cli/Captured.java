package dev.tandem.hub.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a program {@code tandem doctor} ran printed and how it ended: the clients' own commands and the auth helper,
 * each with the environment and working directory the client would give it, and a time limit.
 *
 * @param exit the exit code, or -1 when the program did not finish in time (it is then killed)
 */
record Captured(int exit, String out, String err) {
    private static final int CAP = 64 * 1024;

    boolean finished() {
        return exit >= 0;
    }

    /** Returns the first non-blank line of standard error, or of standard output when stderr is empty. */
    String firstErrorLine() {
        return (err.isBlank() ? out : err)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .findFirst()
                .orElse("");
    }

    /**
     * Runs {@code command} in {@code cwd} with exactly {@code env}, standard input closed; kills it after {@code
     * timeout}. Reads at most 64 KiB of each stream. Throws {@link IOException} when it cannot be started.
     */
    static Captured run(List<String> command, Map<String, String> env, Path cwd, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("tandem-doctor", ".out");
        Path err = Files.createTempFile("tandem-doctor", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(cwd.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                return new Captured(-1, read(out), read(err));
            }
            return new Captured(p.exitValue(), read(out), read(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(CAP), StandardCharsets.UTF_8);
        }
    }
}
