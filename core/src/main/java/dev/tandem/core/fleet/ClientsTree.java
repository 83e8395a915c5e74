package dev.tandem.core.fleet;

import dev.tandem.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a {@code clients/} folder that {@code tandem sync push-runtime} reads, as a fleet hub serves them:
 * {@code codex/config-fragment.toml}, {@code claude/settings-fragment.json}, {@code shared/AGENTS.md}, every file of
 * {@code shared/skills/}, the {@code *.md} of {@code shared/commands/} and of {@code shared/memory/} (deep).
 *
 * <p>Only regular files reached without a symbolic link are served, whatever a link points at, so nothing outside
 * the folder leaves the hub; a hidden name (a leading dot) is skipped as the local push skips it. A file larger than
 * {@link #MAX_FILE_BYTES} is refused with its path, not left out: a fleet push then fails instead of writing less
 * than a local push would.
 */
public final class ClientsTree {
    /** The largest file served: 8 MiB. */
    public static final long MAX_FILE_BYTES = 8L << 20;
    /** The most files served. */
    public static final int MAX_FILES = 10_000;

    private static final List<String> SINGLE =
            List.of("codex/config-fragment.toml", "claude/settings-fragment.json", "shared/AGENTS.md");

    private final Path root;

    /** Serves {@code root}, the {@code clients/} folder (or the person's own source folder). */
    public ClientsTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Returns every file served with its hash and size, by path. */
    public List<ClientFile> list() {
        List<String> paths = new ArrayList<>();
        for (String single : SINGLE) {
            if (plainFile(single)) {
                paths.add(single);
            }
        }
        paths.addAll(walk("shared/skills", true, false));
        paths.addAll(walk("shared/commands", false, true));
        paths.addAll(walk("shared/memory", true, true));
        if (paths.size() > MAX_FILES) {
            throw new FleetContentException(root + ": more than " + MAX_FILES + " files to serve");
        }
        List<ClientFile> out = new ArrayList<>();
        for (String p : paths.stream().sorted().toList()) {
            out.add(describe(p));
        }
        return out;
    }

    /** Returns the bytes of {@code path}; thrown {@link NoSuchFileException} when it is not a served file. */
    public byte[] read(String path) throws NoSuchFileException {
        String rel = checked(path);
        if (!served(rel)) {
            throw new NoSuchFileException(path);
        }
        Path file = root.resolve(rel);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw tooLarge(rel);
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read", e);
        }
    }

    private static String checked(String path) throws NoSuchFileException {
        try {
            return ClientFile.checkPath(path);
        } catch (FleetContentException e) {
            throw new NoSuchFileException(path);
        }
    }

    /** Returns whether {@code rel} is one of the files {@link #list} would name. */
    private boolean served(String rel) {
        if (!plainFile(rel)) {
            return false;
        }
        if (SINGLE.contains(rel) || rel.startsWith("shared/skills/")) {
            return true;
        }
        if (rel.startsWith("shared/commands/")) {
            return rel.endsWith(".md") && rel.indexOf('/', "shared/commands/".length()) < 0;
        }
        return rel.startsWith("shared/memory/") && rel.endsWith(".md");
    }

    /** Returns whether {@code rel} is a regular file reached from the root without any symbolic link. */
    private boolean plainFile(String rel) {
        Path p = root;
        for (String segment : rel.split("/", -1)) {
            p = p.resolve(segment);
            if (Files.isSymbolicLink(p)) {
                return false;
            }
        }
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    private List<String> walk(String dir, boolean deep, boolean markdownOnly) {
        Path start = root.resolve(dir);
        if (!plainDir(dir)) {
            return List.of();
        }
        // Files.walk does not follow links: a linked folder or file is seen as a link and left out
        try (Stream<Path> s = Files.walk(start, deep ? Integer.MAX_VALUE : 1)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(rel -> !hidden(rel))
                    .filter(rel -> !markdownOnly || rel.endsWith(".md"))
                    .sorted(Comparator.naturalOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(start + ": cannot list", e);
        }
    }

    private boolean plainDir(String rel) {
        Path p = root;
        for (String segment : rel.split("/", -1)) {
            p = p.resolve(segment);
            if (Files.isSymbolicLink(p)) {
                return false;
            }
        }
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean hidden(String rel) {
        for (String segment : rel.split("/", -1)) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private ClientFile describe(String rel) {
        Path file = root.resolve(rel);
        try {
            long size = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .size();
            if (size > MAX_FILE_BYTES) {
                throw tooLarge(rel);
            }
            byte[] bytes = read(rel);
            return new ClientFile(rel, Sha256.hex(bytes), bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }

    private FleetContentException tooLarge(String rel) {
        return new FleetContentException(
                root.resolve(rel) + ": larger than the " + (MAX_FILE_BYTES >> 20) + " MiB a fleet file may be");
    }
}
