package dev.tandem.hub.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One-shot Codex runs on {@code codex exec --json}: the prompt on stdin, events as JSON lines on stdout (Codex CLI
 * 0.169: {@code thread.started}, {@code item.completed}, {@code turn.completed} with the thread's running token
 * total, {@code turn.failed}, {@code error}). {@code codex exec} cannot ask for approvals, so a run here must use
 * {@link Approval#NEVER}; {@code exec resume} continues a session.
 */
public final class CodexExec implements EngineRunner {
    @Override
    public Engine engine() {
        return Engine.CODEX;
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public Run start(RunSpec spec, RunListener listener) {
        if (spec.engine() != Engine.CODEX || spec.interactive()) {
            throw new RunException("codex exec runs one-shot Codex runs only");
        }
        if (spec.approval() != Approval.NEVER) {
            throw new RunException("codex exec cannot ask for approvals (approval must be never); "
                    + "run the job interactively (codex app-server) to approve requests");
        }
        return new ExecRun(spec, listener).launch();
    }

    /** The arguments of {@code codex exec}: every value is fixed or checked, the prompt is read from stdin. */
    static List<String> arguments(RunSpec spec, Optional<Path> schemaFile) {
        List<String> args = new ArrayList<>(List.of("exec"));
        if (spec.resumeSession().isPresent()) {
            args.add("resume");
        }
        args.addAll(List.of("--json", "--skip-git-repo-check"));
        // an unreachable provider would otherwise be retried forever
        args.addAll(List.of("--disable", "unbounded_connection_retries"));
        if (spec.resumeSession().isPresent()) {
            // exec resume takes no --sandbox or --cd: the sandbox is a config override, the folder the process's
            args.add("--config=sandbox_mode=\"" + spec.sandbox().wireName() + "\"");
        } else {
            args.add("--sandbox=" + spec.sandbox().wireName());
            args.add("--cd=" + spec.dir());
        }
        spec.model().ifPresent(m -> args.add("--model=" + m));
        schemaFile.ifPresent(f -> args.add("--output-schema=" + f));
        spec.resumeSession().ifPresent(args::add);
        args.add("-");
        return args;
    }

    private static final class ExecRun extends ProcessRun {
        private final Optional<Path> schemaFile;
        private Optional<String> lastMessageText = Optional.empty();

        ExecRun(RunSpec spec, RunListener listener) {
            super(spec, listener);
            this.schemaFile = spec.outputSchema().map(ExecRun::writeSchema);
        }

        private static Path writeSchema(String schema) {
            try {
                Path f = Files.createTempFile(
                        "tandem-schema-",
                        ".json",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(f, schema, StandardCharsets.UTF_8);
                f.toFile().deleteOnExit();
                return f;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        List<String> arguments() {
            return CodexExec.arguments(spec, schemaFile);
        }

        @Override
        void begin() {
            turnStarted(spec.prompt());
            process().writeAllAndClose(spec.prompt());
            schemaFile.ifPresent(f -> Thread.ofVirtual().start(() -> {
                process().exited().join();
                f.toFile().delete();
            }));
        }

        @Override
        void onLine(String line) {
            Optional<ObjectNode> parsed = Json.object(line);
            if (parsed.isEmpty()) {
                emit(new RunEvent.Notice("info", Json.oneLine(line, 500)));
                return;
            }
            JsonNode e = parsed.get();
            switch (Json.text(e, "type", "")) {
                case "thread.started" -> Json.text(e, "thread_id").ifPresent(id -> emit(new RunEvent.Session(id)));
                case "item.completed" -> item(e.path("item"));
                case "turn.completed" -> {
                    JsonNode u = e.path("usage");
                    emit(new RunEvent.Usage(
                            Json.count(u, "input_tokens"),
                            Json.count(u, "cached_input_tokens"),
                            Json.count(u, "output_tokens"),
                            true,
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty()));
                    turnEnded(RunEvent.TurnStatus.COMPLETED, Optional.empty(), Optional.empty(), structured());
                }
                case "turn.failed" ->
                    turnEnded(
                            RunEvent.TurnStatus.FAILED,
                            Optional.empty(),
                            Json.text(e.path("error"), "message").or(() -> Optional.of("the turn failed")),
                            Optional.empty());
                case "error" -> emit(new RunEvent.Notice("error", Json.text(e, "message", "error")));
                default -> {
                    // turn.started, item.started, item.updated: the completed item says it all
                }
            }
        }

        private Optional<String> structured() {
            return spec.outputSchema().isPresent() ? lastMessageText : Optional.empty();
        }

        private void item(JsonNode item) {
            switch (Json.text(item, "type", "")) {
                case "agent_message" -> {
                    String text = Json.text(item, "text", "");
                    lastMessageText = Optional.of(text);
                    emit(new RunEvent.Message(text));
                }
                case "command_execution" ->
                    emit(new RunEvent.Command(
                            Json.text(item, "command", ""),
                            Json.text(item, "status", "completed"),
                            Json.number(item, "exit_code").map(Long::intValue),
                            Json.tail(
                                    Json.text(item, "aggregated_output", ""),
                                    spec.limits().outputTailChars())));
                case "file_change" -> {
                    if (!"failed".equals(Json.text(item, "status", ""))) {
                        List<RunEvent.FileEdit> files = new ArrayList<>();
                        for (JsonNode c : item.path("changes")) {
                            files.add(new RunEvent.FileEdit(Json.text(c, "path", ""), Json.text(c, "kind", "update")));
                        }
                        emit(new RunEvent.FilesChanged(files));
                    }
                }
                case "mcp_tool_call" ->
                    emit(new RunEvent.ToolCall(
                            Json.text(item, "server", "") + "." + Json.text(item, "tool", ""),
                            Json.text(item, "status", ""),
                            Json.text(item.path("error"), "message", "")));
                case "error" -> emit(new RunEvent.Notice("warning", Json.text(item, "message", "")));
                default -> {
                    // reasoning, todo lists, web searches: not part of a job's record
                }
            }
        }

        @Override
        void sendTurn(String message) {
            throw new RunException("codex exec takes no follow-up");
        }

        @Override
        void interruptTurn() {
            kill();
        }
    }
}
