package dev.tandem.hub.jobs;

import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.Sandbox;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks for when it starts a job; what it leaves out comes from {@code [jobs]}.
 *
 * @param dir the folder, absolute or relative to the first root; empty means the first root
 * @param files globs, relative to {@code dir}, of files whose text is attached to the prompt
 * @param origin who asks: {@code cli}, {@code dashboard}, {@code mcp:<engine>}, {@code delegation:<engine>}
 * @param resumeSession the engine session the first turn continues (a delegation's {@code session_id})
 * @param outputSchema a JSON schema the final answer must follow (a review's verdict)
 * @param timeout how long its turn may take, instead of {@code [jobs] timeout_minutes}
 */
public record JobRequest(
        Engine engine,
        String prompt,
        Optional<String> dir,
        Optional<String> model,
        Optional<Sandbox> sandbox,
        Optional<Approval> approval,
        boolean oneShot,
        List<String> files,
        String origin,
        Optional<String> resumeSession,
        Optional<String> outputSchema,
        Optional<Duration> timeout) {

    public JobRequest {
        Objects.requireNonNull(resumeSession, "resumeSession");
        Objects.requireNonNull(outputSchema, "outputSchema");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(origin, "origin");
        files = List.copyOf(files);
    }

    /** A request with the defaults of {@code [jobs]}: a new session, no output schema, the configured timeout. */
    public JobRequest(
            Engine engine,
            String prompt,
            Optional<String> dir,
            Optional<String> model,
            Optional<Sandbox> sandbox,
            Optional<Approval> approval,
            boolean oneShot,
            List<String> files,
            String origin) {
        this(
                engine,
                prompt,
                dir,
                model,
                sandbox,
                approval,
                oneShot,
                files,
                origin,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }
}
