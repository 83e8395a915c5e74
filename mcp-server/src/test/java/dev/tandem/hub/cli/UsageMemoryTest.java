package dev.tandem.hub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.Main;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Memory stays flat in the size of the logs: {@code tandem usage daily} in a child JVM limited to a 64 MiB heap reads
 * a 2 GiB Claude Code log, one line of which (64 MiB) is larger than the whole heap.
 */
class UsageMemoryTest {
    private static final long GIB = 1L << 30;
    private static final int FILLER_LINES = 64;
    private static final int FILLER_BYTES = 4000;
    private static final int HEAP_MB = 64;

    @TempDir
    Path dir;

    private static String assistant(String id, String text) {
        return "{\"parentUuid\":null,\"isSidechain\":false,\"message\":{\"id\":\"" + id
                + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":"
                + "\"text\",\"text\":\"" + text
                + "\"}],\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":10}},\"requestId\":\"r" + id
                + "\",\"type\":\"assistant\",\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"cwd\":\"/w\",\"sessionId\":\"s\"}\n";
    }

    /** Writes about {@code bytes} of a log: user lines with tool output, one response per 64 of them. */
    private static long write(Path log, long bytes) throws IOException {
        StringBuilder filler = new StringBuilder();
        for (int i = 0; i < FILLER_LINES; i++) {
            filler.append("{\"parentUuid\":null,\"isSidechain\":false,\"type\":\"user\",\"message\":{\"role\":\"user\","
                            + "\"content\":[{\"type\":\"tool_result\",\"content\":\"")
                    .append("z".repeat(FILLER_BYTES))
                    .append("\"}]},\"timestamp\":\"2026-12-06T10:00:00.000Z\",\"sessionId\":\"s\"}\n");
        }
        ByteBuffer block = ByteBuffer.wrap(filler.toString().getBytes(StandardCharsets.UTF_8));
        long responses = 0;
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (ch.size() < bytes) {
                block.rewind();
                while (block.hasRemaining()) {
                    ch.write(block);
                }
                ch.write(ByteBuffer.wrap(assistant("m" + responses, "ok").getBytes(StandardCharsets.UTF_8)));
                responses++;
                if (responses == 4000) { // halfway: one response whose line is larger than the child's heap
                    ch.write(ByteBuffer.wrap(
                            assistant("huge", "h".repeat(64 << 20)).getBytes(StandardCharsets.UTF_8)));
                    responses++;
                }
            }
        }
        return responses;
    }

    @Test
    void aTwoGigabyteLogIsReadInASixtyFourMegabyteHeap() throws Exception {
        Path home = dir.resolve("home");
        Path project = Files.createDirectories(home.resolve(".claude/projects/-w"));
        long responses = write(project.resolve("s.jsonl"), 2 * GIB);
        assertTrue(Files.size(project.resolve("s.jsonl")) >= 2 * GIB);
        Path config = Files.writeString(
                dir.resolve("hub.toml"),
                "[memory]\nhost = \"box\"\n[usage]\ntimezone = \"UTC\"\nclaude_dirs = [\"" + home.resolve(".claude")
                        + "\"]\ncodex_home = \"" + home.resolve(".codex") + "\"\n");
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx" + HEAP_MB + "m",
                "-Duser.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "usage",
                "daily",
                "--json",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString()));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectError(dir.resolve("err.txt").toFile());
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("TANDEM_") || k.equals("CODEX_HOME") || k.equals("CLAUDE_CONFIG_DIR"));
        Process p = pb.start();
        byte[] stdout = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "tandem usage did not finish");
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(0, p.exitValue(), err);
        JsonNode total =
                JsonMapper.builder().build().readTree(stdout).path("totals").path("total");
        assertEquals(responses, total.path("responses").asLong(), err);
        assertEquals(responses * 100, total.path("inputTokens").asLong());
    }
}
