package dev.tandem.hub.dashboard;

import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/** Reads query parameters, refusing malformed or out-of-range values with {@link BadRequestException}. */
final class Params {
    private Params() {}

    /** Returns the whole number {@code name} in {@code [min, max]}, or {@code fallback} when absent. */
    static int whole(ServerRequest req, String name, int fallback, int min, int max) {
        Optional<String> raw = text(req, name);
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get().strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be a whole number, got '" + raw.get() + "'");
        }
        if (value < min || value > max) {
            throw new BadRequestException(name + " must be " + min + " to " + max + ", got " + value);
        }
        return value;
    }

    /** Returns the parameter {@code name}, if present and not blank. */
    static Optional<String> text(ServerRequest req, String name) {
        return req.query().first(name).asOptional().filter(s -> !s.isBlank());
    }
}
