package dev.tandem.hub.delegation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the local process behind a loopback connection and its ancestors (Linux {@code /proc}): the connection's
 * port in {@code /proc/net/tcp} and {@code tcp6} gives the socket's inode, the process holding that socket is the
 * caller. The hub asks the kernel rather than the client, so an agent cannot hide that it runs inside a delegation.
 */
final class CallerProcess {
    private static final Path PROC = Path.of("/proc");
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    private CallerProcess() {}

    /**
     * Returns the pid of the process that holds the client end of a connection from {@code remote}
     * ({@code host:port}), followed by its ancestors; empty when it cannot be told (not loopback, no {@code /proc}).
     */
    static List<Long> chain(String remote) {
        Optional<Long> pid = port(remote).flatMap(CallerProcess::inode).flatMap(CallerProcess::holder);
        if (pid.isEmpty()) {
            return List.of();
        }
        Set<Long> out = new LinkedHashSet<>();
        Optional<ProcessHandle> h = ProcessHandle.of(pid.get());
        out.add(pid.get());
        while (h.isPresent()) {
            h = h.get().parent();
            h.ifPresent(p -> out.add(p.pid()));
        }
        return List.copyOf(out);
    }

    private static Optional<Integer> port(String remote) {
        int colon = remote.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(remote.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Returns the inode of the socket whose local port is {@code port}. */
    private static Optional<Long> inode(int port) {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(PROC.resolve(table), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = WHITESPACE.split(line.strip(), -1);
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (f.length > 9 && f[1].endsWith(hexPort) && !f[9].equals("0")) {
                    return Optional.of(Long.parseLong(f[9]));
                }
            }
        }
        return Optional.empty();
    }

    /** Returns the process that has the socket {@code inode} open. */
    private static Optional<Long> holder(long inode) {
        String link = "socket:[" + inode + "]";
        List<Path> pids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(PROC)) {
            for (Path p : dir) {
                if (p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    pids.add(p);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path p : pids) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
                for (Path fd : fds) {
                    if (link.equals(readLink(fd))) {
                        return Optional.of(Long.parseLong(p.getFileName().toString()));
                    }
                }
            } catch (IOException | SecurityException e) {
                // a process that is gone, or not ours to look at
            }
        }
        return Optional.empty();
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }
}
