package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code tandem jobs output ID}: the end of a job's output. */
@Command(
        name = "output",
        mixinStandardHelpOptions = true,
        description = {
            "Print the last lines of a job's output (redacted). Control and format characters the job printed",
            "(ESC, BEL, CR, a bidi override…) are shown as \\u001b and the like; tabs are kept. --raw prints them as",
            "they are, for a program reading the output.",
            "",
            "Example:",
            "  tandem jobs output k3m9x2pa --lines 50",
            "  tandem jobs output k3m9x2pa --raw > job.log"
        })
final class JobsOutputCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Option(names = "--lines", paramLabel = "N", description = "How many lines (default 100).")
    int lines = 100;

    @Option(
            names = "--raw",
            description = "Print the lines as the job printed them, control characters included: for a file or a"
                    + " program, not a terminal.")
    boolean raw;

    @Parameters(paramLabel = "ID", description = "The job's id.")
    String id;

    @Override
    public Integer call() {
        String jobId = JobsIds.checked(id); // before anything is read or asked: a bad id names no path
        JsonNode out =
                HubClient.connect(hub).get("/api/jobs/" + jobId + "/output?lines=" + lines, Duration.ofSeconds(30));
        PrintWriter w = spec.commandLine().getOut();
        // a job's output is the agent's and its model's: an ESC in it would act on the person's terminal
        out.path("lines").forEach(l -> w.println(raw ? l.asString() : TerminalText.output(l.asString())));
        return 0;
    }
}
