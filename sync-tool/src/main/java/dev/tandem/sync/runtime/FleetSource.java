package dev.tandem.sync.runtime;

import dev.tandem.core.fleet.ClientFile;
import dev.tandem.core.fleet.ClientsTree;
import dev.tandem.core.fleet.FleetContentException;
import dev.tandem.core.hash.Sha256;
import dev.tandem.core.json.Json;
import dev.tandem.sync.engine.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Downloads a fleet hub's canonical {@code clients/} content ({@code GET /api/fleet/clients} and each listed file)
 * for {@code push-runtime --from} and {@code check-sync --from}, and checks every file against the manifest's size
 * and SHA-256 before anything is used: a missing, short, long or altered file stops the command with nothing
 * written.
 *
 * <p>{@code http://} only to a loopback address; {@code https://} otherwise, trusting only {@code ca.pem} when one is
 * given. The host key goes in the {@code Authorization} header and nowhere else: no message names it.
 */
public final class FleetSource {
    /** The most bytes of content taken from a hub in one command: 256 MiB. */
    static final long MAX_TOTAL_BYTES = 256L << 20;

    private static final JsonMapper JSON = Json.mapper();
    private static final String API = "/api/fleet/clients";
    /** A label as a local push would write it in deployed comments: no spaces, quotes, angle brackets or dashes runs. */
    private static final Pattern LABEL = Pattern.compile("(clients|~?[A-Za-z0-9_./@+]{0,300}[A-Za-z0-9_@+])/");

    private final URI hub;
    private final String key;
    private final HttpClient http;

    private FleetSource(URI hub, String key, HttpClient http) {
        this.hub = hub;
        this.key = key;
        this.http = http;
    }

    /** The content a hub served, verified: the label its push names the source by, and the bytes by path. */
    public record Content(String label, Map<String, byte[]> files) {
        public Content {
            files = Map.copyOf(files);
        }

        /**
         * Writes the files into {@code dir} (which must be empty) and returns them as sources, so the push plans
         * them exactly as it plans a local {@code clients/}.
         */
        public Sources materialize(Path dir) {
            try {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    Path target = dir.resolve(f.getKey());
                    Files.createDirectories(target.getParent());
                    Files.write(target, f.getValue());
                }
            } catch (IOException e) {
                throw new InputException(dir + ": cannot stage the fleet's content: " + e.getMessage(), e);
            }
            return Sources.load(dir, label);
        }
    }

    /**
     * Connects to {@code url} (its origin; a path is ignored) with the host key in {@code keyFile}, trusting {@code
     * caFile} when given; thrown {@link InputException} names the URL or file when either is refused.
     */
    public static FleetSource connect(String url, Path keyFile, Optional<Path> caFile) {
        URI hub = origin(url);
        String key = readKey(keyFile);
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (hub.getScheme().equals("https") && caFile.isPresent()) {
            b.sslContext(trusting(caFile.get()));
        }
        return new FleetSource(hub, key, b.build());
    }

    /**
     * Returns the fleet hub's URL as {@code tandem fleet enroll} wrote it into {@code file}
     * ({@code ~/.tandem/fleet/hub.url}); thrown {@link InputException} names the file and {@code otherwise}, what
     * the person can do instead.
     */
    public static String enrolledUrl(Path file, String otherwise) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InputException(file + ": " + otherwise);
        }
    }

    /** Returns the origin of {@code url}, refusing plain HTTP to anything but a loopback address. */
    public static URI origin(String url) {
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InputException("--from " + url + ": not a URL");
        }
        String scheme = Optional.ofNullable(u.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (u.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new InputException("--from " + url + ": expected https://HOST[:PORT]");
        }
        if (u.getRawUserInfo() != null) {
            throw new InputException("--from " + url + ": a key never goes in the URL; use --key-file");
        }
        if (scheme.equals("http") && !loopback(u.getHost())) {
            throw new InputException("--from " + url + ": plain http:// is only for a hub on this machine"
                    + " (a loopback address); use https://");
        }
        try {
            return new URI(scheme, null, u.getHost(), u.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new InputException("--from " + url + ": not a URL");
        }
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // a literal address only: a name is not resolved here, so DNS cannot make a remote host look local
        if (!h.matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Returns the key in {@code keyFile}: one line of printable characters; the message never shows it. */
    public static String readKey(Path keyFile) {
        String key;
        try {
            key = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new InputException(
                    keyFile + ": cannot read the host key (" + e.getClass().getSimpleName()
                            + "); enrol this machine with 'tandem fleet enroll' or pass --key-file FILE");
        }
        if (key.isEmpty() || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new InputException(keyFile + ": the host key must be one line of printable characters");
        }
        return key;
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new InputException(caFile + ": holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new InputException(caFile + ": not a PEM certificate: " + e.getMessage());
        }
    }

    /** Returns the hub's origin, {@code https://HOST[:PORT]}, as messages name it. */
    public String where() {
        return hub.toString();
    }

    /** Downloads the manifest and every file it lists, each checked; thrown {@link InputException} otherwise. */
    public Content fetch() {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(get(API, 4L << 20));
        } catch (JacksonException e) {
            throw new InputException(hub + API + ": not a manifest: " + e.getOriginalMessage());
        }
        String label = manifest.path("label").asString("");
        if (!LABEL.matcher(label).matches() || label.contains("..") || label.contains("--")) {
            throw new InputException(hub + API + ": refused the source label '" + printable(label) + "'");
        }
        List<ClientFile> listed = files(manifest);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (ClientFile f : listed) {
            byte[] bytes = get(API + "/" + encode(f.path()), f.size());
            if (bytes.length != f.size() || !Sha256.hex(bytes).equals(f.sha256())) {
                throw new InputException(hub + API + "/" + f.path() + ": the file that arrived ("
                        + bytes.length + " bytes, sha256 " + Sha256.hex(bytes) + ") is not the one the manifest lists ("
                        + f.size() + " bytes, sha256 " + f.sha256() + "); nothing was written");
            }
            out.put(f.path(), bytes);
        }
        return new Content(label, out);
    }

    private List<ClientFile> files(JsonNode manifest) {
        JsonNode files = manifest.path("files");
        if (!files.isArray() || files.size() > ClientsTree.MAX_FILES) {
            throw new InputException(hub + API + ": the manifest needs a 'files' array of at most "
                    + ClientsTree.MAX_FILES + " entries");
        }
        List<ClientFile> out = new ArrayList<>();
        long total = 0;
        for (JsonNode f : files) {
            ClientFile file;
            try {
                file = new ClientFile(
                        f.path("path").asString(""),
                        f.path("sha256").asString(""),
                        f.path("size").asLong(-1));
            } catch (FleetContentException e) {
                throw new InputException(hub + API + ": refused " + e.getMessage());
            }
            total += file.size();
            if (total > MAX_TOTAL_BYTES) {
                throw new InputException(hub + API + ": the content is larger than " + (MAX_TOTAL_BYTES >> 20)
                        + " MiB; nothing was written");
            }
            out.add(file);
        }
        long distinct = out.stream().map(ClientFile::path).distinct().count();
        boolean nested =
                out.stream().anyMatch(a -> out.stream().anyMatch(b -> b.path().startsWith(a.path() + "/")));
        if (distinct != out.size() || nested) {
            throw new InputException(hub + API + ": the manifest names a path twice, or a file as a folder");
        }
        return out;
    }

    /** GETs {@code path} and returns its body, refusing any answer but 200 and a body over {@code max} bytes. */
    public byte[] get(String path, long max) {
        return exchange(HttpRequest.newBuilder(hub.resolve(path)).GET(), path, max);
    }

    /**
     * POSTs the JSON {@code body} to {@code path} and returns the answer's body, refusing any answer but 200 or 204
     * and a body over {@code max} bytes.
     */
    public byte[] post(String path, byte[] body, long max) {
        return exchange(
                HttpRequest.newBuilder(hub.resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
                path,
                max);
    }

    private byte[] exchange(HttpRequest.Builder builder, String path, long max) {
        HttpRequest req = builder.timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .build();
        HttpResponse<InputStream> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new InputException(hub + path + ": cannot reach the fleet hub: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException(hub + path + ": interrupted");
        }
        try (InputStream in = res.body()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (res.statusCode() != 200 && res.statusCode() != 204) {
                String first = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8)
                        .lines()
                        .findFirst()
                        .orElse("");
                throw new InputException(hub + path + ": the fleet hub answered " + res.statusCode()
                        + (first.isBlank() ? "" : ": " + printable(first)));
            }
            if (body.length > max) {
                throw new InputException(
                        hub + path + ": longer than the " + max + " bytes expected; nothing was written");
            }
            return body;
        } catch (IOException e) {
            throw new InputException(hub + path + ": cannot read the answer: " + e.getMessage());
        }
    }

    private static String encode(String path) {
        return java.util.Arrays.stream(path.split("/"))
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    private static String printable(String s) {
        return s.codePoints()
                .limit(200)
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
