package dev.tandem.core.fleet;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of the canonical {@code clients/} content a fleet hub serves (docs/fleet.md, "Host scope and sync from
 * the fleet").
 *
 * @param path the path relative to {@code clients/}, {@code /}-separated, checked by {@link #checkPath}
 * @param sha256 the SHA-256 of its bytes, 64 lower-case hex digits
 * @param size its length in bytes
 */
public record ClientFile(String path, String sha256, long size) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    /** A name that is not hidden (no leading dot, so neither {@code .} nor {@code ..}) and holds no control character. */
    private static final Pattern SEGMENT = Pattern.compile("[^./\\\\\\p{Cntrl}][^/\\\\\\p{Cntrl}]*");

    public ClientFile {
        checkPath(path);
        Objects.requireNonNull(sha256, "sha256");
        if (!HEX.matcher(sha256).matches()) {
            throw new FleetContentException(path + ": sha256 must be 64 lower-case hex digits");
        }
        if (size < 0 || size > ClientsTree.MAX_FILE_BYTES) {
            throw new FleetContentException(
                    path + ": size " + size + " is outside 0.." + ClientsTree.MAX_FILE_BYTES + " bytes");
        }
    }

    /**
     * Returns {@code path} when it is a plain relative path inside {@code clients/}: {@code /}-separated names, none
     * empty, none starting with a dot ({@code ..}, hidden files), none holding a backslash or a control character,
     * at most 512 characters; thrown {@link FleetContentException} names it otherwise.
     */
    public static String checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.length() > 512) {
            throw new FleetContentException("path '" + path + "' must be 1 to 512 characters");
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new FleetContentException("path '" + path + "' is not a plain path inside clients/");
            }
        }
        return path;
    }
}
