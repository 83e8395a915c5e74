package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.hub.TestHub;
import dev.tandem.hub.delegation.DelegationSettings;
import dev.tandem.hub.mcp.Capability;
import dev.tandem.hub.mcp.JobsCapability;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A real hub with the jobs capability, the real pinned {@code codex} and {@code claude}, and the repository's mock
 * model APIs on loopback: the world every jobs test runs in. The engines run with a throw-away home and their own
 * config pointing at the mocks; nothing leaves the machine.
 */
final class JobWorld implements AutoCloseable {
    final Path dir;
    final MockModel codexModel;
    final MockModel claudeModel;
    final Map<String, String> env = new LinkedHashMap<>();
    private final String jobsToml;
    private final UnaryOperator<JobSettings> tighten;
    private String delegationToml = "";
    private UnaryOperator<DelegationSettings> tightenDelegation = UnaryOperator.identity();
    final Path codexHome;
    private TestHub hub;
    private JobsCapability capability;

    private JobWorld(Path dir, String jobsToml, UnaryOperator<JobSettings> tighten) {
        this.dir = dir;
        this.jobsToml = jobsToml;
        this.tighten = tighten;
        this.codexModel = MockModel.codex(dir.resolve("mock-codex"));
        this.claudeModel = MockModel.claude(dir.resolve("mock-claude"));
        Path engineHome = mkdirs(dir.resolve("engine-home"));
        // outside /tmp: Codex refuses to put its helper binaries under a temporary folder
        this.codexHome =
                mkdirs(RealClis.ROOT.resolve("mcp-server/target/codex-homes").resolve(dir.getFileName()));
        write(codexHome.resolve("config.toml"), codexConfig(codexModel.url(), ""));
        env.put("PATH", RealClis.BIN + ":/usr/bin:/bin");
        env.put("HOME", engineHome.toString());
        env.put("CODEX_HOME", codexHome.toString());
        env.put("LANG", "C.UTF-8");
        env.put("NO_PROXY", "127.0.0.1,localhost");
        env.put("MOCK_KEY", "dummy");
        env.put("ANTHROPIC_BASE_URL", claudeModel.url());
        env.put("ANTHROPIC_API_KEY", "dummy");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        env.put("ENABLE_TOOL_SEARCH", "false");
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
    }

    /** Starts the mocks and a hub whose {@code [jobs]} section holds {@code jobsToml} (may be empty). */
    static JobWorld start(Path dir, String jobsToml) {
        return start(dir, jobsToml, UnaryOperator.identity());
    }

    /** Starts the world with {@code [jobs]} read from {@code jobsToml} and then changed by {@code tighten}. */
    static JobWorld start(Path dir, String jobsToml, UnaryOperator<JobSettings> tighten) {
        RealClis.require();
        JobWorld w = new JobWorld(dir, jobsToml, tighten);
        w.hub = w.startHub();
        return w;
    }

    /**
     * Starts the world with {@code [delegation]} read from {@code delegationToml} and then changed by {@code
     * tighten}.
     */
    static JobWorld startDelegation(Path dir, String delegationToml, UnaryOperator<DelegationSettings> tighten) {
        RealClis.require();
        JobWorld w = new JobWorld(dir, "", UnaryOperator.identity());
        w.delegationToml = delegationToml;
        w.tightenDelegation = tighten;
        w.hub = w.startHub();
        return w;
    }

    /**
     * Points the engines' Codex config at the hub too, as {@code tandem sync} would (an auth helper that reads Codex's
     * own credential), with the hub's tools allowed without asking: Codex processes the hub starts then reach it.
     */
    void codexReachesHub() {
        Path helper = dir.resolve("auth-header");
        write(
                helper,
                "#!/bin/sh\nprintf '{\"Authorization\":\"Bearer %s\"}\\n' \"$(cat '"
                        + hub.config().engineTokenFile("codex") + "')\"\n");
        helper.toFile().setExecutable(true, true);
        write(
                codexHome.resolve("config.toml"),
                codexConfig(
                        codexModel.url(),
                        "\n[mcp_servers.tandem]\nurl = \"" + hub.baseUrl() + "/mcp\"\n"
                                + "http_headers_helper = \"" + helper + "\"\nrequired = true\n"
                                + "default_tools_approval_mode = \"approve\"\n"));
    }

    /** Returns Codex's config.toml: the mock provider, nothing that reaches the network, plus {@code extra}. */
    static String codexConfig(String mockUrl, String extra) {
        return """
                model = "mock-model"
                model_provider = "mock"
                check_for_update_on_startup = false

                [analytics]
                enabled = false

                [features]
                plugins = false
                remote_plugin = false
                apps = false

                [model_providers.mock]
                name = "mock"
                base_url = "%s"
                wire_api = "responses"
                env_key = "MOCK_KEY"
                request_max_retries = 0
                stream_max_retries = 0
                """.formatted(mockUrl) + extra;
    }

    private TestHub startHub() {
        String toml = "[memory]\nhost = \"box\"\n\n[jobs]\n" + jobsToml + "\n\n[delegation]\n" + delegationToml + "\n";
        return TestHub.startWith(dir, toml, cfg -> {
            capability = JobsCapability.create(
                    cfg,
                    tighten.apply(JobSettings.from(cfg.reader("jobs"))),
                    tightenDelegation.apply(DelegationSettings.from(cfg.reader("delegation"))),
                    env);
            return List.<Capability>of(capability);
        });
    }

    TestHub hub() {
        return hub;
    }

    JobService jobs() {
        return capability.service();
    }

    dev.tandem.hub.delegation.DelegationService delegation() {
        return capability.delegation();
    }

    /** Stops the hub (as a shutdown would) and starts a new one on the same data, token and roots. */
    void restart() {
        hub.close();
        hub = startHub();
    }

    /** Returns the hub's first root, where jobs work by default. */
    Path root() {
        return dir.resolve("root");
    }

    /** Starts a job from the CLI's side. */
    JobRecord start(Engine engine, String prompt, boolean oneShot) {
        return start(engine, prompt, Optional.empty(), oneShot);
    }

    /** Starts a one-shot job from the CLI's side in a read-only sandbox. */
    JobRecord startReadOnly(Engine engine, String prompt) {
        return start(engine, prompt, Optional.of(Sandbox.READ_ONLY), true);
    }

    private JobRecord start(Engine engine, String prompt, Optional<Sandbox> sandbox, boolean oneShot) {
        return jobs().start(new JobRequest(
                engine,
                prompt,
                Optional.empty(),
                Optional.empty(),
                sandbox,
                Optional.empty(),
                oneShot,
                List.of(),
                "cli"));
    }

    /** Waits (up to two minutes) until the job's record satisfies {@code done}. */
    JobRecord await(String id, Predicate<JobRecord> done, String what) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JobRecord last = jobs().status(id);
        while (System.nanoTime() < deadline) {
            last = jobs().status(id);
            if (done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("job " + id + " never became " + what + "; it is " + last + "\noutput:\n"
                + String.join("\n", jobs().output(id, 200)));
        return last;
    }

    /** Waits until the job is in one of {@code statuses}. */
    JobRecord awaitStatus(String id, JobStatus... statuses) {
        return await(id, j -> Arrays.asList(statuses).contains(j.status()), Arrays.toString(statuses));
    }

    static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (hub != null) {
                hub.close();
            }
        } finally {
            codexModel.close();
            claudeModel.close();
            deleteTree(codexHome);
        }
    }

    private static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: target/ is cleaned by the next build
        }
    }
}
