package dev.tandem.hub;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs a {@code tandem} command in this JVM, as {@link Main} would, and keeps what it printed. */
final class TandemCli {
    private TandemCli() {}

    /** The exit code and the text of standard output and standard error. */
    record Run(int exit, String out, String err) {}

    static Run tandem(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
