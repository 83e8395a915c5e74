package dev.tandem.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority made with the JDK's {@code keytool}, and a hub certificate it signed for
 * {@code 127.0.0.1} and {@code localhost}: {@code ca.pem} (what a machine enrolls with), {@code hub.pem} (the hub's
 * chain, its certificate first) and {@code hub-key.pem} (PKCS#8, 0600).
 */
public record TestCa(Path caPem, Path hubPem, Path hubKeyPem) {
    private static final String PASS = "changeit";

    /** Makes a CA named {@code name} and its hub certificate in {@code dir}. */
    public static TestCa create(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path ca = dir.resolve("ca.p12");
            Path hub = dir.resolve("hub.p12");
            keytool(
                    dir,
                    "-genkeypair",
                    "-alias",
                    "ca",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=" + name,
                    "-ext",
                    "bc:c",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    ca.toString());
            keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", "ca.pem");
            keytool(
                    dir,
                    "-genkeypair",
                    "-alias",
                    "hub",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=tandem-test-hub",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    hub.toString());
            keytool(dir, "-certreq", "-alias", "hub", "-keystore", hub.toString(), "-file", "hub.csr");
            keytool(
                    dir,
                    "-gencert",
                    "-rfc",
                    "-alias",
                    "ca",
                    "-keystore",
                    ca.toString(),
                    "-infile",
                    "hub.csr",
                    "-outfile",
                    "hub-only.pem",
                    "-ext",
                    "san=ip:127.0.0.1,dns:localhost",
                    "-validity",
                    "2");
            Path caPem = dir.resolve("ca.pem");
            Path hubPem = dir.resolve("hub.pem");
            Files.writeString(hubPem, Files.readString(dir.resolve("hub-only.pem")) + Files.readString(caPem));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(hub)) {
                ks.load(in, PASS.toCharArray());
            }
            PrivateKey key = (PrivateKey) ks.getKey("hub", PASS.toCharArray());
            Path keyPem = dir.resolve("hub-key.pem");
            Files.createFile(
                    keyPem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    keyPem,
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(key.getEncoded())
                            + "\n-----END PRIVATE KEY-----\n");
            return new TestCa(caPem, hubPem, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the {@code [tls]} table of a hub that serves this CA's certificate. */
    public String tlsToml() {
        return "[tls]\ncert = \"" + hubPem + "\"\nkey = \"" + hubKeyPem + "\"\n";
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", PASS, "-noprompt"));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
