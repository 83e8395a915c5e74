package dev.tandem.hub.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code tandem jobs send ID MESSAGE}: a follow-up turn to an interactive job. */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = {
            "Send a follow-up to an interactive job whose last turn has ended.",
            "",
            "Example:",
            "  tandem jobs send k3m9x2pa 'Now add tests for it'"
        })
final class JobsSendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "MESSAGE", description = "The follow-up.")
    List<String> message;

    @Override
    public Integer call() {
        String jobId = JobsIds.checked(id); // before anything is read or asked: a bad id names no path
        ObjectNode body = HubClient.JSON.createObjectNode().put("message", String.join(" ", message));
        HubClient.connect(hub).post("/api/jobs/" + jobId + "/send", body);
        spec.commandLine().getOut().println(id);
        return 0;
    }
}
