package dev.tandem.core.git;

/** Thrown when JGit, through {@link NoExecFS}, asks to run a program a repository names; the message says which. */
public final class ProgramRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProgramRefusedException(String message) {
        super(message);
    }
}
