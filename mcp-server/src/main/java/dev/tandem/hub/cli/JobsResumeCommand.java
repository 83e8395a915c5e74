package dev.tandem.hub.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code tandem jobs resume ID [MESSAGE]}: continues an interrupted, failed or killed job. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description = {
            "Continue an interrupted, failed or killed job through the engine's own session id (a job that never",
            "got one starts again from its prompt).",
            "",
            "Example:",
            "  tandem jobs resume k3m9x2pa 'Carry on, the hub was restarted'"
        })
final class JobsResumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
    String id;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "MESSAGE", description = "What to tell it (optional).")
    List<String> message = List.of();

    @Override
    public Integer call() {
        String jobId = JobsIds.checked(id); // before anything is read or asked: a bad id names no path
        ObjectNode body = HubClient.JSON.createObjectNode();
        if (!message.isEmpty()) {
            body.put("message", String.join(" ", message));
        }
        HubClient.connect(hub).post("/api/jobs/" + jobId + "/resume", body);
        spec.commandLine().getOut().println(id);
        return 0;
    }
}
