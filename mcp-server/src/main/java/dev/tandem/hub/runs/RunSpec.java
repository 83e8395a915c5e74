package dev.tandem.hub.runs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What to run: the engine's binary (from configuration or {@code PATH}, never from a caller), where, with which
 * first prompt and under which sandbox and approval policy.
 *
 * <p>Nothing a caller gives becomes a flag: the prompt goes to stdin, the model and session id are checked against
 * {@link #MODEL} and {@link #SESSION} and passed as {@code --flag=value}, and {@code dir} is the process's working
 * directory (the caller checks it lies inside the roots).
 *
 * @param binary the engine's executable
 * @param dir the real path of the working directory
 * @param prompt the first turn's input
 * @param model the model to use, else the engine's default
 * @param interactive whether the run takes follow-up turns ({@link Run#send}); a one-shot run ends after its turn
 * @param resumeSession the engine session to continue instead of starting a new one
 * @param outputSchema a JSON schema the final message must follow (structured output), as JSON text
 * @param env the exact environment of the process
 * @param turnTimeout how long one turn may take (waiting for approvals included) before the tree is killed
 * @param killGrace how long SIGTERM has before SIGKILL
 * @param limits output caps
 * @param redactor what every reported text passes through
 */
public record RunSpec(
        Engine engine,
        Path binary,
        Path dir,
        String prompt,
        Optional<String> model,
        Sandbox sandbox,
        Approval approval,
        boolean interactive,
        Optional<String> resumeSession,
        Optional<String> outputSchema,
        Map<String, String> env,
        Duration turnTimeout,
        Duration killGrace,
        Limits limits,
        Redactor redactor) {

    /** A model name: letters, digits and {@code . _ : / @ -}, not starting with {@code -}. */
    public static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,99}");

    /** An engine session or thread id: letters, digits and {@code -}, as both engines make them. */
    public static final Pattern SESSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,99}");

    public RunSpec {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(turnTimeout, "turnTimeout");
        Objects.requireNonNull(killGrace, "killGrace");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(redactor, "redactor");
        env = Map.copyOf(env);
        if (model.isPresent() && !MODEL.matcher(model.get()).matches()) {
            throw new RunException("model '" + model.get() + "' is not a model name (letters, digits, . _ : / @ -)");
        }
        if (resumeSession.isPresent() && !SESSION.matcher(resumeSession.get()).matches()) {
            throw new RunException("session id '" + resumeSession.get() + "' is not an engine session id");
        }
        if (!dir.isAbsolute()) {
            throw new RunException("the working directory must be an absolute real path: " + dir);
        }
    }

    /**
     * Caps on what is read from the engine.
     *
     * @param maxLineBytes the longest stdout line kept whole (the rest is dropped and the event reported as cut)
     * @param stderrTailBytes how much of the end of stderr is kept for error messages
     * @param outputTailChars how much of a command's output an event carries
     */
    public record Limits(int maxLineBytes, int stderrTailBytes, int outputTailChars) {
        public static final Limits DEFAULT = new Limits(8 * 1024 * 1024, 16 * 1024, 4 * 1024);
    }
}
