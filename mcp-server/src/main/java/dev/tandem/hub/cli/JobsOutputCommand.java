package dev.tandem.hub.cli;

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
            "Print the last lines of a job's output (redacted).",
            "",
            "Example:",
            "  tandem jobs output k3m9x2pa --lines 50"
        })
final class JobsOutputCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Option(names = "--lines", paramLabel = "N", description = "How many lines (default 100).")
    int lines = 100;

    @Parameters(paramLabel = "ID", description = "The job's id.")
    String id;

    @Override
    public Integer call() {
        String jobId = JobsIds.checked(id); // before anything is read or asked: a bad id names no path
        JsonNode out =
                HubClient.connect(hub).get("/api/jobs/" + jobId + "/output?lines=" + lines, Duration.ofSeconds(30));
        PrintWriter w = spec.commandLine().getOut();
        out.path("lines").forEach(l -> w.println(l.asString()));
        return 0;
    }
}
