package dev.tandem.hub.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code tandem jobs status ID}: one job's record. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show a job: status, tokens, cost, files, what it waits on.",
            "",
            "Example:",
            "  tandem jobs status k3m9x2pa --json"
        })
final class JobsStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Option(names = "--json", description = "Print the record as JSON (docs/jobs.md, 'The record').")
    boolean json;

    @Parameters(paramLabel = "ID", description = "The job's id.")
    String id;

    @Override
    public Integer call() {
        String jobId = JobsIds.checked(id); // before anything is read or asked: a bad id names no path
        JsonNode job = HubClient.connect(hub).get("/api/jobs/" + jobId, Duration.ofSeconds(30));
        if (json) {
            JobsPrint.json(spec.commandLine().getOut(), job);
        } else {
            JobsPrint.record(spec.commandLine().getOut(), job);
        }
        return 0;
    }
}
