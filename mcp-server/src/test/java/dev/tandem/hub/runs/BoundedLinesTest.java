package dev.tandem.hub.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {
    @Test
    void splitsLinesAndDropsTheCarriageReturn() throws IOException {
        BoundedLines lines = new BoundedLines(in("one\r\ntwo\nthree"), 100);
        assertEquals("one", lines.next().orElseThrow().text());
        assertEquals("two", lines.next().orElseThrow().text());
        assertEquals("three", lines.next().orElseThrow().text());
        assertTrue(lines.next().isEmpty());
    }

    @Test
    void aLineLongerThanTheCapIsCutAndCountedWithoutHoldingIt() throws IOException {
        // 64 MiB without a newline, then a short line: only the cap is ever held
        long huge = 64L * 1024 * 1024;
        InputStream endless = new InputStream() {
            private long left = huge;
            private boolean newline = true;

            @Override
            public int read() {
                if (left > 0) {
                    left--;
                    return 'x';
                }
                if (newline) {
                    newline = false;
                    return '\n';
                }
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return super.read(b, off, len);
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        BoundedLines lines = new BoundedLines(endless, 1024);
        EngineProcess.Line first = lines.next().orElseThrow();
        assertTrue(first.cut());
        assertEquals(1024, first.text().length());
        assertEquals(huge, first.bytes());
        assertTrue(lines.next().isEmpty());
    }

    @Test
    void aLineAtTheCapIsWhole() throws IOException {
        EngineProcess.Line line = new BoundedLines(in("abcd\n"), 4).next().orElseThrow();
        assertFalse(line.cut());
        assertEquals("abcd", line.text());
    }

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
