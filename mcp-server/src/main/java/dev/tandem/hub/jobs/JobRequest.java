package dev.tandem.hub.jobs;

import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.Sandbox;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks for when it starts a job; what it leaves out comes from {@code [jobs]}.
 *
 * @param dir the folder, absolute or relative to the first root; empty means the first root
 * @param files globs, relative to {@code dir}, of files whose text is attached to the prompt
 * @param origin who asks: {@code cli}, {@code dashboard}, {@code mcp:<engine>}
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
        String origin) {

    public JobRequest {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(origin, "origin");
        files = List.copyOf(files);
    }
}
