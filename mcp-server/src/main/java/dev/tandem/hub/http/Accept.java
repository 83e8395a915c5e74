package dev.tandem.hub.http;

import java.util.Locale;
import java.util.Optional;

/**
 * What an {@code Accept} header allows: JSON, an event stream, or both. A missing header allows anything.
 *
 * <p>As in RFC 9110 §12.5.1 the most specific range decides and {@code q=0} means "not acceptable":
 * {@code *}{@code /*, text/event-stream;q=0} allows JSON only.
 */
record Accept(boolean json, boolean eventStream) {

    static Accept parse(Optional<String> header) {
        if (header.isEmpty() || header.get().isBlank()) {
            return new Accept(true, true);
        }
        // per media type: its weight under the most specific range that names it (-1 = not named)
        Weight json = new Weight();
        Weight stream = new Weight();
        for (String part : header.get().split(",", -1)) {
            String[] pieces = part.split(";", -1);
            String type = pieces[0].strip().toLowerCase(Locale.ROOT);
            boolean acceptable = acceptable(pieces);
            switch (type) {
                case "*/*" -> {
                    json.offer(0, acceptable);
                    stream.offer(0, acceptable);
                }
                case "application/*" -> json.offer(1, acceptable);
                case "application/json" -> json.offer(2, acceptable);
                case "text/*" -> stream.offer(1, acceptable);
                case "text/event-stream" -> stream.offer(2, acceptable);
                default -> {}
            }
        }
        return new Accept(json.accepted(), stream.accepted());
    }

    /** False when the range carries {@code q=0} (or {@code 0.0}, {@code 0.000}); a malformed q counts as 1. */
    private static boolean acceptable(String[] pieces) {
        for (int i = 1; i < pieces.length; i++) {
            String[] kv = pieces[i].split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("q")) {
                return !kv[1].strip().matches("0(\\.0{0,3})?");
            }
        }
        return true;
    }

    /** The verdict of the most specific range seen so far for one media type. */
    private static final class Weight {
        private int specificity = -1;
        private boolean acceptable;

        void offer(int rangeSpecificity, boolean rangeAcceptable) {
            if (rangeSpecificity > specificity) {
                specificity = rangeSpecificity;
                acceptable = rangeAcceptable;
            } else if (rangeSpecificity == specificity) {
                acceptable |= rangeAcceptable;
            }
        }

        boolean accepted() {
            return specificity >= 0 && acceptable;
        }
    }
}
