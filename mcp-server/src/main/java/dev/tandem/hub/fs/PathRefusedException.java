package dev.tandem.hub.fs;

/** Thrown when a path breaks a confinement rule: it leaves the roots, is too long, names a device, … */
public final class PathRefusedException extends FsException {
    private static final long serialVersionUID = 1L;

    private final String rule;

    public PathRefusedException(String path, String rule) {
        super(show(path) + ": refused: " + rule);
        this.rule = rule;
    }

    /** Returns the rule the path broke. */
    public String rule() {
        return rule;
    }
}
