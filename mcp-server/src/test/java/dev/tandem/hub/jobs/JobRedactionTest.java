package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tandem.core.config.TokenFile;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.hub.runs.Engine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job's output is redacted of the hub's credentials as their files hold them when the output is stored: the token
 * after {@code tandem token --rotate} (which the running hub accepts without a restart) and the engines' own
 * credentials ({@code ~/.tandem/tokens/codex}, {@code …/claude}) are 64 hex characters that no shape matches, so an
 * engine that prints them (it runs as the person and can read them) would otherwise have them stored and returned by
 * {@code job_output}/{@code job_status}. Runs the real Codex CLI against the mock model; skipped without it.
 */
class JobRedactionTest {
    @TempDir
    Path dir;

    @Test
    void theRotatedTokenAndTheEngineCredentialsAreRedactedFromAJobsOutput() throws Exception {
        try (JobWorld world = JobWorld.start(dir, "")) {
            String rotated = new TokenFile(world.hub().config().tokenFile()).rotate();
            String codex = world.hub().token("codex");
            world.codexModel.script("""
                    {"name":"leak","turns":[{"match":"leak things","steps":[],
                      "final":"rotated %s codex %s"}]}
                    """.formatted(rotated, codex));
            JobRecord job = world.startReadOnly(Engine.CODEX, "leak things");
            JobRecord done = world.awaitStatus(job.id(), JobStatus.COMPLETED, JobStatus.FAILED);
            String seen = done.summary().orElse("") + "\n"
                    + String.join("\n", world.jobs().output(job.id(), 500));
            assertFalse(seen.contains(rotated), "the token in use now was stored and returned: " + seen);
            assertFalse(seen.contains(codex), "Codex's hub credential was stored and returned: " + seen);
        }
    }
}
