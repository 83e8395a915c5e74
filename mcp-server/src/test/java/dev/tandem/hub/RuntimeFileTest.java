package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code tandem serve --port 0} records where it listens in {@code ~/.tandem/state/hub.json}, and the other
 * commands, each a separate process with the same home and no port given, reach it there.
 */
class RuntimeFileTest {
    private static final Pattern READY = Pattern.compile("tandem hub listening on http://127\\.0\\.0\\.1:(\\d+)/mcp");

    @TempDir
    Path home;

    @Test
    void hubOnPortZeroIsFoundByDashboardDoctorAndServiceStatusThenItsRecordGoes() throws Exception {
        Path record = home.resolve(".tandem/state/hub.json");
        try (ChildHub hub = ChildHub.run(
                home,
                "serve",
                "--port",
                "0",
                "--root",
                Files.createDirectories(home.resolve("work")).toString())) {
            String line = hub.readLine();
            assertNotNull(line, hub::stderr);
            Matcher m = READY.matcher(line);
            assertTrue(m.matches(), line);
            int port = Integer.parseInt(m.group(1));

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record)));
            JsonNode json = Json.mapper().readTree(Files.readString(record));
            assertEquals(hub.process.pid(), json.path("pid").asLong(), json.toString());
            assertEquals(port, json.path("port").asInt(), json.toString());
            assertEquals(HubVersion.get(), json.path("version").asString(), json.toString());
            Instant started = Instant.parse(json.path("started").asString());
            assertTrue(Duration.between(started, Instant.now()).toMinutes() < 10, json.toString());

            try (ChildHub dashboard = ChildHub.run(home, "dashboard")) {
                String url = dashboard.readLine();
                assertEquals(0, dashboard.waitFor(60), dashboard::stderr);
                assertNotNull(url, dashboard::stderr);
                assertTrue(url.startsWith("http://127.0.0.1:" + port + "/"), url);
            }
            try (ChildHub doctor = ChildHub.run(home, "doctor", "--json")) {
                StringBuilder out = new StringBuilder();
                for (String l = doctor.readLine(); l != null; l = doctor.readLine()) {
                    out.append(l);
                }
                doctor.waitFor(120);
                JsonNode hubCheck = null;
                for (JsonNode c : Json.mapper().readTree(out.toString())) {
                    if (c.path("check").asString().equals("hub")) {
                        hubCheck = c;
                    }
                }
                assertNotNull(hubCheck, out::toString);
                assertEquals("ok", hubCheck.path("status").asString(), hubCheck.toString());
                assertTrue(hubCheck.path("detail").asString().contains(":" + port + "/mcp"), hubCheck.toString());
            }

            String units = home.resolve("units").toString();
            try (ChildHub install = ChildHub.run(
                    home,
                    "service",
                    "install",
                    "--no-start",
                    "--launcher",
                    "/opt/tandem/bin/tandem",
                    "--platform",
                    "linux",
                    "--unit-dir",
                    units)) {
                assertEquals(0, install.waitFor(60), install::stderr);
            }
            try (ChildHub status =
                    ChildHub.run(home, "service", "status", "--platform", "linux", "--unit-dir", units)) {
                StringBuilder out = new StringBuilder();
                for (String l = status.readLine(); l != null; l = status.readLine()) {
                    out.append(l).append('\n');
                }
                assertEquals(0, status.waitFor(60), out + status.stderr());
                assertTrue(
                        out.toString()
                                .matches("(?s).*hub up at http://127\\.0\\.0\\.1:" + port + "/mcp: version "
                                        + Pattern.quote(HubVersion.get()) + ", pid " + hub.process.pid()
                                        + ", up \\d+[smhd].*"),
                        out.toString());
            }

            hub.process.destroy();
            hub.waitFor(15);
        }
        assertFalse(Files.exists(record), "the record goes when the hub stops");
    }
}
