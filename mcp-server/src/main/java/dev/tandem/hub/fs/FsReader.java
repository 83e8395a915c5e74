package dev.tandem.hub.fs;

import dev.tandem.core.fs.NotRegularFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads text files inside the roots: a line range, under a byte cap; binary files are refused.
 *
 * <p>The file is read once, in small chunks: its hash, its line count, the UTF-8 check and the requested lines come
 * from that one pass, so a read holds the answer (at most {@code max_bytes}) and one chunk, whatever the file's size.
 */
public final class FsReader {
    /** The largest file read at all. */
    public static final long MAX_FILE_BYTES = 32L * 1024 * 1024;
    /** The default cap on returned text. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;
    /**
     * The ceiling of {@code max_bytes}: one read's text, which the answer carries twice (as text content and as
     * structured content), stays a few MiB however many reads a client asks for.
     */
    public static final int MAX_MAX_BYTES = 1024 * 1024;
    /** The size of the chunks a file is read in. */
    static final int CHUNK_BYTES = 64 * 1024;

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
        if (maxBytes < 1 || maxBytes > MAX_MAX_BYTES) {
            throw new FsException("max_bytes must be between 1 and " + MAX_MAX_BYTES + ", got " + maxBytes);
        }
        Path real = roots.existing(input);
        Slice slice = new Slice(input, startLine, endLine.orElse(Integer.MAX_VALUE), maxBytes);
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
            try (FileChannel ch = dir.open(name)) {
                long size = ch.size();
                if (size > MAX_FILE_BYTES) {
                    throw new FsException(
                            real + ": " + size + " bytes, larger than the limit of " + MAX_FILE_BYTES + " bytes");
                }
                // at most the size seen at the open, as a whole read of the file would take
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(size, 1)));
                long left = size;
                while (left > 0) {
                    buf.clear().limit((int) Math.min(buf.capacity(), left));
                    while (buf.hasRemaining() && ch.read(buf) >= 0) {
                        // fill the chunk (the first one must hold the first 8 KiB for the binary check)
                    }
                    if (buf.position() == 0) {
                        break;
                    }
                    left -= buf.position();
                    slice.accept(buf.array(), buf.position());
                    if (buf.hasRemaining()) {
                        break; // the file ended early (shrunk since the open)
                    }
                }
            }
        } catch (NotRegularFileException e) {
            throw new PathRefusedException(input, e.getReason());
        } catch (IOException e) {
            throw new FsException(FsException.show(input) + ": " + FsWriter.describe(e), e);
        }
        return slice.finish(real);
    }

    /** One pass over a file's bytes: hash, binary and UTF-8 checks, line count and the requested lines. */
    private static final class Slice {
        private final String input;
        private final int start;
        private final int end;
        private final int maxBytes;
        private final MessageDigest sha256;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final CharBuffer decoded = CharBuffer.allocate(CHUNK_BYTES);
        /** The bytes of an unfinished UTF-8 sequence at the end of the last chunk (at most 3). */
        private ByteBuffer carry = ByteBuffer.allocate(0);

        /** The lines returned so far, then the current line's bytes while it may still be returned. */
        private byte[] out = new byte[0];

        private int outLength;
        /** Where the current line starts in {@link #out}. */
        private int lineMark;

        private long size;
        /** The line the next byte belongs to, 1-based. */
        private int line = 1;
        /** Whether the current line has any byte yet (a last line without a line break still counts). */
        private boolean lineStarted;

        private boolean pendingFits = true;
        private int last;
        private boolean truncated;

        Slice(String input, int start, int end, int maxBytes) {
            this.input = input;
            this.start = start;
            this.end = end;
            this.maxBytes = maxBytes;
            this.last = start - 1;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        void accept(byte[] bytes, int length) {
            if (size == 0 && TextFiles.looksBinary(bytes, length)) {
                throw new FsException(
                        FsException.show(input) + ": binary file (a NUL byte in the first 8 KiB), not read");
            }
            size += length;
            sha256.update(bytes, 0, length);
            check(bytes, length, false);
            int from = 0;
            for (int i = 0; i < length; i++) {
                if (bytes[i] == '\n') {
                    take(bytes, from, i + 1);
                    endLine();
                    from = i + 1;
                }
            }
            take(bytes, from, length);
        }

        /** Feeds the UTF-8 check; a malformed sequence anywhere refuses the whole file. */
        private void check(byte[] bytes, int length, boolean endOfInput) {
            ByteBuffer in;
            if (carry.hasRemaining()) {
                in = ByteBuffer.allocate(carry.remaining() + length);
                in.put(carry).put(bytes, 0, length).flip();
            } else {
                in = ByteBuffer.wrap(bytes, 0, length);
            }
            while (true) {
                decoded.clear();
                CoderResult r = utf8.decode(in, decoded, endOfInput);
                if (r.isError()) {
                    throw new FsException(FsException.show(input) + ": not UTF-8 text, not read");
                }
                if (r.isUnderflow()) {
                    break;
                }
            }
            if (endOfInput) {
                decoded.clear();
                if (utf8.flush(decoded).isError()) {
                    throw new FsException(FsException.show(input) + ": not UTF-8 text, not read");
                }
            }
            ByteBuffer rest = ByteBuffer.allocate(in.remaining());
            rest.put(in).flip();
            carry = rest;
        }

        /** Adds bytes {@code from..to} of the current line, keeping them only while the line can still be returned. */
        private void take(byte[] bytes, int from, int to) {
            if (to <= from) {
                return;
            }
            lineStarted = true;
            if (line < start || line > end || truncated || !pendingFits) {
                return;
            }
            int n = to - from;
            if ((long) outLength + n > maxBytes) {
                pendingFits = false; // this line does not fit: it and every later one are left out
                outLength = lineMark;
                return;
            }
            if (outLength + n > out.length) {
                out = Arrays.copyOf(out, (int) Math.min(maxBytes, Math.max(outLength + n, 2L * out.length + 256)));
            }
            System.arraycopy(bytes, from, out, outLength, n);
            outLength += n;
        }

        private void endLine() {
            if (line >= start && line <= end && !truncated) {
                if (pendingFits) {
                    last = line;
                } else {
                    truncated = true;
                }
            }
            lineMark = outLength;
            pendingFits = true;
            lineStarted = false;
            line++;
        }

        TextRead finish(Path real) {
            check(new byte[0], 0, true);
            if (lineStarted) {
                endLine();
            }
            int total = line - 1;
            String text = new String(out, 0, lineMark, StandardCharsets.UTF_8);
            return new TextRead(
                    real,
                    text,
                    start,
                    Math.min(last, total),
                    total,
                    size,
                    HexFormat.of().formatHex(sha256.digest()),
                    truncated);
        }
    }
}
