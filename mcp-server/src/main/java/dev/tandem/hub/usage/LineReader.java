package dev.tandem.hub.usage;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads the complete lines of a file from an offset through one fixed buffer, so memory stays the same whatever the
 * size of the file or of a line. A line longer than the buffer is offered by its first bytes and, if wanted, handed
 * over as a stream of its bytes read straight from the file. Bytes after the last newline (a line still being
 * written) are left for the next read.
 */
final class LineReader {
    /** The default buffer: lines up to this size are handed over as bytes. */
    static final int BUFFER = 1 << 20;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** What is done with the lines. */
    interface Lines {
        /** A complete line in {@code buf[start, end)} (no newline) that begins at {@code offset} of the file. */
        void line(byte[] buf, int start, int end, long offset);

        /** Whether a line longer than the buffer, whose first bytes are {@code buf[start, end)}, is wanted whole. */
        boolean wantsLong(byte[] buf, int start, int end);

        /** A wanted long line, as a stream of its bytes (no newline), beginning at {@code offset}. */
        void longLine(InputStream in, long offset);

        /** Called after each complete line with the offset after its newline. */
        void after(long next);
    }

    private final byte[] buf;
    private final ByteBuffer io;

    LineReader(int size) {
        this.buf = new byte[size];
        this.io = ByteBuffer.allocateDirect(size);
    }

    /**
     * Reads the lines that end before {@code limit}, from {@code from}; returns the offset after the last complete
     * line (so {@code from} when there was none).
     */
    long read(FileChannel ch, long from, long limit, Lines lines) throws IOException {
        long base = from; // file offset of buf[0]
        int len = 0;
        long pos = from; // next byte to read from the file
        long done = from;
        while (pos < limit) {
            int n = fill(ch, pos, limit, len);
            if (n <= 0) {
                break;
            }
            pos += n;
            len += n;
            int start = 0;
            int nl;
            while ((nl = newline(buf, start, len)) >= 0) {
                lines.line(buf, start, nl, base + start);
                start = nl + 1;
                done = base + start;
                lines.after(done);
            }
            if (start == 0 && len == buf.length) {
                // one line fills the buffer: judge it by its first bytes, then find its end without keeping it
                boolean wanted = lines.wantsLong(buf, 0, len);
                long end = endOfLine(ch, base + len, limit);
                if (end < 0) {
                    return done; // still being written
                }
                if (wanted) {
                    lines.longLine(new Region(ch, base, end), base);
                }
                done = end + 1;
                lines.after(done);
                base = done;
                pos = done;
                len = 0;
                continue;
            }
            System.arraycopy(buf, start, buf, 0, len - start);
            len -= start;
            base += start;
        }
        return done;
    }

    private int fill(FileChannel ch, long pos, long limit, int len) throws IOException {
        io.clear();
        io.limit((int) Math.min(buf.length - len, limit - pos));
        int n = ch.read(io, pos);
        if (n > 0) {
            io.flip();
            io.get(buf, len, n);
        }
        return n;
    }

    /** Returns the offset of the next newline at or after {@code from}, or -1 when the file ends first. */
    private long endOfLine(FileChannel ch, long from, long limit) throws IOException {
        long pos = from;
        while (pos < limit) {
            int n = fill(ch, pos, limit, 0);
            if (n <= 0) {
                return -1;
            }
            int nl = newline(buf, 0, n);
            if (nl >= 0) {
                return pos + nl;
            }
            pos += n;
        }
        return -1;
    }

    /** Returns the index of the first {@code '\n'} in {@code b[from, to)}, or -1; eight bytes at a time. */
    static int newline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The bytes {@code [from, to)} of a file, read through positional reads (the channel's position is untouched). */
    private static final class Region extends InputStream {
        private final FileChannel ch;
        private final ByteBuffer one = ByteBuffer.allocate(1);
        private long pos;
        private final long to;

        Region(FileChannel ch, long from, long to) {
            this.ch = ch;
            this.pos = from;
            this.to = to;
        }

        @Override
        public int read() throws IOException {
            one.clear();
            return read(one) <= 0 ? -1 : one.get(0) & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return read(ByteBuffer.wrap(b, off, len));
        }

        private int read(ByteBuffer dst) throws IOException {
            if (pos >= to) {
                return -1;
            }
            if (dst.remaining() > to - pos) {
                dst.limit(dst.position() + (int) (to - pos));
            }
            int n = ch.read(dst, pos);
            if (n > 0) {
                pos += n;
            }
            return n;
        }
    }
}
