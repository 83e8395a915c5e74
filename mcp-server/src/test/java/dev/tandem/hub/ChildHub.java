package dev.tandem.hub;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code tandem} ({@link Main}) in a child JVM with this test's class path, as a person would run it. */
final class ChildHub implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("tandem hub listening on http://127\\.0\\.0\\.1:(\\d+)/mcp");

    final Process process;
    // a file, not a pipe: a pipe's reader can lose the race with the process's exit ("Stream closed") or, when it
    // starts late on a busy machine, let the pipe fill and stall the hub
    private final Path stderrFile;
    private final BufferedReader stdout;

    private ChildHub(Process process, Path stderrFile) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stderrFile = stderrFile;
    }

    static ChildHub run(Path home, String... args) {
        return run(home, List.of(), args);
    }

    /** Runs {@code tandem} behind {@code wrapper}, a command that runs the rest (such as {@code prlimit … --}). */
    static ChildHub run(Path home, List<String> wrapper, String... args) {
        return run(home, wrapper, List.of(), args);
    }

    /** Runs {@code tandem} behind {@code wrapper} in a JVM started with {@code jvmOptions}. */
    static ChildHub run(Path home, List<String> wrapper, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Duser.home=" + home);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("TANDEM_"));
            Path stderrFile = Files.createTempFile("tandem-child", ".stderr");
            pb.redirectError(stderrFile.toFile());
            return new ChildHub(pb.start(), stderrFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code tandem serve} on a free port with {@code config}, its data under {@code home/data} and
     * {@code portfolio} as its portfolio.
     */
    static ChildHub serve(Path home, Path config, Path portfolio) {
        return run(
                home,
                "serve",
                "--config",
                config.toString(),
                "--port",
                "0",
                "--data-dir",
                home.resolve("data").toString(),
                "--portfolio",
                portfolio.toString());
    }

    /** Reads the hub's ready line and returns the port it is bound to; fails with its stderr if there is none. */
    int port() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new AssertionError("tandem serve printed no ready line: " + stderr());
        }
        Matcher m = READY.matcher(line);
        if (!m.matches()) {
            throw new AssertionError("not the ready line: " + line);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Returns the next line of standard output, or null at its end. */
    String readLine() throws IOException {
        return stdout.readLine();
    }

    /** Waits for the exit and returns the code. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tandem did not exit within " + seconds + " s");
        }
        return process.exitValue();
    }

    /** Returns an initialized SDK client of the hub on {@code port}, introducing itself as {@code name}. */
    static McpSyncClient client(int port, String token, String name, Duration requestTimeout) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(
                        "http://127.0.0.1:" + port)
                .endpoint("/mcp")
                .addHttpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient c = McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder(name, "1.0.0").build())
                .requestTimeout(requestTimeout)
                .build();
        c.initialize();
        return c;
    }

    /** Returns the status of {@code GET /health} on {@code port}, waiting at most ten seconds. */
    static int health(int port) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10))
                    .build();
            return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    /** Returns what the process has written on stderr so far, without waiting for it to exit. */
    String stderrSoFar() {
        try {
            return Files.readString(stderrFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    /** Returns what the hub wrote on stderr, once it has exited (waiting for that as long as it takes). */
    String stderr() {
        try {
            process.waitFor();
            return Files.readString(stderrFile, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted while waiting for the hub's stderr)";
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
            Files.deleteIfExists(stderrFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a temp file left behind
        }
    }
}
