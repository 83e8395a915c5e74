package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code tandem jobs kill ID}: stops a job and every process its engine started. */
@Command(
        name = "kill",
        mixinStandardHelpOptions = true,
        description = {
            "Stop a job: its engine and everything it started get SIGTERM, then SIGKILL.",
            "",
            "Example:",
            "  tandem jobs kill k3m9x2pa"
        })
final class JobsKillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Parameters(paramLabel = "ID", description = "The job's id.")
    String id;

    @Override
    public Integer call() {
        String jobId = JobsIds.checked(id); // before anything is read or asked: a bad id names no path
        JsonNode job = HubClient.connect(hub).post("/api/jobs/" + jobId + "/kill", HubClient.JSON.createObjectNode());
        spec.commandLine()
                .getOut()
                .println("job " + id + " is "
                        + TerminalText.safe(job.path("status").asString()));
        return 0;
    }
}
