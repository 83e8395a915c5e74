package dev.tandem.hub.runs;

import java.util.Arrays;
import java.util.List;

/** Who answers what a run's engine asks permission for. */
public enum Approval {
    /** The engine asks; the run waits until the person approves or denies ({@link Run#answer}). */
    ON_REQUEST("on-request"),
    /** Nothing is asked: what would need an approval is refused. */
    NEVER("never"),
    /** Everything the engine asks for is approved at once (only where {@code [jobs]} allows it). */
    AUTO("auto");

    private final String wireName;

    Approval(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * Returns the policies a caller may ask for: {@code first} (the caller's default, on-request or never), the other
     * of the two, and auto only when {@code autoAllowed}.
     */
    public static List<Approval> offered(Approval first, boolean autoAllowed) {
        Approval second = first == NEVER ? ON_REQUEST : NEVER;
        return autoAllowed ? List.of(first, second, AUTO) : List.of(first, second);
    }

    /** Returns the policy named {@code name}. Thrown {@link IllegalArgumentException} naming the choices. */
    public static Approval of(String name) {
        return Arrays.stream(values())
                .filter(a -> a.wireName.equals(name))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("approval must be on-request, never or auto, got '" + name + "'"));
    }
}
