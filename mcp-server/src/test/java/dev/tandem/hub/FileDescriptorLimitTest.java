package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub started under a low open-file limit ({@code prlimit --nofile}), flooded with idle connections by a
 * process without the token: once the connections go away it serves again. Helidon's listener stops for good when
 * {@code accept} fails (for example with "Too many open files").
 */
class FileDescriptorLimitTest {
    private static final Pattern READY = Pattern.compile("tandem hub listening on http://127\\.0\\.0\\.1:(\\d+)/mcp");
    private static final int LIMIT = 256;

    @TempDir
    Path home;

    /** Starts {@code tandem serve} behind {@code wrapper}, with connections closed after 2 s without a request. */
    private ChildHub serve(List<String> wrapper) throws IOException {
        Files.createDirectories(home.resolve(".tandem"));
        Files.writeString(home.resolve(".tandem/hub.toml"), "[hub]\nidle_connection_seconds = 2\n");
        return ChildHub.run(
                home,
                wrapper,
                "serve",
                "--port",
                "0",
                "--data-dir",
                home.resolve("data").toString(),
                "--portfolio",
                home.toString());
    }

    /** Returns the port from the hub's ready line, once {@code /health} answers there. */
    private static int ready(ChildHub child) throws IOException {
        Matcher m = READY.matcher(String.valueOf(child.readLine()));
        assertTrue(m.matches(), child::stderr);
        int port = Integer.parseInt(m.group(1));
        assertEquals(200, health(port));
        return port;
    }

    /**
     * Opens up to {@code count} connections and holds them for 3 s (the hub accepts meanwhile, and without a cap
     * runs out of descriptors), then closes them; stops opening once one is refused (the listener is gone).
     */
    static void flood(int port, int count) throws IOException, InterruptedException {
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                flood.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
        } catch (java.net.SocketException e) {
            // refused, or reset by a listener that is going away: what the checks after the flood tell apart
        } finally {
            Thread.sleep(3000);
            for (Socket s : flood) {
                s.close();
            }
        }
    }

    @Test
    void runningOutOfFileDescriptorsNeverStopsTheListenerForGood() throws Exception {
        try (ChildHub child = serve(List.of("prlimit", "--nofile=" + LIMIT + ":" + LIMIT, "--"))) {
            int port = ready(child);
            flood(port, 3 * LIMIT);
            assertTrue(child.process.isAlive(), child::stderr);
            int status = healthWithin(port, 60_000);
            child.process.destroy(); // its stderr ends only when it does
            String log = child.stderr();
            assertEquals(200, status, log);
            // the cap kept the listener alive: it never had to be started again
            assertTrue(log.contains("serving at most"), log);
            assertFalse(log.contains("stopped accepting connections"), log);
        }
    }

    @Test
    void aListenerThatRanOutOfDescriptorsIsStartedAgain() throws Exception {
        // the limit drops below what the hub planned for when it started: accept fails, Helidon's listener gives up
        try (ChildHub child = serve(List.of())) {
            int port = ready(child);
            long pid = child.process.pid();
            long open;
            try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                open = fds.count();
            }
            Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + (open + 20))
                    .inheritIO()
                    .start();
            assertEquals(0, prlimit.waitFor());
            flood(port, 200);
            int status = healthWithin(port, 60_000);
            child.process.destroy();
            String log = child.stderr();
            assertEquals(200, status, log);
            assertTrue(log.contains("stopped accepting connections"), "the listener never failed: " + log);
        }
    }

    private static int health(int port) {
        return RawHttp.send(port, "GET", "/health", Map.of(), null).status();
    }

    /** Polls {@code /health} until it answers; returns its status, or -1 when it never did. */
    static int healthWithin(int port, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            try {
                return health(port);
            } catch (UncheckedIOException e) {
                Thread.sleep(500);
            }
        }
        return -1;
    }
}
