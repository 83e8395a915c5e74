package dev.tandem.hub.fs;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A part of a string that asks whether to stop every so many characters read, and throws {@link Stopped} when told
 * to: RE2/J reads its input one character at a time and has no other way to be interrupted inside one long line.
 */
final class WatchedText implements CharSequence {
    /** Thrown from {@link #charAt} when the search was told to stop; it carries no stack trace. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("the search was told to stop", null, false, false);
        }
    }

    private final String text;
    private final int start;
    private final int end;
    private final int every;
    private final BooleanSupplier stop;
    private int left;
    /** How many times {@link #left} was refilled: the reads so far are {@code refills * every + every - left}. */
    private long refills;

    /** Views {@code text} from {@code start} to {@code end}, asking {@code stop} every {@code every} reads. */
    WatchedText(String text, int start, int end, int every, BooleanSupplier stop) {
        this.text = text;
        this.start = start;
        this.end = end;
        this.every = every;
        this.stop = stop;
        this.left = every;
    }

    /** How many characters were read through {@link #charAt} so far (each read counts, again and again). */
    long reads() {
        return refills * every + every - left;
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        if (--left <= 0) {
            left = every;
            refills++;
            if (stop.getAsBoolean()) {
                throw new Stopped();
            }
        }
        return text.charAt(start + Objects.checkIndex(index, end - start));
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return text.substring(start + from, start + to);
    }

    @Override
    public String toString() {
        return text.substring(start, end);
    }
}
