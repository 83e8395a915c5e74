package dev.tandem.hub.jobs;

import dev.tandem.hub.auth.HubSecrets;
import java.util.List;
import java.util.Map;

/**
 * The environment an engine process gets: the hub's own (so each CLI finds its config, provider keys and the
 * person's MCP set-up, through which the hub's tools reach the job), without the hub's secrets ({@link HubSecrets}:
 * its token, the store's password), and with the job's id.
 */
final class JobEnvironment {
    /** The variable that tells a job's agent (and the hub, later) which job it runs in. */
    static final String JOB_ID = "TANDEM_JOB_ID";

    /** Variables Claude Code sets inside a session; an inherited one makes a nested {@code claude -p} misbehave. */
    private static final List<String> NESTING_MARKERS = List.of("CLAUDECODE", "CLAUDE_CODE_ENTRYPOINT");

    private JobEnvironment() {}

    /**
     * Returns the environment of job {@code jobId}: {@code hubEnv} without {@link HubSecrets#VARIABLES} and without
     * any variable holding the token; with {@code passToken}, {@code TANDEM_TOKEN} is then set to the token.
     */
    static Map<String, String> of(Map<String, String> hubEnv, String token, boolean passToken, String jobId) {
        Map<String, String> env = HubSecrets.without(hubEnv);
        env.keySet().removeAll(NESTING_MARKERS);
        if (!token.isEmpty()) {
            env.values().removeIf(v -> v.contains(token));
        }
        if (passToken) {
            env.put(HubSecrets.TOKEN_ENV, token);
        }
        env.put(JOB_ID, jobId);
        return env;
    }
}
