package dev.tandem.hub.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code tandem jobs start}: starts a job on the running hub and prints its id. */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = {
            "Start Codex or Claude Code in the background on a task; prints the job id.",
            "",
            "Example:",
            "  tandem jobs start --engine codex --one-shot --file 'src/**/*.java' -- 'Find the slowest query'"
        })
final class JobsStartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HubClient.Options hub;

    @Option(names = "--engine", paramLabel = "codex|claude", description = "Which agent (default: codex).")
    String engine = "codex";

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Folder to work in, inside the hub's roots (default: the current folder).")
    Path dir;

    @Option(names = "--model", paramLabel = "M", description = "Model (default: the engine's own).")
    String model;

    @Option(
            names = "--sandbox",
            paramLabel = "read-only|workspace-write",
            description = "What the job may change (default: [jobs] sandbox, read-only).")
    String sandbox;

    @Option(
            names = "--approval",
            paramLabel = "on-request|never",
            description = "on-request: the job waits for 'tandem jobs approve'; never: what needs approval is refused.")
    String approval;

    @Option(names = "--one-shot", description = "One turn, then the engine exits (default: interactive).")
    boolean oneShot;

    @Option(
            names = "--file",
            paramLabel = "GLOB",
            description = "Attach the text of matching files (relative to --dir) to the prompt; repeatable.")
    List<String> files = List.of();

    @Option(names = "--json", description = "Print the job record instead of the id.")
    boolean json;

    @Parameters(
            paramLabel = "PROMPT",
            arity = "1..*",
            description = "What the job should do ('-' reads it from standard input; put -- before a prompt that "
                    + "starts with '-').")
    List<String> prompt;

    @Override
    public Integer call() {
        ObjectNode body = HubClient.JSON.createObjectNode();
        body.put("engine", engine);
        body.put("prompt", prompt());
        body.put(
                "dir",
                (dir == null ? Path.of("") : dir).toAbsolutePath().normalize().toString());
        if (model != null) {
            body.put("model", model);
        }
        if (sandbox != null) {
            body.put("sandbox", sandbox);
        }
        if (approval != null) {
            body.put("approval", approval);
        }
        body.put("one_shot", oneShot);
        files.forEach(body.putArray("files")::add);
        JsonNode job = HubClient.connect(hub).post("/api/jobs", body);
        if (json) {
            JobsPrint.json(spec.commandLine().getOut(), job);
        } else {
            spec.commandLine().getOut().println(job.path("id").asString());
        }
        return 0;
    }

    private String prompt() {
        if (prompt.size() == 1 && prompt.get(0).equals("-")) {
            try {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return String.join(" ", prompt);
    }
}
