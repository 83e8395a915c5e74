package dev.tandem.hub.runs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads lines from a stream without ever holding more than {@code max} bytes of one: the rest of a longer line is
 * skipped (and counted), so an engine that prints a gigabyte without a newline cannot exhaust the hub's memory.
 */
final class BoundedLines {
    private final InputStream in;
    private final int max;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int len;
    private boolean eof;

    BoundedLines(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** Returns the next line without its end ({@code \n} or {@code \r\n}), or empty at the end of the stream. */
    Optional<EngineProcess.Line> next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long bytes = 0;
        while (true) {
            if (pos == len) {
                if (eof || !fill()) {
                    eof = true;
                    return bytes == 0 ? Optional.empty() : Optional.of(line(line, bytes));
                }
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            int room = Math.max(0, Math.min(n, max - line.size()));
            line.write(buf, start, room);
            bytes += n;
            if (pos < len) {
                pos++; // the newline
                return Optional.of(line(line, bytes));
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        len = n;
        return true;
    }

    private EngineProcess.Line line(ByteArrayOutputStream line, long bytes) {
        byte[] b = line.toByteArray();
        int end = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new EngineProcess.Line(new String(b, 0, end, StandardCharsets.UTF_8), bytes > max, bytes);
    }
}
