package dev.tandem.hub.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The page's files, bundled on the class path under {@code dev/tandem/hub/dashboard/}: no CDN, no other origin. */
final class Assets {
    static final String ROOT = "/dev/tandem/hub/dashboard/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    /** One asset's bytes and content type. */
    static final class Asset {
        private final byte[] bytes;
        private final String contentType;

        Asset(byte[] bytes, String contentType) {
            this.bytes = bytes.clone();
            this.contentType = contentType;
        }

        byte[] bytes() {
            return bytes.clone();
        }

        String contentType() {
            return contentType;
        }
    }

    private Assets() {}

    /** Returns the asset {@code name} (a plain file name with a known extension), if bundled. */
    static Optional<Asset> find(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = Assets.class.getResourceAsStream(ROOT + name)) {
            return in == null ? Optional.empty() : Optional.of(new Asset(in.readAllBytes(), type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
