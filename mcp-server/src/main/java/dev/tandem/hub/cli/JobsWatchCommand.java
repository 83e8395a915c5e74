package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code tandem jobs watch ID}: follows a job's events until it ends. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Follow a job's events until it is no longer queued, running or waiting.",
            "Exit code 0 when it completed, 1 when it failed, was killed or interrupted.",
            "",
            "Example:",
            "  tandem jobs watch k3m9x2pa && echo done"
        })
final class JobsWatchCommand implements Callable<Integer> {
    private static final int WAIT_SECONDS = 25;

    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Parameters(paramLabel = "ID", description = "The job's id.")
    String id;

    @Override
    public Integer call() {
        String jobId = JobsIds.checked(id); // before anything is read or asked: a bad id names no path
        HubClient client = HubClient.connect(hub);
        PrintWriter out = spec.commandLine().getOut();
        long after = 0;
        String path = "/api/jobs/" + jobId + "/events";
        while (true) {
            JsonNode page = client.get(
                    path + "?after=" + after + "&wait=" + WAIT_SECONDS, Duration.ofSeconds(WAIT_SECONDS + 30));
            for (JsonNode e : page.path("events")) {
                after = e.path("seq").asLong();
                String at = e.path("at").asString();
                String clock = at.length() >= 19 ? at.substring(11, 19) : at;
                // an event's text is the agent's and its model's: no control character of it reaches the terminal
                List<String> lines = e.path("text")
                        .asString()
                        .lines()
                        .map(TerminalText::output)
                        .toList();
                String prefix = TerminalText.safe(clock + " " + e.path("kind").asString()) + " ";
                out.println(prefix + (lines.isEmpty() ? "" : lines.get(0)));
                for (int i = 1; i < lines.size(); i++) {
                    out.println(" ".repeat(prefix.length()) + lines.get(i));
                }
            }
            out.flush();
            JsonNode job = page.path("job");
            String status = job.path("status").asString();
            boolean active = status.equals("queued") || status.equals("running") || status.equals("waiting");
            if (!active && page.path("events").isEmpty()) {
                out.println("job " + id + " " + TerminalText.safe(status)
                        + (job.path("error").isString()
                                ? ": " + TerminalText.safe(job.path("error").asString())
                                : ""));
                return status.equals("completed") ? 0 : 1;
            }
        }
    }
}
