package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.fs.FsReader;
import dev.tandem.hub.jobs.RealClis;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap and GC options {@code bin/tandem} starts {@code serve} with ({@code bin/serve.jvm-options}) leave room for
 * the largest responses a hub gives: a real hub in a JVM with exactly those options, reached by the SDK's client.
 */
class ServeJvmOptionsTest {
    private static final Pattern READY = Pattern.compile("tandem hub listening on http://127\\.0\\.0\\.1:(\\d+)/mcp");
    private static final int SESSIONS = 16;

    @TempDir
    Path home;

    static List<String> serveOptions() throws Exception {
        return Files.readAllLines(RealClis.ROOT.resolve("bin/serve.jvm-options"), StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    @Test
    void optionsPickTheSerialCollectorAndLeaveTheHeapCapAtTheJvmDefault() throws Exception {
        List<String> options = serveOptions();
        assertTrue(options.contains("-XX:+UseSerialGC"), options.toString());
        // other tools still hold a whole file of up to 32 MiB per call (docs/benchmarks.md, Footprint: no heap cap)
        assertFalse(options.stream().anyMatch(o -> o.startsWith("-Xmx")), options.toString());
    }

    @Test
    void sixteenReadsOfTheLargestFileFitInAHeapSmallerThanTheFile() throws Exception {
        Path root = Files.createDirectories(home.resolve("root"));
        writeLargestFile(root.resolve("huge.log"));
        // fs_read streams the file: each read holds its answer (max_bytes) and a chunk, not the 32 MiB file
        List<String> options = new ArrayList<>(serveOptions());
        options.add("-Xmx48m");
        List<String> texts = readConcurrently(root, Map.of("path", "huge.log"), options);
        for (String text : texts) {
            assertTrue(text.contains("\"totalLines\":32736"), text.substring(Math.max(0, text.length() - 300)));
        }
    }

    private static void writeLargestFile(Path file) throws Exception {
        byte[] line = "0123456789abcdef".repeat(64).concat("\n").getBytes(StandardCharsets.US_ASCII);
        try (var out = Files.newOutputStream(file)) {
            for (long n = 0; n + line.length <= FsReader.MAX_FILE_BYTES - 1; n += line.length) {
                out.write(line);
            }
        }
    }

    @Test
    void sixteenSessionsEachReadingOneMebibyteAtOnceAllGetTheWholeText() throws Exception {
        Path root = Files.createDirectories(home.resolve("root"));
        String mib = "0123456789abcdef".repeat(64).concat("\n").repeat(1024 * 1024 / 1025 + 1);
        Files.writeString(root.resolve("big.txt"), mib);
        int maxBytes = FsReader.MAX_MAX_BYTES;
        List<String> texts = readConcurrently(root, Map.of("path", "big.txt", "max_bytes", maxBytes));
        for (String text : texts) {
            assertTrue(text.length() > 1024 * 1024, "a whole MiB came back: " + text.length());
            assertFalse(text.contains("\"isError\":true"), text.substring(0, 200));
        }
    }

    @Test
    void sixteenSessionsReadingTheLargestFileFsReadAcceptsAllGetAnAnswer() throws Exception {
        Path root = Files.createDirectories(home.resolve("root"));
        writeLargestFile(root.resolve("huge.log"));
        List<String> texts = readConcurrently(root, Map.of("path", "huge.log"));
        for (String text : texts) {
            assertTrue(text.contains("0123456789abcdef"), text.substring(0, Math.min(200, text.length())));
        }
    }

    /** Starts a hub with the serve options, reads with fs_read from 16 sessions at once, returns each text. */
    private List<String> readConcurrently(Path root, Map<String, Object> arguments) throws Exception {
        return readConcurrently(root, arguments, serveOptions());
    }

    private List<String> readConcurrently(Path root, Map<String, Object> arguments, List<String> jvmOptions)
            throws Exception {
        try (ChildHub child = ChildHub.run(
                home,
                List.of(),
                jvmOptions,
                "serve",
                "--port",
                "0",
                "--root",
                root.toString(),
                "--data-dir",
                home.resolve("data").toString())) {
            String ready = child.readLine();
            assertNotNull(ready, child::stderr);
            Matcher m = READY.matcher(ready);
            assertTrue(m.matches(), ready);
            int port = Integer.parseInt(m.group(1));
            String token = Files.readString(home.resolve(".tandem/token")).strip();
            List<McpSyncClient> clients = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(SESSIONS)) {
                for (int i = 0; i < SESSIONS; i++) {
                    clients.add(ChildHub.client(port, token, "reader-" + i, Duration.ofMinutes(2)));
                }
                List<Future<McpSchema.CallToolResult>> calls = new ArrayList<>();
                for (McpSyncClient c : clients) {
                    calls.add(pool.submit(() -> c.callTool(McpSchema.CallToolRequest.builder("fs_read")
                            .arguments(arguments)
                            .build())));
                }
                List<String> texts = new ArrayList<>();
                for (Future<McpSchema.CallToolResult> call : calls) {
                    McpSchema.CallToolResult r = call.get();
                    assertFalse(Boolean.TRUE.equals(r.isError()), r.toString().substring(0, 300));
                    texts.add(((McpSchema.TextContent) r.content().get(0)).text());
                }
                assertEquals(200, ChildHub.health(port), "the hub still answers after the reads");
                return texts;
            } finally {
                clients.forEach(McpSyncClient::closeGracefully);
                child.process.destroy();
                child.waitFor(30);
            }
        }
    }
}
