package dev.tandem.core.config;

import dev.tandem.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a running {@code tandem serve} tells the other commands: the URL it really listens on (after {@code --port 0}
 * or {@code --port N}), its process id, start time and version, in {@code ~/.tandem/state/hub.json} (mode 0600). The sync tool wires the
 * clients to this URL while that process lives, so a hub started on another port than {@code hub.toml} names is the
 * one the clients reach.
 *
 * @param url the MCP endpoint, {@code http://127.0.0.1:PORT/mcp}
 * @param pid the hub's process id
 * @param started when the hub started listening
 * @param version the hub's version ({@code tandem --version}); empty in a record written without one
 */
public record HubRuntime(String url, long pid, Instant started, String version) {
    private static final String FILE = "hub.json";

    /** Returns the port of {@link #url}. */
    public int port() {
        return URI.create(url).getPort();
    }

    /** Returns the file under {@code layout}. */
    public static Path file(TandemLayout layout) {
        return layout.stateDir().resolve(FILE);
    }

    /** Records this process as the hub listening on {@code url}. */
    public static HubRuntime write(TandemLayout layout, String url) {
        return write(layout, url, "");
    }

    /** Records this process as the hub listening on {@code url}, at {@code version}, started now. */
    public static HubRuntime write(TandemLayout layout, String url, String version) {
        return write(layout, url, version, Optional.empty());
    }

    /**
     * What {@code tandem usage}'s client ({@code bin/usage-via-hub}) reads from the record: the key it sends the hub
     * instead of the token, and the proof the hub's answers to that key carry; random values of one start, known
     * to the hub and to whoever can read the record (the person alone: mode 0600 in an owner-only folder).
     */
    public record UsageKeys(String key, String proof) {}

    /** The same, with the keys of {@code tandem usage} answered by this hub. */
    public static HubRuntime write(TandemLayout layout, String url, String version, Optional<UsageKeys> usage) {
        HubRuntime runtime = new HubRuntime(url, ProcessHandle.current().pid(), Instant.now(), version);
        Path file = file(layout);
        try {
            OwnerOnly.dir(file.getParent());
            ObjectNode json = Json.mapper().createObjectNode();
            json.put("url", url);
            json.put("pid", runtime.pid());
            json.put("port", runtime.port());
            json.put("started", runtime.started().toString());
            json.put("version", version);
            usage.ifPresent(u -> {
                json.put("usageKey", u.key());
                json.put("usageProof", u.proof());
            });
            Path tmp = Files.createTempFile(
                    file.getParent(), ".hub-", ".json", PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
            Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot record the running hub: " + e.getMessage(), e);
        }
        return runtime;
    }

    /** Removes the record if it is still this process's (another hub may have started since). */
    public static void remove(TandemLayout layout) {
        read(file(layout)).filter(r -> r.pid() == ProcessHandle.current().pid()).ifPresent(r -> {
            try {
                Files.deleteIfExists(file(layout));
            } catch (IOException e) {
                // a stale record names a dead process and is ignored by readers
            }
        });
    }

    /** Returns the running hub under {@code layout}: a record whose process is still alive. */
    public static Optional<HubRuntime> running(TandemLayout layout) {
        return read(file(layout))
                .filter(r ->
                        ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    private static Optional<HubRuntime> read(Path file) {
        try {
            JsonNode json = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
            String url = json.path("url").asString("");
            long pid = json.path("pid").asLong(-1);
            Instant started = Instant.parse(json.path("started").asString(Instant.EPOCH.toString()));
            String version = json.path("version").asString("");
            return url.startsWith("http://") && pid > 0
                    ? Optional.of(new HubRuntime(url, pid, started, version))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // missing or unreadable: no running hub is known
        }
    }
}
