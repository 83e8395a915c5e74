package dev.tandem.hub.runs;

/**
 * Starts runs on one machine interface of one engine: {@link CodexExec} ({@code codex exec --json}), {@link
 * CodexAppServer} ({@code codex app-server}) and {@link ClaudeStream} ({@code claude -p} with stream-json).
 */
public interface EngineRunner {
    /** Returns the engine this runner drives. */
    Engine engine();

    /** Returns whether this runner's runs take follow-up turns and ask for approvals. */
    boolean interactive();

    /**
     * Starts a run; its events go to {@code listener}, in order. Thrown {@link RunException} when the spec does not
     * suit this runner or the process cannot be started.
     */
    Run start(RunSpec spec, RunListener listener);

    /**
     * Returns the runner for {@code engine}: Codex one-shot runs go through {@code codex exec} (which cannot ask for
     * approvals), interactive ones through {@code codex app-server}; Claude Code runs always go through stream-json
     * on stdin and stdout, which carries follow-ups and approvals.
     */
    static EngineRunner of(Engine engine, boolean interactive) {
        return switch (engine) {
            case CODEX -> interactive ? new CodexAppServer() : new CodexExec();
            case CLAUDE -> new ClaudeStream(interactive);
        };
    }
}
