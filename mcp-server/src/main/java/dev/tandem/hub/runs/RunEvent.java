package dev.tandem.hub.runs;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run reports, the same for every engine: each {@link EngineRunner} turns its CLI's own events into these.
 * {@link #kind()} is the name stored with a job's output and shown by {@code tandem jobs watch}.
 */
public sealed interface RunEvent {
    /** Returns the event's kind on the wire: {@code session}, {@code message}, {@code command}, … */
    String kind();

    /** Returns the event with every text passed through {@code redactor}. */
    RunEvent redacted(Redactor redactor);

    /** The engine named its thread or session: the id {@code resume} continues. */
    record Session(String sessionId) implements RunEvent {
        public Session {
            Objects.requireNonNull(sessionId, "sessionId");
        }

        @Override
        public String kind() {
            return "session";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return this;
        }
    }

    /** A turn began: the prompt or a follow-up went to the engine. */
    record TurnStarted(String input) implements RunEvent {
        @Override
        public String kind() {
            return "turn_started";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return new TurnStarted(redactor.apply(input));
        }
    }

    /** The agent said something (the last one of a turn is its final answer). */
    record Message(String text) implements RunEvent {
        @Override
        public String kind() {
            return "message";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return new Message(redactor.apply(text));
        }
    }

    /**
     * The agent ran a shell command.
     *
     * @param status {@code completed}, {@code failed} or {@code declined}
     * @param exitCode its exit code, when it ran to the end
     * @param output the end of its output
     */
    record Command(String command, String status, Optional<Integer> exitCode, String output) implements RunEvent {
        @Override
        public String kind() {
            return "command";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return new Command(redactor.apply(command), status, exitCode, redactor.apply(output));
        }
    }

    /** One file the agent changed: {@code kind} is {@code add}, {@code update} or {@code delete}. */
    record FileEdit(String path, String kind) {}

    /** The agent changed files, as the engine's own file-change event (or tool result) reports. */
    record FilesChanged(List<FileEdit> files) implements RunEvent {
        public FilesChanged {
            files = List.copyOf(files);
        }

        @Override
        public String kind() {
            return "file_change";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return this;
        }
    }

    /** The agent called a tool other than the shell (an MCP tool, a web search, …). */
    record ToolCall(String name, String status, String detail) implements RunEvent {
        @Override
        public String kind() {
            return "tool_call";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return new ToolCall(name, status, redactor.apply(detail));
        }
    }

    /**
     * Tokens (and cost) the engine reported.
     *
     * @param cumulative true when the counts are the thread's running total (Codex), false when they are this
     *     turn's alone (Claude Code's result)
     * @param costUsd the cost of this turn alone, when the engine reports one
     * @param contextWindow the model's context window
     * @param contextUsed the tokens of the latest request's context
     */
    record Usage(
            long input,
            long cachedInput,
            long output,
            boolean cumulative,
            Optional<Double> costUsd,
            Optional<Long> contextWindow,
            Optional<Long> contextUsed)
            implements RunEvent {
        @Override
        public String kind() {
            return "usage";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return this;
        }
    }

    /**
     * The engine waits for permission: {@link Run#answer} with {@code requestId} approves or denies it.
     *
     * @param asks {@code command}, {@code file_change}, {@code tool} or {@code permission}
     */
    record ApprovalRequested(String requestId, String asks, String summary) implements RunEvent {
        @Override
        public String kind() {
            return "approval_request";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return new ApprovalRequested(requestId, asks, redactor.apply(summary));
        }
    }

    /**
     * A request was answered: {@code decision} is {@code approved} or {@code denied}, or {@code withdrawn} when the
     * engine stopped waiting; {@code by} is {@code person} or the policy that answered ({@code auto}, {@code never}).
     */
    record ApprovalResolved(String requestId, String decision, String by) implements RunEvent {
        @Override
        public String kind() {
            return "approval_resolved";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return this;
        }
    }

    /** How a turn ended. */
    enum TurnStatus {
        COMPLETED,
        FAILED,
        INTERRUPTED
    }

    /**
     * A turn ended.
     *
     * @param finalMessage the agent's last message of the turn
     * @param error what went wrong, for a failed or interrupted turn
     * @param structured the JSON the engine returned for a run with an output schema, as text
     */
    record TurnEnded(
            TurnStatus status, Optional<String> finalMessage, Optional<String> error, Optional<String> structured)
            implements RunEvent {
        @Override
        public String kind() {
            return "turn_ended";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return new TurnEnded(
                    status,
                    finalMessage.map(redactor::apply),
                    error.map(redactor::apply),
                    structured.map(redactor::apply));
        }
    }

    /** Something worth showing that is none of the above: an engine warning, a retry, a refused request. */
    record Notice(String level, String text) implements RunEvent {
        @Override
        public String kind() {
            return "notice";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return new Notice(level, redactor.apply(text));
        }
    }

    /**
     * The engine process ended.
     *
     * @param code its exit code ({@code 128 + n} for signal {@code n})
     * @param cause why, when the hub ended it: {@code killed}, {@code timed out after …}, {@code closed}
     * @param stderr the end of its standard error
     */
    record Exited(int code, Optional<String> cause, String stderr) implements RunEvent {
        @Override
        public String kind() {
            return "exited";
        }

        @Override
        public RunEvent redacted(Redactor redactor) {
            return new Exited(code, cause, redactor.apply(stderr));
        }
    }
}
