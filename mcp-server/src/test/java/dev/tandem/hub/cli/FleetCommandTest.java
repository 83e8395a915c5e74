package dev.tandem.hub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.fleet.HostKey;
import dev.tandem.core.store.PostgresLocation;
import dev.tandem.core.store.PostgresServer;
import dev.tandem.hub.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tandem fleet …} against a real PostgreSQL store, and {@code tandem fleet enroll} in a child process. */
class FleetCommandTest {
    private static final Pattern KEY = Pattern.compile("key: (thk1\\.\\S+)");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path fleetConfig() throws Exception {
        PostgresServer server = PostgresServer.get();
        PostgresLocation db = server.newDatabase("fleetcli");
        Path pw = dir.resolve("pgpass");
        Files.writeString(pw, server.password() + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        return Files.writeString(
                dir.resolve("hub.toml"),
                "[memory]\nhost = \"desktop\"\n[store]\nurl = \"" + db + "\"\npassword_file = \"" + pw + "\"\n");
    }

    @Test
    void hostAddPrintsTheKeyOnceAndListAndAuditNeverShowIt() throws Exception {
        String config = fleetConfig().toString();
        assertEquals(
                0,
                run("fleet", "host", "add", "laptop", "--hub-url", "https://desktop.lan:8765", "--config", config),
                err.toString());
        String printed = out.toString();
        assertTrue(printed.contains("tandem fleet enroll https://desktop.lan:8765 --key-file -"), printed);
        Matcher m = KEY.matcher(printed);
        assertTrue(m.find(), printed);
        String key = m.group(1);
        assertTrue(HostKey.parse(key).isPresent());
        String secret = HostKey.parse(key).orElseThrow().secret();
        assertEquals(1, printed.split(Pattern.quote(secret), -1).length - 1, "the key is printed exactly once");
        assertEquals(0, run("fleet", "host", "list", "--config", config), err.toString());
        assertTrue(out.toString().contains("laptop"), out.toString());
        assertTrue(out.toString().contains("(first use)"), out.toString());
        assertFalse(out.toString().contains(secret));
        assertEquals(0, run("fleet", "freeze", "--config", config), err.toString());
        assertEquals(0, run("fleet", "thaw", "--config", config), err.toString());
        assertEquals(0, run("fleet", "host", "rotate", "laptop", "--hub-url", "https://d:1", "--config", config));
        assertEquals(0, run("fleet", "host", "revoke", "laptop", "--config", config), err.toString());
        assertEquals(0, run("fleet", "audit", "--config", config), err.toString());
        String audit = out.toString();
        for (String action : List.of("host-add", "freeze", "thaw", "host-rotate", "host-revoke")) {
            assertTrue(audit.contains(action), audit);
        }
        assertTrue(audit.contains("cli@desktop"), audit);
        assertFalse(audit.contains(secret), audit);
        assertEquals(2, run("fleet", "host", "add", "laptop", "--config", config));
        assertTrue(err.toString().startsWith("tandem: host laptop exists already"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void auditRowsAnotherHubWroteReachNoTerminalAsControlCharacters() throws Exception {
        String config = fleetConfig().toString();
        assertEquals(0, run("fleet", "host", "add", "laptop", "--config", config), err.toString());
        // the store is shared by the fleet's hubs: a row another of them wrote is text this one only prints
        String jdbc = java.util.Arrays.stream(Files.readString(Path.of(config)).split("\""))
                .filter(v -> v.startsWith("postgresql://") || v.startsWith("postgres://"))
                .findFirst()
                .map(u -> PostgresLocation.parse(u, java.util.Optional.empty()).jdbcUrl())
                .orElseThrow();
        String database = jdbc.replaceFirst("^.*/", "").replaceFirst("\\?.*$", "");
        try (java.sql.Connection c = PostgresServer.get().connect(database);
                java.sql.PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO fleet_audit (actor, action, host, detail) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, "hub@other\u001b]52;c;ZXZpbA==\u0007");
            ps.setString(2, "host-add");
            ps.setString(3, "x\u009b2J");
            ps.setString(4, "\u202egnp.exe");
            ps.executeUpdate();
        }
        assertEquals(0, run("fleet", "audit", "--config", config), err.toString());
        String audit = out.toString();
        for (char c : new char[] {'\u001b', '\u0007', '\u009b', '\u202e'}) {
            assertFalse(audit.indexOf(c) >= 0, () -> String.format("U+%04X printed raw in: %s", (int) c, audit));
        }
        assertTrue(audit.contains("hub@other\\u001b]52;c;ZXZpbA==\\u0007"), audit);
        assertTrue(audit.contains("x\\u009b2J"), audit);
        assertTrue(audit.contains("\\u202egnp.exe"), audit);
    }

    @Test
    void fleetCommandsRefuseTheSqliteStore() throws Exception {
        Path config = Files.writeString(dir.resolve("hub.toml"), "[memory]\nhost = \"box\"\n");
        assertEquals(2, run("fleet", "host", "list", "--config", config.toString()));
        assertTrue(err.toString().contains("the fleet needs a PostgreSQL store"), err.toString());
    }

    @Test
    void enrollReadsTheKeyFromStdinAndWritesOwnerOnlyFiles() throws Exception {
        Path home = Files.createDirectories(dir.resolve("laptop-home"));
        Path ca = Files.writeString(
                dir.resolve("hub.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        String key = HostKey.issue().key();
        ProcessBuilder pb = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Duser.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "fleet",
                "enroll",
                "https://desktop.lan:8765/",
                "--key-file",
                "-",
                "--ca",
                ca.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write(("\n" + key + "\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertFalse(output.contains(key), output);
        Path fleet = home.resolve(".tandem/fleet");
        assertEquals(key, Files.readString(fleet.resolve("host.key")).strip());
        assertEquals(
                "https://desktop.lan:8765",
                Files.readString(fleet.resolve("hub.url")).strip());
        assertTrue(Files.readString(fleet.resolve("ca.pem")).contains("BEGIN CERTIFICATE"));
        for (String f : List.of("host.key", "hub.url", "ca.pem")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fleet.resolve(f))));
        }
    }

    @Test
    void enrollRefusesPlainHttpOffThisMachineAndAKeyThatIsNone() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("k"), HostKey.issue().key() + "\n");
        assertEquals(2, run("fleet", "enroll", "http://desktop.lan:8765", "--key-file", keyFile.toString()));
        assertTrue(err.toString().contains("https:// only"), err.toString());
        Path notKey = Files.writeString(dir.resolve("n"), "s3cr3t-value-of-another-kind\n");
        assertEquals(2, run("fleet", "enroll", "https://desktop.lan:8765", "--key-file", notKey.toString()));
        assertTrue(err.toString().contains("does not hold a fleet host key"), err.toString());
        assertFalse(err.toString().contains("s3cr3t"), err.toString());
    }
}
