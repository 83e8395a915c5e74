package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import java.util.Objects;

/**
 * One line of {@code tandem doctor}: what was checked, how it went, what was found and how to fix it.
 *
 * @param fix empty when there is nothing to do
 */
record DoctorCheck(String name, Status status, String detail, String fix) {
    /** How a check went; the worst status decides the exit code. */
    enum Status {
        OK(0),
        WARN(1),
        FAIL(2);

        final int exit;

        Status(int exit) {
            this.exit = exit;
        }
    }

    DoctorCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(fix, "fix");
    }

    static DoctorCheck ok(String name, String detail) {
        return new DoctorCheck(name, Status.OK, detail, "");
    }

    static DoctorCheck warn(String name, String detail, String fix) {
        return new DoctorCheck(name, Status.WARN, detail, fix);
    }

    static DoctorCheck fail(String name, String detail, String fix) {
        return new DoctorCheck(name, Status.FAIL, detail, fix);
    }

    /**
     * Returns the line {@code tandem doctor} prints: {@code ok   token  …}, with {@code fix: …} when there is one. The
     * detail quotes the clients' files and what their programs printed: it is made {@link TerminalText#safe}.
     */
    String line() {
        String head = String.format(
                "%-4s %-13s %s", status.name().toLowerCase(java.util.Locale.ROOT), name, TerminalText.safe(detail));
        return fix.isEmpty() ? head : head + " — fix: " + TerminalText.safe(fix);
    }
}
