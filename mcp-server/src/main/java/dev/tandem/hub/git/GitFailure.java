package dev.tandem.hub.git;

import dev.tandem.core.git.ProgramRefusedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.jgit.errors.ConfigInvalidException;

/** Turns what JGit throws into one line for the caller: no secrets, and no text JGit quoted from a config file. */
final class GitFailure {
    private static final int MAX_CAUSES = 3;
    private static final int MAX_LENGTH = 400;

    private GitFailure() {}

    static String describe(Throwable e) {
        return describe(e, List.of());
    }

    /**
     * Returns the messages along {@code e}'s causes (a wrapper's generic text, then what went wrong), redacted.
     *
     * <p>A config that cannot be parsed is only named, never quoted: {@code include.path} may point at any file,
     * and JGit's parse errors repeat what they read.
     */
    static String describe(Throwable e, Collection<String> secrets) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < MAX_CAUSES; t = t.getCause()) {
            if (t instanceof ConfigInvalidException) {
                parts.add("its git config (or a file the config includes) is not valid git config");
                break;
            }
            if (t instanceof GitException || t instanceof ProgramRefusedException) {
                parts.add(t.getMessage());
                break;
            }
            String m = t.getMessage();
            if (m != null && !m.isBlank() && parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        if (parts.isEmpty()) {
            parts.add(e.getClass().getSimpleName());
        }
        return Redaction.oneLine(Redaction.redact(String.join(": ", parts), secrets), MAX_LENGTH);
    }
}
