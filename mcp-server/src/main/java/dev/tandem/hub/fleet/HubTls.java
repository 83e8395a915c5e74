package dev.tandem.hub.fleet;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.Section;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hub's TLS: {@code [tls] cert} (a PEM certificate chain, the hub's own first) and {@code [tls] key} (its PEM
 * private key, PKCS#8, owner-only), read by Helidon's {@link Keys} (no PEM parsing of ours). With it the hub serves
 * {@code /mcp}, the dashboard and the fleet API over HTTPS only.
 *
 * @param tls the server's TLS set-up
 * @param names the DNS names and addresses the certificate is for: accepted in {@code Host} beside loopback
 * @param localPort {@code [tls] local_port}: the port of the plain-HTTP listener on {@code 127.0.0.1} that this
 *     machine's own clients, {@code doctor}, {@code dashboard} and {@code usage} use (0: a free one)
 */
public record HubTls(Tls tls, Set<String> names, int localPort) {
    public HubTls {
        names = Set.copyOf(names);
    }

    @Override
    public String toString() {
        return "HubTls[names=" + names + ", localPort=" + localPort + "]"; // never the key
    }

    /** Returns the TLS {@code [tls]} configures, or empty when it sets neither key. */
    public static Optional<HubTls> from(HubConfig config) {
        Section tls = config.reader("tls");
        Optional<Path> cert = tls.path("cert");
        Optional<Path> key = tls.path("key");
        if (cert.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (cert.isEmpty() || key.isEmpty()) {
            throw tls.error(
                    cert.isEmpty() ? "key" : "cert",
                    "needs [tls] " + (cert.isEmpty() ? "cert" : "key") + " beside it (both PEM files)");
        }
        readable(tls, "cert", cert.get());
        readable(tls, "key", key.get());
        ownerOnly(tls, key.get());
        Keys keys;
        try {
            keys = Keys.builder()
                    .pem(pem -> pem.key(Resource.create(key.get())).certChain(Resource.create(cert.get())))
                    .build();
        } catch (RuntimeException e) {
            throw tls.error("key", "and [tls] cert cannot be read as PEM: " + oneLine(e));
        }
        if (keys.privateKey().isEmpty()) {
            throw tls.error("key", key.get() + " holds no private key (PEM 'PRIVATE KEY', PKCS#8)");
        }
        if (keys.certChain().isEmpty()) {
            throw tls.error("cert", cert.get() + " holds no certificate (PEM 'CERTIFICATE')");
        }
        Tls built = Tls.builder()
                .privateKey(keys.privateKey().get())
                .privateKeyCertChain(keys.certChain())
                .build();
        int localPort = (int) tls.whole("local_port", 0, 65535, 0);
        return Optional.of(new HubTls(built, names(keys.certChain().getFirst()), localPort));
    }

    private static Set<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> alt = cert.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    // 2 = dNSName, 7 = iPAddress (RFC 5280 4.2.1.6)
                    Object type = entry.get(0);
                    if ((Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type))
                            && entry.get(1) instanceof String name) {
                        out.add(name.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable names: only loopback Host headers are accepted
        }
        return Set.copyOf(out);
    }

    private static void readable(Section tls, String key, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw tls.error(key, file + " is not a readable file");
        }
    }

    private static void ownerOnly(Section tls, Path key) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(key);
            if (mode.stream()
                    .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw tls.error("key", key + " can be read by other users: chmod 600 " + key);
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX modes here: nothing to check
        } catch (IOException e) {
            throw new ConfigException(
                    key + ": cannot read its mode: " + e.getClass().getSimpleName(), e);
        }
    }

    private static String oneLine(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && depth < 8; depth++) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        return m.lines().findFirst().orElse(root.getClass().getSimpleName());
    }
}
