package dev.tandem.hub.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One of the repository's scripted mock model APIs ({@code .ci/mock-responses.mjs} for Codex, {@code
 * .ci/mock-anthropic.mjs} for Claude Code) on a free loopback port, playing a script file the test writes.
 */
final class MockModel implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path script;
    private final Path log;
    private final String url;

    private MockModel(Process process, Path script, Path log, String url) {
        this.process = process;
        this.script = script;
        this.log = log;
        this.url = url;
    }

    /** Starts the Responses API mock Codex talks to; {@link #url()} ends in {@code /v1}. */
    static MockModel codex(Path dir) {
        return start(dir, "mock-responses.mjs", "mock responses listening on ");
    }

    /** Starts the Messages API mock Claude Code talks to. */
    static MockModel claude(Path dir) {
        return start(dir, "mock-anthropic.mjs", "mock anthropic listening on ");
    }

    private static MockModel start(Path dir, String program, String ready) {
        try {
            Files.createDirectories(dir);
            Path script = dir.resolve("script.json");
            Path log = dir.resolve("requests.jsonl");
            Files.writeString(script, "{\"name\":\"empty\",\"turns\":[{\"final\":\"nothing scripted\"}]}");
            Process p = new ProcessBuilder(
                            RealClis.node().toString(),
                            RealClis.ROOT.resolve(".ci").resolve(program).toString(),
                            "--script",
                            script.toString(),
                            "--log",
                            log.toString())
                    .redirectError(dir.resolve("mock.err").toFile())
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .get(30, TimeUnit.SECONDS);
            if (line == null || !line.startsWith(ready)) {
                p.destroyForcibly();
                throw new IllegalStateException(program + " did not start: " + line);
            }
            return new MockModel(p, script, log, line.substring(ready.length()).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(program + " did not start", e);
        }
    }

    /** Returns the API's base URL. */
    String url() {
        return url;
    }

    /** Replaces the script the mock plays (it reads the file at every request). */
    void script(String json) {
        try {
            Files.writeString(script, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns every request the mock received, as logged. */
    List<JsonNode> requests() {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (!Files.exists(log)) {
                return out;
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
