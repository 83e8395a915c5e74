package dev.tandem.hub.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A server under test started from a shell command line on a free loopback port, and stopped with SIGTERM.
 *
 * <p>{@code {port}} in the command is replaced by the port, which is also in the environment as {@code PORT}.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofMinutes(2);

    private final Process process;
    private final URI uri;
    private final long startupNanos;
    private final Duration startupCpu;

    private ServerProcess(Process process, URI uri, long startupNanos) {
        this.process = process;
        this.uri = uri;
        this.startupNanos = startupNanos;
        this.startupCpu = cpuTime();
    }

    /**
     * Launches the command and returns once an {@code initialize} has succeeded; {@link #startupNanos()} is the time
     * from just before the launch to that response.
     */
    static ServerProcess start(Target target, HttpClient http, Optional<String> token)
            throws IOException, InterruptedException {
        int port = freePort();
        URI uri = URI.create("http://127.0.0.1:" + port + target.path());
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", target.command().replace("{port}", String.valueOf(port)))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PORT", String.valueOf(port));
        long t0 = System.nanoTime();
        Process process = pb.start();
        try {
            awaitInitialize(process, port, uri, http, token, t0);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(process);
            throw e;
        }
        return new ServerProcess(process, uri, System.nanoTime() - t0);
    }

    URI uri() {
        return uri;
    }

    long startupNanos() {
        return startupNanos;
    }

    /** Returns the CPU time the server used until it answered (on an idle machine, what bounds the start). */
    Duration startupCpu() {
        return startupCpu;
    }

    /** Returns the server's process and its descendants. */
    Stream<ProcessHandle> processes() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants());
    }

    /** Returns the CPU time the server's processes have used so far (user + system, all threads). */
    Duration cpuTime() {
        return processes()
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    @Override
    public void close() {
        try {
            stop(process);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Polls the port every millisecond, then sends {@code initialize} until one succeeds. */
    private static void awaitInitialize(
            Process process, int port, URI uri, HttpClient http, Optional<String> token, long t0)
            throws IOException, InterruptedException {
        BenchException last = new BenchException("no answer");
        while (System.nanoTime() - t0 < START_LIMIT.toNanos()) {
            if (!process.isAlive()) {
                throw new BenchException("server exited with status " + process.exitValue() + " before answering: "
                        + String.join(
                                " ", process.info().arguments().map(List::of).orElse(List.of())));
            }
            if (accepts(port)) {
                try {
                    McpSession.initializeOnce(http, uri, token);
                    return;
                } catch (ConnectException e) {
                    last = new BenchException(uri + ": " + e, e);
                } catch (BenchException e) {
                    last = e; // listening but not ready yet (or refusing: reported if it never succeeds)
                }
            }
            Thread.sleep(1);
        }
        throw new BenchException(
                "no successful initialize within " + START_LIMIT.toSeconds() + " s: " + last.getMessage(), last);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Sends SIGTERM to the process and its descendants, and SIGKILL to whatever is left after 30 s (the first hub
     * run after a build writes its CDS archive at exit, which takes seconds on a busy machine).
     */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                p.destroyForcibly();
            }
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
