package dev.tandem.hub.http;

import java.util.Locale;
import java.util.Optional;

/** What an {@code Accept} header allows: JSON, an event stream, or both. A missing header allows anything. */
record Accept(boolean json, boolean eventStream) {

    static Accept parse(Optional<String> header) {
        if (header.isEmpty() || header.get().isBlank()) {
            return new Accept(true, true);
        }
        boolean json = false;
        boolean stream = false;
        for (String part : header.get().split(",", -1)) {
            String type = part.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            switch (type) {
                case "*/*" -> {
                    json = true;
                    stream = true;
                }
                case "application/*", "application/json" -> json = true;
                case "text/*", "text/event-stream" -> stream = true;
                default -> {}
            }
        }
        return new Accept(json, stream);
    }
}
