package dev.tandem.hub.delegation;

/** Thrown when a delegation is refused or cannot give an answer; the message is one line naming the cause. */
public final class DelegationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** An argument is wrong or not allowed here. */
        INVALID,
        /** Every delegation slot is taken. */
        BUSY,
        /** A delegation from inside a delegation past {@code [delegation] max_depth}. */
        RECURSION,
        /** The engine ran but its answer is not usable (a verdict that fails the schema twice). */
        BAD_ANSWER
    }

    private final Reason reason;

    public DelegationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
