package dev.tandem.hub.tasks;

import java.nio.charset.StandardCharsets;

/** Keeps the last {@code capacity} bytes written to it, and counts them all. */
final class TailBuffer {
    private final byte[] ring;
    private long total;

    TailBuffer(int capacity) {
        this.ring = new byte[capacity];
    }

    synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            ring[(int) ((total + i) % ring.length)] = b[off + i];
        }
        total += len;
    }

    synchronized TaskOutput output() {
        int size = (int) Math.min(total, ring.length);
        byte[] ordered = new byte[size];
        int start = (int) ((total - size) % ring.length);
        for (int i = 0; i < size; i++) {
            ordered[i] = ring[(start + i) % ring.length];
        }
        int skip = 0;
        boolean truncated = total > ring.length;
        if (truncated) {
            // do not start in the middle of a UTF-8 sequence
            while (skip < size && (ordered[skip] & 0xC0) == 0x80) {
                skip++;
            }
        }
        return new TaskOutput(new String(ordered, skip, size - skip, StandardCharsets.UTF_8), total, truncated);
    }
}
