package dev.tandem.hub.jobs;

import static dev.tandem.hub.jobs.McpCalls.call;
import static dev.tandem.hub.jobs.McpCalls.ok;
import static dev.tandem.hub.jobs.McpCalls.refusedWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import dev.tandem.hub.delegation.DelegationException;
import dev.tandem.hub.delegation.DelegationService;
import dev.tandem.hub.runs.Approval;
import dev.tandem.hub.runs.Engine;
import dev.tandem.hub.runs.ProcessTree;
import dev.tandem.hub.runs.Sandbox;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an agent holding the token must not get from {@code *_exec}: each attack against the real hub and CLIs. */
class DelegationSafetyTest {
    @TempDir
    Path dir;

    private JobWorld world;

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private McpSyncClient claude() {
        return world.hub().client("claude-code", spec -> spec.requestTimeout(Duration.ofMinutes(2)));
    }

    @Test
    void refusesADirOutsideTheRootsEvenThroughASymlinkInsideThem() throws Exception {
        world = JobWorld.startDelegation(dir, "", UnaryOperator.identity());
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(world.root().resolve("escape"), outside);

        refusedWith(call(claude(), "codex_exec", Map.of("task", "look around", "dir", outside.toString())), "dir");
        refusedWith(call(claude(), "codex_exec", Map.of("task", "look around", "dir", "escape")), "dir");
        refusedWith(call(claude(), "claude_exec", Map.of("task", "look around", "dir", "../outside")), "dir");

        assertEquals(List.of(), world.jobs().list(10, List.of()), "nothing was started");
        assertEquals(List.of(), world.codexModel.requests(), "no model was asked");
    }

    @Test
    void dangerFullAccessAndNeverAskAreNeitherOfferedNorAcceptedUnlessEnabled() {
        world = JobWorld.startDelegation(dir, "", UnaryOperator.identity());
        McpSyncClient c = claude();
        for (String tool : List.of("codex_exec", "claude_exec")) {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> props =
                    (Map<String, Map<String, Object>>) McpCalls.schema(c, tool).get("properties");
            assertEquals(
                    List.of("read-only", "workspace-write"),
                    props.get("sandbox").get("enum"),
                    tool);
            assertEquals(List.of("never", "on-request"), props.get("approval").get("enum"), tool);
            // the SDK checks the schema first; the service refuses as well, whatever reaches it
            refusedWith(call(c, tool, Map.of("task", "t", "sandbox", "danger-full-access")), "sandbox");
            refusedWith(call(c, tool, Map.of("task", "t", "approval", "auto")), "approval");
        }
        for (Engine e : Engine.values()) {
            DelegationException danger = assertThrows(
                    DelegationException.class,
                    () -> world.delegation()
                            .exec(
                                    exec(e, Sandbox.DANGER_FULL_ACCESS, Approval.NEVER),
                                    "claude",
                                    "127.0.0.1:1",
                                    (k, t) -> {}));
            assertTrue(danger.getMessage().contains("allow_danger_full_access = false"), danger.getMessage());
            DelegationException auto = assertThrows(
                    DelegationException.class,
                    () -> world.delegation()
                            .exec(exec(e, Sandbox.READ_ONLY, Approval.AUTO), "claude", "127.0.0.1:1", (k, t) -> {}));
            assertTrue(auto.getMessage().contains("allow_auto_approve = false"), auto.getMessage());
        }
        assertEquals(List.of(), world.jobs().list(10, List.of()));
    }

    @Test
    void dangerFullAccessIsOfferedOnceDelegationEnablesIt() {
        world = JobWorld.startDelegation(
                dir, "allow_danger_full_access = true\nallow_auto_approve = true", UnaryOperator.identity());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> props = (Map<String, Map<String, Object>>)
                McpCalls.schema(claude(), "codex_exec").get("properties");
        assertEquals(
                List.of("read-only", "workspace-write", "danger-full-access"),
                props.get("sandbox").get("enum"));
        assertEquals(
                List.of("never", "on-request", "auto"), props.get("approval").get("enum"));
    }

    @Test
    void aDelegationBeyondTheConcurrencyCapIsToldBusyAtOnce() {
        world = JobWorld.startDelegation(dir, "max_concurrent = 1", UnaryOperator.identity());
        world.codexModel.script("""
                {"name":"busy","turns":[{"match":"hold the slot","steps":[{"shell":"sleep 300"}]}]}
                """);
        McpSyncClient c = claude();
        String id = (String) ok(call(c, "codex_exec", Map.of("task", "hold the slot", "background", true)))
                .get("job_id");
        world.await(id, j -> j.pid().isPresent(), "running");

        refusedWith(call(c, "claude_exec", Map.of("task", "anything")), "busy: 1 delegations are running");

        world.jobs().kill(id);
        world.await(id, j -> !j.status().active(), "ended");
        // the slot is free again once the job has ended
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var r = call(c, "codex_exec", Map.of("task", "hold the slot", "background", true));
            if (!Boolean.TRUE.equals(r.isError())) {
                world.jobs().kill((String) ok(r).get("job_id"));
                return;
            }
            last = McpCalls.text(r);
        }
        throw new AssertionError("the slot never came back: " + last);
    }

    @Test
    void aDelegationPastItsTimeoutIsKilledWithItsWholeProcessTree() throws Exception {
        world = JobWorld.startDelegation(dir, "", s -> s.withLimits(3, 1, Duration.ofSeconds(8), s.outputCapBytes()));
        world.codexModel.script("""
                {"name":"slow","turns":[{"match":"take forever","steps":[{"shell":"sleep 300"}]}]}
                """);
        McpSyncClient c = claude();
        // not the common pool: on a small machine its one worker would also be the one the client's answer needs
        CompletableFuture<Map<String, Object>> answer = CompletableFuture.supplyAsync(
                () -> ok(call(c, "codex_exec", Map.of("task", "take forever"))),
                command -> Thread.ofPlatform().daemon().start(command));
        String id = awaitFirstJob();
        JobRecord running = world.await(id, j -> j.pid().isPresent(), "running");
        long pid = running.pid().orElseThrow();
        ProcessHandle sleep = Procs.awaitChild(pid, "sleep");
        List<ProcessHandle> tree = Procs.tree(pid);

        world.await(id, j -> !j.status().active(), "ended by its timeout");
        Map<String, Object> out = answer.get(2, TimeUnit.MINUTES);

        assertEquals("failed", out.get("status"), out.toString());
        assertTrue(String.valueOf(out.get("error")).contains("timed out"), out.toString());
        assertFalse(sleep.isAlive(), "the engine's shell command was killed too");
        // SIGTERM, then SIGKILL after the grace: the rest of the tree goes within it
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline
                && (tree.stream().anyMatch(ProcessHandle::isAlive)
                        || !ProcessTree.sessionMembers(pid).isEmpty())) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), tree.stream().filter(ProcessHandle::isAlive).toList(), Procs.describe(tree));
        assertEquals(List.of(), ProcessTree.sessionMembers(pid));
    }

    @Test
    void secretsAndTheHomeFolderInTheCalleesAnswerAreRedacted() {
        world = JobWorld.startDelegation(dir, "", UnaryOperator.identity());
        world.env.put("DEPLOY_API_KEY", "k3y-value-that-must-not-leak");
        world.restart();
        String home = world.env.get("HOME");
        world.codexModel.script("""
                {"name":"leak","turns":[{"match":"show secrets","final":"key k3y-value-that-must-not-leak, \
                token sk-abcdefghijklmnopqrstu, config in %s/.codex/config.toml"}]}
                """.formatted(home));
        Map<String, Object> out = ok(call(claude(), "codex_exec", Map.of("task", "show secrets")));
        String message = (String) out.get("message");
        assertFalse(message.contains("k3y-value-that-must-not-leak"), message);
        assertFalse(message.contains("sk-abcdefghijklmnopqrstu"), message);
        assertFalse(message.contains(home), message);
        assertTrue(message.contains("~/.codex/config.toml"), message);
        assertTrue(message.contains("[redacted]"), message);
    }

    @Test
    void aLongAnswerIsCutAtTheCapWithANote() {
        world = JobWorld.startDelegation(dir, "", s -> s.withLimits(3, 1, s.timeout(), 1024));
        world.codexModel.script(
                "{\"name\":\"long\",\"turns\":[{\"match\":\"say a lot\",\"final\":\"" + "x".repeat(5000) + "\"}]}");
        Map<String, Object> out = ok(call(claude(), "codex_exec", Map.of("task", "say a lot")));
        assertEquals(true, out.get("message_truncated"));
        assertEquals(1024, ((String) out.get("message")).length());
        assertTrue(String.valueOf(out.get("note")).contains("[delegation] output_kib"), out.toString());
    }

    @Test
    void aDelegatedAgentCannotDelegateAgain() {
        world = JobWorld.startDelegation(dir, "", UnaryOperator.identity());
        world.codexReachesHub();
        world.codexModel.script("""
                {"name":"ping-pong","turns":[
                  {"match":"start the ping pong","steps":[
                    {"call":{"namespace":"mcp__tandem","tool":"codex_exec","arguments":{"task":"pong back"}}}],
                   "final":"inner call said: {{last_result}}"},
                  {"match":"pong back","final":"this must never run"}]}
                """);
        Map<String, Object> out = ok(call(claude(), "codex_exec", Map.of("task", "start the ping pong")));
        String message = (String) out.get("message");
        assertTrue(message.contains("a delegated agent cannot delegate again"), message);
        assertEquals(1, world.jobs().list(10, List.of()).size(), "only the first delegation ran");
        assertEquals(
                "delegation:claude/1", world.jobs().list(1, List.of()).get(0).origin());
    }

    private static DelegationService.Exec exec(Engine engine, Sandbox sandbox, Approval approval) {
        return new DelegationService.Exec(
                engine,
                "t",
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.of(sandbox),
                Optional.of(approval),
                Optional.empty(),
                Optional.empty());
    }

    private String awaitFirstJob() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && world.jobs().list(1, List.of()).isEmpty()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return world.jobs().list(1, List.of()).get(0).id();
    }
}
