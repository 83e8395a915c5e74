package dev.tandem.hub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code tandem jobs clean}: deletes ended jobs and their output. */
@Command(
        name = "clean",
        mixinStandardHelpOptions = true,
        description = {
            "Delete jobs that ended longer ago than --older-than, with their output.",
            "",
            "Example:",
            "  tandem jobs clean --older-than 30d"
        })
final class JobsCleanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Option(names = "--older-than", paramLabel = "AGE", description = "30m, 12h, 7d, … (default 7d).")
    String olderThan = "7d";

    @Override
    public Integer call() {
        ObjectNode body = HubClient.JSON.createObjectNode().put("older_than", olderThan);
        JsonNode out = HubClient.connect(hub).post("/api/jobs/clean", body);
        spec.commandLine().getOut().println("deleted " + out.path("deleted").asLong() + " jobs");
        return 0;
    }
}
