package dev.tandem.core.config;

import dev.tandem.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a running {@code tandem serve} tells the other commands: the URL it really listens on (after {@code --port 0}
 * or {@code --port N}) and its process id, in {@code ~/.tandem/state/hub.json} (mode 0600). The sync tool wires the
 * clients to this URL while that process lives, so a hub started on another port than {@code hub.toml} names is the
 * one the clients reach.
 *
 * @param url the MCP endpoint, {@code http://127.0.0.1:PORT/mcp}
 * @param pid the hub's process id
 */
public record HubRuntime(String url, long pid) {
    private static final String FILE = "hub.json";

    /** Returns the file under {@code layout}. */
    public static Path file(TandemLayout layout) {
        return layout.stateDir().resolve(FILE);
    }

    /** Records this process as the hub listening on {@code url}. */
    public static HubRuntime write(TandemLayout layout, String url) {
        HubRuntime runtime = new HubRuntime(url, ProcessHandle.current().pid());
        Path file = file(layout);
        try {
            OwnerOnly.dir(file.getParent());
            ObjectNode json = Json.mapper().createObjectNode();
            json.put("url", url);
            json.put("pid", runtime.pid());
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
            return url.startsWith("http://") && pid > 0 ? Optional.of(new HubRuntime(url, pid)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // missing or unreadable: no running hub is known
        }
    }
}
