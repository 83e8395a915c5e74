package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.hub.jobs.RealClis;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tandem} finds its checkout from its own path, whatever the caller's shell settings. The real script (a
 * byte-for-byte copy, with {@code bin/find-jdk}) runs under dash in a throw-away checkout whose two jars are a
 * stand-in that prints the checkout the launcher hands the JVM ({@code -Dtandem.repo}): the jars are newer than every
 * source there is, so nothing is built, and the real JDK runs them.
 */
class LauncherCheckoutTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    @Test
    void aRelativeScriptPathIsTakenFromTheWorkingFolderNeverFromCdpath() throws Exception {
        Path checkout = checkout(dir.resolve("checkout"));
        // CDPATH names a folder with a bin/ of its own: a cd that searched it would land in decoy/bin/..
        Path decoy = Files.createDirectories(dir.resolve("decoy/bin")).getParent();
        Run r = run(checkout, Map.of("CDPATH", decoy.toString()), "bin/tandem", "--version");
        assertEquals(0, r.exit(), r.err());
        assertEquals(
                "tandem.repo=" + checkout.toRealPath() + " args=[--version]",
                r.out().strip(),
                r.err());
        assertFalse(Files.exists(checkout.resolve("target/tandem-build.log")), "nothing was built");
    }

    /** Makes a checkout at {@code co}: the real launcher scripts, and a stand-in for each jar. */
    private Path checkout(Path co) throws IOException {
        Path bin = Files.createDirectories(co.resolve("bin"));
        for (String script : List.of("tandem", "find-jdk")) {
            Path to = bin.resolve(script);
            Files.copy(RealClis.ROOT.resolve("bin").resolve(script), to, StandardCopyOption.COPY_ATTRIBUTES);
            assertTrue(to.toFile().setExecutable(true, true));
        }
        Path hubJar = co.resolve("mcp-server/target/tandem-hub.jar");
        standInJar(hubJar);
        Path syncJar = Files.createDirectories(co.resolve("sync-tool/target")).resolve("tandem-sync.jar");
        Files.copy(hubJar, syncJar);
        return co;
    }

    /** Writes a jar whose main class prints the checkout the launcher passed ({@code tandem.repo}) and its arguments. */
    private void standInJar(Path jar) throws IOException {
        Path src = Files.createDirectories(dir.resolve("stand-in/src")).resolve("Main.java");
        Files.writeString(
                src,
                "public class Main { public static void main(String[] a) { System.out.println(\"tandem.repo=\" +"
                        + " System.getProperty(\"tandem.repo\") + \" args=\" + java.util.Arrays.toString(a)); } }\n");
        Path classes = Files.createDirectories(dir.resolve("stand-in/classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "the stand-in compiles");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Main");
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.putNextEntry(new JarEntry("Main.class"));
            j.write(Files.readAllBytes(classes.resolve("Main.class")));
            j.closeEntry();
        }
    }

    /** Runs {@code script} (a path relative to {@code cwd}) under dash in a clean environment plus {@code env}. */
    private Run run(Path cwd, Map<String, String> env, String script, String... args)
            throws IOException, InterruptedException {
        String shell = Files.isExecutable(Path.of("/usr/bin/dash")) ? "/usr/bin/dash" : "/bin/sh";
        List<String> cmd = new java.util.ArrayList<>(List.of(shell, script));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment()
                .putAll(Map.of(
                        "HOME",
                        Files.createDirectories(dir.resolve("home")).toString(),
                        "PATH",
                        "/usr/bin:/bin",
                        "JAVA_HOME",
                        System.getProperty("java.home")));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish in 60 s");
        return new Run(
                p.exitValue(),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
