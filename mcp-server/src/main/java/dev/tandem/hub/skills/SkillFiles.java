package dev.tandem.hub.skills;

import dev.tandem.core.fs.RegularFiles;
import dev.tandem.core.hash.Sha256;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The files of one skill as the Skills extension serves them: {@code SKILL.md} and every supporting file under the
 * skill's folder, each read from the configured skills folder only.
 *
 * <p>A file is served when it is a regular file reached through real folders of the skill (a symbolic link,
 * FIFO, socket or device anywhere on the way is skipped in listings and refused on reads), every name on its path
 * matches {@link #SEGMENT} (so no {@code ..}, no hidden files such as {@code .git}), and the skill stays within
 * {@link #MAX_FILES} files and {@link #MAX_BYTES} bytes in all. Files are opened without blocking ({@link
 * RegularFiles}); the manifest's digests and sizes are computed from the very bytes read.
 */
public final class SkillFiles {
    /** The most files one skill may have (the extension's limit). */
    public static final int MAX_FILES = 512;
    /** The most bytes one skill's files may hold together (the extension's limit). */
    public static final long MAX_BYTES = 16L * 1024 * 1024;
    /** A name on a served file's path: no leading dot, no separators, URI-safe. */
    public static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private final Path dir;

    public SkillFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * One served file.
     *
     * @param path its path inside the skill's folder, {@code /}-separated
     * @param digest {@code sha256:} and 64 lowercase hex digits of its bytes
     * @param size its length in bytes
     */
    public record Entry(String path, String digest, long size) {}

    /**
     * A skill as the extension describes it.
     *
     * @param slug the folder name, equal to the front matter's {@code name}
     * @param frontMatter the front matter of {@code SKILL.md}, every key as written
     * @param files every served file, {@code SKILL.md} first, then by path
     */
    public record Manifest(String slug, Map<String, Object> frontMatter, List<Entry> files) {
        public Manifest {
            frontMatter = java.util.Collections.unmodifiableMap(new TreeMap<>(frontMatter));
            files = List.copyOf(files);
        }
    }

    /** The slugs of the folders holding a {@code SKILL.md}, in order. */
    public List<String> slugs() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var folders = Files.newDirectoryStream(dir)) {
            for (Path folder : folders) {
                String slug = folder.getFileName().toString();
                if (Skill.SLUG.matcher(slug).matches()
                        && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                        && Files.isRegularFile(folder.resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS)) {
                    out.add(slug);
                }
            }
        } catch (IOException e) {
            throw new SkillLibrary.SkillException(dir + ": cannot list skills: " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /**
     * Returns the manifest of skill {@code slug} as it is on disk now; empty when no such skill is served (no
     * folder, no {@code SKILL.md}, or a front matter {@code name} other than the folder's name).
     *
     * @throws SkillLibrary.SkillException naming the file when the skill cannot be read or exceeds the limits
     */
    public Optional<Manifest> manifest(String slug) {
        if (!Skill.SLUG.matcher(slug).matches()) {
            return Optional.empty();
        }
        Path root = dir.resolve(slug);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(root.resolve("SKILL.md"), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        byte[] skillMd = read(slug, "SKILL.md")
                .orElseThrow(() -> new SkillLibrary.SkillException(root.resolve("SKILL.md") + ": not a regular file"));
        Map<String, Object> front = SkillLibrary.frontMatter(root.resolve("SKILL.md"), skillMd);
        Object name = front.get("name");
        if (name == null || !slug.equals(name.toString().strip())) {
            return Optional.empty();
        }
        List<Entry> files = new ArrayList<>();
        files.add(entry("SKILL.md", skillMd));
        long[] total = {skillMd.length};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return d.equals(root)
                                    || SEGMENT.matcher(d.getFileName().toString())
                                            .matches()
                            ? FileVisitResult.CONTINUE
                            : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(root, f);
                    if (!attrs.isRegularFile() || rel.equals("SKILL.md") || !servable(rel)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (files.size() >= MAX_FILES) {
                        throw new SkillLibrary.SkillException(
                                root + ": more than " + MAX_FILES + " files, the most one skill may serve");
                    }
                    byte[] bytes = RegularFiles.read(f, Optional.ofNullable(attrs.fileKey()), MAX_BYTES - total[0]);
                    total[0] += bytes.length;
                    files.add(entry(rel, bytes));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | dev.tandem.hub.fs.FsException e) {
            throw new SkillLibrary.SkillException(root + ": cannot read the skill's files: " + e.getMessage(), e);
        }
        files.subList(1, files.size()).sort(java.util.Comparator.comparing(Entry::path));
        return Optional.of(new Manifest(slug, front, files));
    }

    /**
     * Reads file {@code path} (inside skill {@code slug}'s folder, {@code /}-separated); empty when the path names
     * nothing served: a bad name, {@code ..}, a hidden file, a symbolic link on the way, or not a regular file.
     *
     * @throws SkillLibrary.SkillException when the file exists but cannot be read or is too large
     */
    public Optional<byte[]> read(String slug, String path) {
        if (!Skill.SLUG.matcher(slug).matches() || !servable(path)) {
            return Optional.empty();
        }
        Path file = dir.resolve(slug);
        try {
            for (String segment : path.split("/", -1)) {
                BasicFileAttributes folder =
                        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!folder.isDirectory()) {
                    return Optional.empty();
                }
                file = file.resolve(segment);
            }
            BasicFileAttributes attrs =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(RegularFiles.read(file, Optional.ofNullable(attrs.fileKey()), MAX_BYTES));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | dev.tandem.hub.fs.FsException e) {
            throw new SkillLibrary.SkillException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Whether {@code path} is a {@code /}-separated path of servable names. */
    static boolean servable(String path) {
        if (path.isEmpty()) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String relative(Path root, Path f) {
        List<String> names = new ArrayList<>();
        root.relativize(f).forEach(p -> names.add(p.toString()));
        return String.join("/", names);
    }

    private static Entry entry(String path, byte[] bytes) {
        return new Entry(path, "sha256:" + Sha256.hex(bytes), bytes.length);
    }
}
