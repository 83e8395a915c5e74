package dev.tandem.hub.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code tandem jobs list}: the newest jobs. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {"List jobs, newest first.", "", "Example:", "  tandem jobs list --status running,waiting"})
final class JobsListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Option(names = "--json", description = "Print the records as a JSON array.")
    boolean json;

    @Option(names = "--limit", paramLabel = "N", description = "At most N jobs (default 50).")
    int limit = 50;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            split = ",",
            description = "Only jobs in these statuses (queued, running, waiting, completed, failed, killed, "
                    + "interrupted).")
    List<String> statuses = List.of();

    @Override
    public Integer call() {
        String query = "?limit=" + limit + (statuses.isEmpty() ? "" : "&status=" + String.join(",", statuses));
        JsonNode jobs = HubClient.connect(hub)
                .get("/api/jobs" + query, java.time.Duration.ofSeconds(30))
                .path("jobs");
        if (json) {
            JobsPrint.json(spec.commandLine().getOut(), jobs);
        } else {
            JobsPrint.table(spec.commandLine().getOut(), jobs);
        }
        return 0;
    }
}
