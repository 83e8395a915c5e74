package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.JobRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the real Claude Code calls {@code codex_review} through the hub and gets the verdict; the real Codex
 * CLI calls {@code claude_exec} and gets the message and the file. Each engine talks to its scripted mock model.
 */
class DelegationClientsTest {
    @TempDir
    Path dir;

    private JobWorld world;

    @BeforeEach
    void start() {
        world = JobWorld.startDelegation(dir, "", UnaryOperator.identity());
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void claudeCodeCallsCodexReviewAndGetsTheStructuredVerdict() throws Exception {
        world.codexModel.script("""
                {"name":"verdict","turns":[{"match":"Review the code","final":%s}]}
                """.formatted(DelegationTest.quoted(DelegationTest.VERDICT)));
        world.claudeModel.script("""
                {"name":"ask-codex","turns":[{"match":"second opinion","steps":[
                  {"tool":"mcp__tandem__codex_review","input":{"code":"print(eval(input()))","focus":"security"}}],
                  "final":"codex says: {{last_result}}"}]}
                """);
        Path mcp = dir.resolve("mcp.json");
        Files.writeString(mcp, """
                {"mcpServers":{"tandem":{"type":"http","url":"%s/mcp","headers":{"Authorization":"Bearer %s"}}}}
                """.formatted(world.hub().baseUrl(), world.hub().token("claude")));
        String out = run(
                List.of(
                        RealClis.claude().toString(),
                        "-p",
                        "get a second opinion on this code",
                        "--mcp-config",
                        mcp.toString(),
                        "--strict-mcp-config",
                        "--allowedTools",
                        "mcp__tandem__codex_review",
                        "--output-format",
                        "stream-json",
                        "--verbose"),
                "");
        String result = out.lines()
                .filter(l -> l.contains("\"type\":\"result\""))
                .findFirst()
                .orElse(out);
        assertTrue(result.contains("codex says:"), result);
        assertTrue(result.contains("one risky eval"), result);
        assertTrue(result.contains("\\\"score\\\":4"), result);
        JobRecord job = world.jobs().list(1, List.of()).get(0);
        assertEquals("codex", job.engine());
        assertEquals("delegation:claude/1", job.origin());
        assertEquals("read-only", job.sandbox());
    }

    @Test
    void codexCallsClaudeExecAndGetsTheMessageAndTheFile() throws Exception {
        Path hello = world.root().toRealPath().resolve("hello.txt");
        world.codexReachesHub();
        world.codexModel.script("""
                {"name":"ask-claude","turns":[{"match":"ask claude","steps":[
                  {"call":{"namespace":"mcp__tandem","tool":"claude_exec","arguments":{"task":"write hello.txt"}}}],
                  "final":"claude said: {{last_result}}"}]}
                """);
        world.claudeModel.script("""
                {"name":"write","turns":[{"match":"write hello.txt","steps":[
                  {"tool":"Write","input":{"file_path":"%s","content":"hello from claude\\n"}}],
                  "final":"wrote hello.txt"}]}
                """.formatted(hello));
        String out = run(
                List.of(RealClis.codex().toString(), "exec", "--json", "--skip-git-repo-check", "-"),
                "ask claude to write the file");
        String last = out.lines()
                .filter(l -> l.contains("\"agent_message\""))
                .reduce((a, b) -> b)
                .orElse(out);
        assertTrue(last.contains("claude said:"), last);
        assertTrue(last.contains("wrote hello.txt"), last);
        assertTrue(last.contains(hello.toString()), "files_modified names the file: " + last);
        assertEquals("hello from claude\n", Files.readString(hello));
        JobRecord job = world.jobs().list(1, List.of()).get(0);
        assertEquals("claude", job.engine());
        assertEquals("delegation:codex/1", job.origin());
    }

    private String run(List<String> command, String stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(world.root().toFile());
        pb.environment().clear();
        pb.environment().putAll(world.env);
        pb.redirectErrorStream(false);
        Path err = dir.resolve("client.err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), () -> out + "\nstderr:\n" + readQuietly(err));
        return out;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
