package dev.tandem.hub.portfolio;

import dev.tandem.core.fs.NotRegularFileException;
import dev.tandem.core.fs.RegularFiles;
import dev.tandem.core.hash.Sha256;
import dev.tandem.hub.fs.FsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The person's context portfolio: the Markdown files under one folder, read from disk on every call.
 *
 * <p>Only regular {@code .md} files count (symbolic links and dot files are skipped), so a name can never lead
 * outside the folder: a read looks the name up in the listing rather than building a path from it.
 */
public final class Portfolio {
    /** The URI scheme of portfolio resources. */
    public static final String SCHEME = "portfolio://";

    private static final String SUFFIX = ".md";
    /** A larger document is not read. */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private final Path dir;

    public Portfolio(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** Returns the portfolio folder. */
    public Path dir() {
        return dir;
    }

    /** Returns every document's name, sorted; cheap enough to poll. */
    public List<String> names() {
        return files().stream().map(this::nameOf).sorted().toList();
    }

    /**
     * Returns each document's name, size and modification time, sorted by name: what changes when a document is
     * added, removed or edited, without reading any content, so it is cheap enough to poll.
     */
    public List<String> stamps() {
        List<String> out = new ArrayList<>();
        for (Path f : files()) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                out.add(nameOf(f) + "\u0000" + a.size() + "\u0000"
                        + a.lastModifiedTime().toMillis());
            } catch (NoSuchFileException e) {
                // deleted between listing and reading
            } catch (IOException e) {
                throw new PortfolioException(f + ": cannot be read: " + e.getMessage(), e);
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Returns every document, sorted by name. */
    public List<PortfolioDoc> list() {
        List<PortfolioDoc> out = new ArrayList<>();
        for (Path f : files()) {
            read(f).ifPresent(t -> out.add(t.doc()));
        }
        out.sort(Comparator.comparing(PortfolioDoc::name));
        return out;
    }

    /**
     * Reads the document {@code ref} names: a name ({@code stack}), a file name ({@code stack.md}) or a URI
     * ({@code portfolio://projects/alpha}).
     */
    public PortfolioText read(String ref) {
        String name = nameOf(ref);
        for (Path f : files()) {
            if (nameOf(f).equals(name)) {
                return read(f).orElseThrow(() -> missing(ref));
            }
        }
        throw missing(ref);
    }

    /** Returns the name {@code ref} stands for: scheme and {@code .md} removed. */
    public static String nameOf(String ref) {
        String s = ref.strip();
        if (s.startsWith(SCHEME)) {
            s = s.substring(SCHEME.length());
        }
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        if (s.toLowerCase(Locale.ROOT).endsWith(SUFFIX)) {
            s = s.substring(0, s.length() - SUFFIX.length());
        }
        return s;
    }

    private PortfolioException missing(String ref) {
        return new PortfolioException("no portfolio document " + ref + "; known: " + String.join(", ", names()));
    }

    private String nameOf(Path file) {
        String rel = dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        return rel.substring(0, rel.length() - SUFFIX.length());
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir))
                    .filter(p -> dir.relativize(p).toString().chars().noneMatch(c -> c == 0))
                    .filter(p -> !hidden(p))
                    .filter(p ->
                            p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(SUFFIX))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PortfolioException("portfolio " + dir + ": cannot be listed: " + e.getMessage(), e);
        }
    }

    private boolean hidden(Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private Optional<PortfolioText> read(Path file) {
        try {
            BasicFileAttributes attrs =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            // opened without blocking, and only if it is still the regular file just looked at (not a FIFO)
            byte[] bytes = RegularFiles.read(file, Optional.ofNullable(attrs.fileKey()), MAX_BYTES);
            String text = new String(bytes, StandardCharsets.UTF_8);
            String name = nameOf(file);
            PortfolioDoc doc = new PortfolioDoc(
                    name,
                    name + SUFFIX,
                    title(text).orElse(name),
                    bytes.length,
                    attrs.lastModifiedTime().toInstant(),
                    Sha256.hex(bytes));
            return Optional.of(new PortfolioText(doc, text));
        } catch (NoSuchFileException | NotRegularFileException e) {
            return Optional.empty(); // deleted or replaced by something else between listing and reading
        } catch (IOException | FsException e) {
            throw new PortfolioException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    static Optional<String> title(String text) {
        return text.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+", "").strip())
                .filter(l -> !l.isEmpty())
                .findFirst();
    }
}
