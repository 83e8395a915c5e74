package dev.tandem.hub.runs;

import java.nio.charset.StandardCharsets;

/** Keeps the last bytes written to it (an engine's stderr), as text. */
final class TailBuffer {
    private final byte[] ring;
    private long total;

    TailBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    synchronized void write(byte[] b, int len) {
        for (int i = 0; i < len; i++) {
            ring[(int) ((total + i) % ring.length)] = b[i];
        }
        total += len;
    }

    /** Returns the kept bytes as UTF-8, starting at a character boundary. */
    synchronized String text() {
        int size = (int) Math.min(total, ring.length);
        byte[] ordered = new byte[size];
        int start = (int) ((total - size) % ring.length);
        for (int i = 0; i < size; i++) {
            ordered[i] = ring[(start + i) % ring.length];
        }
        int skip = 0;
        while (total > ring.length && skip < size && (ordered[skip] & 0xC0) == 0x80) {
            skip++;
        }
        return new String(ordered, skip, size - skip, StandardCharsets.UTF_8);
    }
}
