package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code tandem jobs approve ID REQUEST_ID [--deny]}: answers what a job waits on. */
@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = {
            "Approve (or with --deny refuse) a request a job waits on; 'tandem jobs status' lists them.",
            "",
            "Example:",
            "  tandem jobs approve k3m9x2pa 1 --deny"
        })
final class JobsApproveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
    String id;

    @Parameters(index = "1", paramLabel = "REQUEST_ID", description = "The request's number, as status shows it.")
    String requestId;

    @Option(names = "--deny", description = "Refuse instead of approving.")
    boolean deny;

    @Override
    public Integer call() {
        String jobId = JobsIds.checked(id); // before anything is read or asked: a bad id names no path
        ObjectNode body =
                HubClient.JSON.createObjectNode().put("request_id", requestId).put("approve", !deny);
        JsonNode job = HubClient.connect(hub).post("/api/jobs/" + jobId + "/approve", body);
        spec.commandLine()
                .getOut()
                .println((deny ? "denied" : "approved") + " #" + TerminalText.safe(requestId) + "; job " + id + " is "
                        + TerminalText.safe(job.path("status").asString()));
        return 0;
    }
}
