package dev.tandem.hub.fs;

import dev.tandem.core.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/** Reads text files inside the roots: a line range, under a byte cap; binary files are refused. */
public final class FsReader {
    /** The largest file read at all. */
    public static final long MAX_FILE_BYTES = 32L * 1024 * 1024;
    /** The default cap on returned text. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    private final Roots roots;

    public FsReader(Roots roots) {
        this.roots = roots;
    }

    /**
     * Reads lines {@code startLine..endLine} (1-based, inclusive) of {@code input}, stopping before {@code maxBytes}.
     *
     * @param endLine empty for the end of the file
     */
    public TextRead read(String input, int startLine, Optional<Integer> endLine, int maxBytes) {
        if (startLine < 1) {
            throw new FsException("start_line must be 1 or more, got " + startLine);
        }
        if (endLine.isPresent() && endLine.get() < startLine) {
            throw new FsException("end_line " + endLine.get() + " is before start_line " + startLine);
        }
        if (maxBytes < 1) {
            throw new FsException("max_bytes must be positive, got " + maxBytes);
        }
        Path real = roots.existing(input);
        byte[] bytes = readBytes(input, real);
        String text = TextFiles.decode(input, bytes);
        return slice(real, text, bytes, startLine, endLine.orElse(Integer.MAX_VALUE), maxBytes);
    }

    private byte[] readBytes(String input, Path real) {
        try (SafeDir dir = SafeDir.open(roots.rootOf(real), real.getParent())) {
            String name = real.getFileName().toString();
            BasicFileAttributes attrs =
                    dir.attributes(name).orElseThrow(() -> new FsException(FsException.show(input) + ": no such file"));
            if (attrs.isDirectory()) {
                throw new FsException(FsException.show(input) + ": is a folder; use fs_list");
            }
            if (!attrs.isRegularFile()) {
                throw new PathRefusedException(input, "not a regular file");
            }
            return dir.read(name, MAX_FILE_BYTES);
        } catch (NotRegularFileException e) {
            throw new PathRefusedException(input, e.getReason());
        } catch (IOException e) {
            throw new FsException(FsException.show(input) + ": " + FsWriter.describe(e), e);
        }
    }

    private static TextRead slice(Path real, String text, byte[] bytes, int start, int end, int maxBytes) {
        StringBuilder out = new StringBuilder();
        int line = 1;
        int pos = 0;
        int last = start - 1;
        long outBytes = 0;
        boolean truncated = false;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int next = nl < 0 ? text.length() : nl + 1;
            if (line >= start && line <= end && !truncated) {
                String l = text.substring(pos, next);
                long b = l.getBytes(StandardCharsets.UTF_8).length;
                if (outBytes + b > maxBytes) {
                    truncated = true;
                } else {
                    out.append(l);
                    outBytes += b;
                    last = line;
                }
            }
            pos = next;
            line++;
        }
        int total = line - 1;
        return new TextRead(
                real, out.toString(), start, Math.min(last, total), total, bytes.length, Sha256.hex(bytes), truncated);
    }
}
