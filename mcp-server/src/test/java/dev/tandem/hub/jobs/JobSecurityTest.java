package dev.tandem.hub.jobs;

import static dev.tandem.hub.jobs.McpCalls.call;
import static dev.tandem.hub.jobs.McpCalls.ok;
import static dev.tandem.hub.jobs.McpCalls.refused;
import static dev.tandem.hub.jobs.McpCalls.refusedWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.jobs.JobRecord;
import dev.tandem.core.jobs.JobStatus;
import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.TestHub;
import dev.tandem.hub.mcp.Capability;
import dev.tandem.hub.mcp.JobsCapability;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent holding the hub's token must not get from the job tools: a folder outside the roots, a sandbox or
 * approval policy {@code [jobs]} does not allow, a program or flag of its choosing, or a job that outlives the hub.
 * These need no engine: every one is refused before a process starts.
 */
class JobSecurityTest {
    @TempDir
    Path dir;

    private TestHub hub(String jobsToml) {
        // no engine on PATH: nothing here may get as far as starting one
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString());
        return TestHub.startWith(
                dir,
                "[memory]\nhost = \"box\"\n\n[jobs]\n" + jobsToml + "\n",
                cfg -> List.<Capability>of(JobsCapability.create(cfg, env)));
    }

    private static List<Map<String, Object>> jobs(McpSyncClient client) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> out = (List<Map<String, Object>>)
                ok(call(client, "job_list", Map.of())).get("jobs");
        return out;
    }

    @Test
    void refusesAFolderOutsideTheRootsAndStoresNoJob() throws Exception {
        try (TestHub hub = hub("")) {
            McpSyncClient agent = hub.client("claude-code");
            Path outside = Files.createDirectories(dir.resolve("outside"));
            refusedWith(
                    call(agent, "job_start", Map.of("prompt", "look", "dir", outside.toString())), "outside the roots");
            refusedWith(call(agent, "job_start", Map.of("prompt", "look", "dir", "../outside")), "outside the roots");
            refusedWith(call(agent, "job_start", Map.of("prompt", "look", "dir", "/etc")), "outside the roots");
            assertEquals(List.of(), jobs(agent));
        }
    }

    @Test
    void refusesAFolderThatLeavesTheRootsThroughASymbolicLink() throws Exception {
        try (TestHub hub = hub("")) {
            Path outside = Files.createDirectories(dir.resolve("outside"));
            Files.createSymbolicLink(dir.resolve("root/escape"), outside);
            String line =
                    refused(call(hub.client("codex-mcp-client"), "job_start", Map.of("prompt", "x", "dir", "escape")));
            assertTrue(line.contains("outside the roots"), line);
        }
    }

    @Test
    void dangerSandboxAndAutoApprovalAreNeitherOfferedNorAcceptedUnlessEnabled() {
        try (TestHub hub = hub("")) {
            McpSyncClient agent = hub.client("claude-code");
            String schema = McpCalls.schema(agent, "job_start").toString();
            assertFalse(schema.contains("danger-full-access"), schema);
            assertFalse(schema.contains("auto"), schema);
            assertTrue(schema.contains("workspace-write"), schema);
            refusedWith(call(agent, "job_start", Map.of("prompt", "x", "sandbox", "danger-full-access")), "/sandbox");
            refusedWith(
                    call(agent, "job_start", Map.of("prompt", "x", "engine", "claude", "approval", "auto")),
                    "/approval");
            assertEquals(List.of(), jobs(agent));
        }
    }

    @Test
    void dangerSandboxAndAutoApprovalAreOfferedWhenEnabled() {
        try (TestHub hub = hub("allow_danger_full_access = true\nallow_auto_approve = true")) {
            String schema =
                    McpCalls.schema(hub.client("claude-code"), "job_start").toString();
            assertTrue(schema.contains("danger-full-access"), schema);
            assertTrue(schema.contains("auto"), schema);
        }
    }

    @Test
    void takesNoProgramOrArgumentsAndNoFlagDisguisedAsAModel() {
        try (TestHub hub = hub("")) {
            McpSyncClient agent = hub.client("claude-code");
            refusedWith(call(agent, "job_start", Map.of("prompt", "x", "binary", "/bin/sh")), "'binary'");
            refusedWith(call(agent, "job_start", Map.of("prompt", "x", "args", List.of("--yolo"))), "args");
            String model = refused(call(
                    agent, "job_start", Map.of("prompt", "x", "model", "--dangerously-bypass-approvals-and-sandbox")));
            assertTrue(model.contains("not a model name"), model);
            assertEquals(List.of(), jobs(agent));
        }
    }

    @Test
    void aOneShotCodexJobCannotPretendToAskForApprovals() {
        try (TestHub hub = hub("")) {
            String line = refused(call(
                    hub.client("claude-code"),
                    "job_start",
                    Map.of("prompt", "x", "engine", "codex", "one_shot", true, "approval", "on-request")));
            assertTrue(line.contains("cannot ask for approvals"), line);
        }
    }

    @Test
    void theFsDenyListKeepsAJobOutOfItsFoldersAndItsFilesOutOfThePrompt() throws Exception {
        try (TestHub hub = TestHub.startWith(
                dir,
                "[memory]\nhost = \"box\"\n\n[fs]\ndeny_extra = [\"vault\"]\n",
                cfg -> List.<Capability>of(
                        JobsCapability.create(cfg, Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString()))))) {
            Files.createDirectories(dir.resolve("root/vault"));
            Files.writeString(dir.resolve("root/.env"), "API_KEY=not-for-the-model\n");
            Files.writeString(dir.resolve("root/vault/key.txt"), "not for the model\n");
            McpSyncClient agent = hub.client("claude-code");
            refusedWith(call(agent, "job_start", Map.of("prompt", "look", "dir", "vault")), "[fs] deny");
            // a glob passes over what the deny list names; one that finds nothing else is refused
            refusedWith(call(agent, "job_start", Map.of("prompt", "x", "files", List.of(".env"))), "deny list");
            refusedWith(call(agent, "job_start", Map.of("prompt", "x", "files", List.of("vault/*"))), "deny list");
            assertEquals(List.of(), jobs(agent));
        }
    }

    /** A hub whose jobs' only root is {@code dir} itself, so the home ({@code dir/home}) lies inside it. */
    private TestHub hubRootedAboveTheHome() {
        Map<String, String> env =
                Map.of("PATH", "/usr/bin:/bin", "HOME", dir.resolve("home").toString());
        return TestHub.startWith(
                dir,
                "[memory]\nhost = \"box\"\n",
                cfg -> List.<Capability>of(JobsCapability.create(rootedAt(cfg, dir), env)));
    }

    private static HubConfig rootedAt(HubConfig c, Path root) {
        return c.withRoots(List.of(root));
    }

    /** Starts a one-shot Codex job in {@code folder} with {@code sandbox} and returns the refusal's line. */
    private static String startIn(McpSyncClient agent, String folder, String sandbox) {
        return refused(call(
                agent,
                "job_start",
                Map.of(
                        "prompt",
                        "add a hook",
                        "engine",
                        "codex",
                        "one_shot",
                        true,
                        "dir",
                        folder,
                        "sandbox",
                        sandbox)));
    }

    /** The refusal that comes after every check of the request: the planner let the job through. */
    private static void passedThePlanner(String line) {
        assertTrue(line.contains("codex is not on the hub's PATH"), line);
    }

    @Test
    void aWritingJobIsRefusedAProjectFolderOnTheWriteDenyListAndAReadOnlyOneIsNot() throws Exception {
        try (TestHub hub = hub("")) {
            Path hooks = Files.createDirectories(dir.resolve("root/app/.claude/hooks"));
            Files.createDirectories(dir.resolve("root/app/src"));
            McpSyncClient agent = hub.client("claude-code");
            String line = startIn(agent, "app/.claude/hooks", "workspace-write");
            assertTrue(line.contains("dir " + hooks.toRealPath() + " lies in " + hooks.toRealPath()), line);
            assertTrue(line.contains("[fs] write_deny") && line.contains("sandbox read-only"), line);
            passedThePlanner(startIn(agent, "app/.claude/hooks", "read-only"));
            // the project itself is an ordinary folder: its writes are the engine's own sandbox's business
            passedThePlanner(startIn(agent, "app", "workspace-write"));
            assertEquals(List.of(), jobs(agent));
        }
    }

    @Test
    void aWritingJobIsRefusedTheHomeAFolderAboveAnEntryAndTheEnginesOwnFolders() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".claude/agents"));
        Files.createDirectories(home.resolve(".config/systemd/user"));
        Files.createDirectories(home.resolve("code/app"));
        try (TestHub hub = hubRootedAboveTheHome()) {
            McpSyncClient agent = hub.client("claude-code");
            Path real = home.toRealPath();
            String claude = startIn(agent, "home/.claude/agents", "workspace-write");
            assertTrue(claude.contains("lies in " + real.resolve(".claude")), claude);
            String systemd = startIn(agent, "home/.config/systemd/user", "workspace-write");
            assertTrue(systemd.contains("lies in " + real.resolve(".config/systemd/user")), systemd);
            // the home holds ~/.bashrc and the rest; ~/.config holds ~/.config/systemd/user, ~/.config/fish, …
            String atHome = startIn(agent, "home", "workspace-write");
            assertTrue(
                    atHome.contains("dir " + real + " holds " + home.resolve(".claude") + " ([fs] write_deny"), atHome);
            assertTrue(atHome.contains("more such paths") && atHome.contains("a project folder inside it"), atHome);
            String config = startIn(agent, "home/.config", "workspace-write");
            assertTrue(config.contains(" holds " + home.resolve(".config") + "/"), config);
            // the jobs' root holds the home: a job that names no folder works there, and is refused too
            String root = refused(
                    call(agent, "job_start", Map.of("prompt", "x", "engine", "codex", "sandbox", "workspace-write")));
            assertTrue(root.contains("dir " + dir.toRealPath() + " holds "), root);

            for (String readOnly : List.of("home", "home/.claude/agents", "home/.config")) {
                passedThePlanner(startIn(agent, readOnly, "read-only"));
            }
            passedThePlanner(startIn(agent, "home/code/app", "workspace-write"));
            assertEquals(List.of(), jobs(agent));
        }
    }

    @Test
    void aWritingJobMayWorkInAFolderTheWriteDenyListLetsThroughInsideADeniedOne() throws Exception {
        // ~/.codex is denied as a whole except ~/.codex/worktrees, where Codex keeps its work trees
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".codex/worktrees/a1b2/app"));
        Files.createDirectories(home.resolve(".codex/sessions"));
        try (TestHub hub = hubRootedAboveTheHome()) {
            McpSyncClient agent = hub.client("claude-code");
            passedThePlanner(startIn(agent, "home/.codex/worktrees/a1b2/app", "workspace-write"));
            String sessions = startIn(agent, "home/.codex/sessions", "workspace-write");
            assertTrue(sessions.contains("lies in " + home.toRealPath().resolve(".codex") + ","), sessions);
            assertEquals(List.of(), jobs(agent));
        }
    }

    @Test
    void aFolderHoldingTheRealPathOfALinkedEntryIsRefusedToo() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path elsewhere = Files.createDirectories(dir.resolve("dotfiles/claude"));
        Files.createSymbolicLink(home.resolve(".claude"), elsewhere);
        try (TestHub hub = hubRootedAboveTheHome()) {
            McpSyncClient agent = hub.client("claude-code");
            String above = startIn(agent, "dotfiles", "workspace-write");
            assertTrue(above.contains(" holds " + home.resolve(".claude")), above);
            String in = startIn(agent, "dotfiles/claude", "workspace-write");
            assertTrue(in.contains("lies in " + elsewhere.toRealPath()), in);
            assertEquals(List.of(), jobs(agent));
        }
    }

    @Test
    void aDelegationIsRefusedAFolderOnTheWriteDenyList() throws Exception {
        try (TestHub hub = hub("")) {
            Files.createDirectories(dir.resolve("root/app/.claude/hooks"));
            McpSyncClient agent = hub.client("claude-code");
            // codex_exec runs workspace-write with approval never unless told otherwise
            refusedWith(
                    call(agent, "codex_exec", Map.of("task", "add a hook", "dir", "app/.claude/hooks")),
                    "app/.claude/hooks, which the fs tools never write");
            String readOnly = refused(call(
                    agent,
                    "codex_exec",
                    Map.of("task", "read the hooks", "dir", "app/.claude/hooks", "sandbox", "read-only")));
            passedThePlanner(readOnly);
            assertEquals(List.of(), jobs(agent));
        }
    }

    @Test
    void aStoredWritingJobInAFolderOnTheWriteDenyListIsNotStartedAgain() throws Exception {
        Path hooks =
                Files.createDirectories(dir.resolve("root/app/.claude/hooks")).toRealPath();
        Path db = dir.resolve("home/.tandem/data/memory.db");
        try (Store store = Store.open(new StoreSettings(db, "box"))) {
            // stored by a hub without the check, or before the folder was on the list
            store.jobs()
                    .insert(JobRecord.builder("old12345", "codex", "interactive", hooks.toString(), "x", Instant.now())
                            .sandbox("workspace-write")
                            .approval("never")
                            .status(JobStatus.FAILED)
                            .sessionId(Optional.of("0199a2b3-c4d5-e6f7-8899-aabbccddeeff"))
                            .build());
        }
        try (TestHub hub = hub("")) {
            McpSyncClient agent = hub.client("claude-code");
            refusedWith(
                    call(agent, "job_send", Map.of("id", "old12345", "message", "now add the hook")),
                    "lies in " + hooks + ", which the fs tools never write");
            assertEquals(
                    "failed",
                    ok(call(agent, "job_status", Map.of("id", "old12345"))).get("status"));
        }
    }

    @Test
    void attachedFilesStayInsideTheJobsFolder() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "not for the job");
        try (TestHub hub = hub("")) {
            Files.createSymbolicLink(dir.resolve("root/link.txt"), dir.resolve("secret.txt"));
            McpSyncClient agent = hub.client("claude-code");
            refusedWith(
                    call(agent, "job_start", Map.of("prompt", "x", "files", List.of("../secret.txt"))), "without ..");
            refusedWith(
                    call(agent, "job_start", Map.of("prompt", "x", "files", List.of("/etc/passwd"))),
                    "relative to the job's folder");
            // a symbolic link in the folder is not followed out of it
            refusedWith(call(agent, "job_start", Map.of("prompt", "x", "files", List.of("link.txt"))), "no file");
        }
    }

    @Test
    void aMissingEngineIsAClearRefusalNamingTheSetting() {
        try (TestHub hub = hub("")) {
            String line = refused(call(hub.client("claude-code"), "job_start", Map.of("prompt", "x")));
            assertTrue(line.contains("codex is not on the hub's PATH") && line.contains("[jobs] codex"), line);
        }
    }

    @Test
    void approvingIsLeftToThePersonNotOfferedAsATool() {
        try (TestHub hub = hub("")) {
            List<String> names = hub.client("claude-code").listTools().tools().stream()
                    .map(t -> t.name())
                    .toList();
            assertTrue(
                    names.containsAll(
                            List.of("job_start", "job_status", "job_list", "job_output", "job_send", "job_kill")),
                    names.toString());
            assertFalse(names.stream().anyMatch(n -> n.contains("approve")), names.toString());
        }
    }

    @Test
    void disabledJobsOfferNoTools() {
        try (TestHub hub = hub("enabled = false")) {
            assertFalse(hub.client("claude-code").listTools().tools().stream()
                    .anyMatch(t -> t.name().startsWith("job_")));
        }
    }

    @Test
    void restartEndsTheEngineProcessesACrashedHubLeftAndInterruptsTheirJobs() throws Exception {
        // a crashed hub leaves a running job and its engine (here: a process in a session of its own)
        Process engine = new ProcessBuilder("/usr/bin/setsid", "sleep", "300").start();
        Instant started = engine.toHandle().info().startInstant().orElseThrow();
        Path db = dir.resolve("home/.tandem/data/memory.db");
        try (Store store = Store.open(new StoreSettings(db, "box"))) {
            store.jobs()
                    .insert(JobRecord.builder("left1234", "codex", "one-shot", dir.toString(), "x", Instant.now())
                            .status(JobStatus.RUNNING)
                            .process(Optional.of(engine.pid()), Optional.of(started))
                            .build());
        }
        try (TestHub hub = hub("")) {
            assertFalse(engine.isAlive(), "the engine a crashed hub left is ended");
            @SuppressWarnings("unchecked")
            Map<String, Object> job = ok(call(hub.client("claude-code"), "job_status", Map.of("id", "left1234")));
            assertEquals("interrupted", job.get("status"));
            assertTrue(((String) job.get("error")).contains("resume"), job.toString());
        } finally {
            engine.destroyForcibly();
        }
    }

    @Test
    void aJobWhoseEngineACrashedHubLeftRunningSaysItsProtectedFilesWereNotCheckedAfterIt() throws Exception {
        Path db = dir.resolve("home/.tandem/data/memory.db");
        String envrc = dir.resolve(".envrc").toString();
        try (Store store = Store.open(new StoreSettings(db, "box"))) {
            store.jobs()
                    .insert(JobRecord.builder("runs1234", "codex", "one-shot", dir.toString(), "x", Instant.now())
                            .status(JobStatus.RUNNING)
                            .protectedChanges(List.of(new ProtectedChange(envrc, "added")))
                            .build());
            store.jobs()
                    .insert(JobRecord.builder("waits123", "claude", "interactive", dir.toString(), "x", Instant.now())
                            .status(JobStatus.WAITING)
                            .build());
            // queued: no engine of it ran since the last look
            store.jobs()
                    .insert(JobRecord.builder("queue123", "codex", "one-shot", dir.toString(), "x", Instant.now())
                            .status(JobStatus.QUEUED)
                            .build());
        }
        try (TestHub hub = hub("")) {
            Map<String, Object> unchecked = Map.of("path", dir.toString(), "change", "unchecked");
            assertEquals(
                    List.of(unchecked, Map.of("path", envrc, "change", "added")),
                    ok(call(hub.client("claude-code"), "job_status", Map.of("id", "runs1234")))
                            .get("protected_changes"));
            assertEquals(
                    List.of(unchecked),
                    ok(call(hub.client("claude-code"), "job_status", Map.of("id", "waits123")))
                            .get("protected_changes"));
            assertEquals(
                    List.of(),
                    ok(call(hub.client("claude-code"), "job_status", Map.of("id", "queue123")))
                            .get("protected_changes"));
        }
        try (Store store = Store.open(new StoreSettings(db, "box"))) {
            List<String> kinds = store.jobs().lastEvents("runs1234", 10).stream()
                    .map(e -> e.kind())
                    .toList();
            assertEquals(List.of("notice", "protected_change"), kinds);
            assertTrue(
                    store.jobs().lastEvents("runs1234", 10).get(1).text().endsWith("unchecked " + dir),
                    store.jobs().lastEvents("runs1234", 10).toString());
        }
    }

    @Test
    void aProcessThatReusedTheRecordedPidIsLeftAlone() throws Exception {
        Process bystander = new ProcessBuilder("sleep", "300").start();
        Path db = dir.resolve("home/.tandem/data/memory.db");
        try (Store store = Store.open(new StoreSettings(db, "box"))) {
            store.jobs()
                    .insert(JobRecord.builder("left5678", "codex", "one-shot", dir.toString(), "x", Instant.now())
                            .status(JobStatus.RUNNING)
                            // the recorded start time is not this process's: the pid was reused
                            .process(Optional.of(bystander.pid()), Optional.of(Instant.parse("2020-01-01T00:00:00Z")))
                            .build());
        }
        try (TestHub hub = hub("")) {
            assertTrue(bystander.isAlive());
            assertEquals(
                    "interrupted",
                    ok(call(hub.client("claude-code"), "job_status", Map.of("id", "left5678")))
                            .get("status"));
        } finally {
            bystander.destroyForcibly();
        }
    }
}
