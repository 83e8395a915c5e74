package dev.tandem.hub.jobs;

import static dev.tandem.hub.jobs.McpCalls.call;
import static dev.tandem.hub.jobs.McpCalls.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One agent runs the other through the hub's job tools, and a job reaches the hub's tools itself. */
class JobsMcpTest {
    @TempDir
    Path dir;

    @Test
    void claudeCodeStartsACodexJobAndFollowsItThroughTheTools() {
        try (JobWorld world = JobWorld.start(dir, "")) {
            world.codexModel.script("""
                    {"name":"mcp","turns":[{"match":"second opinion","steps":[{"shell":"echo looked"}],
                      "final":"first thoughts"},{"match":"go deeper","final":"deeper thoughts"}]}
                    """);
            McpSyncClient claude = world.hub().client("claude-code");
            Map<String, Object> started = ok(call(claude, "job_start", Map.of("prompt", "second opinion")));
            assertEquals("codex", started.get("engine"), "the caller's other engine by default");
            assertEquals("mcp:claude", started.get("origin"));
            String id = (String) started.get("id");

            world.awaitStatus(id, JobStatus.COMPLETED, JobStatus.FAILED);
            Map<String, Object> status = ok(call(claude, "job_status", Map.of("id", id)));
            assertEquals("completed", status.get("status"));
            assertEquals("first thoughts", status.get("summary"));
            @SuppressWarnings("unchecked")
            List<String> lines = (List<String>) ok(call(claude, "job_output", Map.of("id", id, "lines", 50)))
                    .get("lines");
            assertTrue(lines.stream().anyMatch(l -> l.contains("echo looked")), lines.toString());

            assertEquals(
                    "running",
                    ok(call(claude, "job_send", Map.of("id", id, "message", "go deeper")))
                            .get("status"));
            JobRecord deeper =
                    world.await(id, j -> j.turns() == 2 && !j.status().active(), "done with turn two");
            assertEquals("deeper thoughts", deeper.summary().orElse(""));

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> jobs =
                    (List<Map<String, Object>>) ok(call(claude, "job_list", Map.of("status", List.of("completed"))))
                            .get("jobs");
            assertEquals(List.of(id), jobs.stream().map(j -> j.get("id")).toList());
            assertEquals(
                    "completed",
                    ok(call(claude, "job_kill", Map.of("id", id))).get("status"),
                    "killing a finished job ends its idle process and keeps its status");
        }
    }

    @Test
    void aJobReachesTheHubsToolsThroughThePersonsOwnSetUpWithoutTheToken() throws Exception {
        try (JobWorld world = JobWorld.start(dir, "")) {
            // what 'tandem sync push-runtime' writes: an auth helper that reads Codex's credential, named in the
            // person's Codex config; the engine's environment holds no token
            Path helper = dir.resolve("auth-header");
            Files.writeString(
                    helper,
                    "#!/bin/sh\nprintf '{\"Authorization\":\"Bearer %s\"}\\n' \"$(cat '"
                            + world.hub().config().engineTokenFile("codex") + "')\"\n");
            Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
            Files.writeString(
                    world.codexHome.resolve("config.toml"),
                    JobWorld.codexConfig(
                            world.codexModel.url(),
                            "\n[mcp_servers.tandem]\nurl = \"" + world.hub().baseUrl() + "/mcp\"\n"
                                    + "http_headers_helper = \"" + helper + "\"\nrequired = true\n"));
            world.codexModel.script("""
                    {"name":"inside","turns":[{"match":"ask the hub","steps":[
                      {"call":{"namespace":"mcp__tandem","tool":"hub_info","arguments":{}}}],
                      "final":"hub said: {{last_result}}"}]}
                    """);
            McpSyncClient claude = world.hub().client("claude-code");
            String id = (String) ok(call(claude, "job_start", Map.of("prompt", "ask the hub", "one_shot", true)))
                    .get("id");
            JobRecord done = world.awaitStatus(id, JobStatus.COMPLETED, JobStatus.FAILED);
            assertEquals(JobStatus.COMPLETED, done.status(), done.toString());
            String summary = done.summary().orElse("");
            assertTrue(summary.contains("\"engine\":\"codex\""), "the job called hub_info as Codex: " + summary);
            assertFalse(world.env.containsKey("TANDEM_TOKEN"));
            List<String> out = world.jobs().output(id, 100);
            assertTrue(out.stream().anyMatch(l -> l.contains("tool_call tandem.hub_info completed")), out.toString());
        }
    }
}
