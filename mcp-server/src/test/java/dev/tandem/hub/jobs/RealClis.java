package dev.tandem.hub.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The pinned {@code codex} and {@code claude} binaries {@code .ci/real-clients} installs into {@code .ci/tools}, and
 * the repository's mock model APIs. Without them the tests that need them are skipped, unless
 * {@code TANDEM_REQUIRE_CLIS=1} (as {@code .ci/jobs} sets it for the jobs tests and {@code DoctorCommandTest}), when
 * they fail.
 */
public final class RealClis {
    public static final Path ROOT = findRoot();
    public static final Path BIN = ROOT.resolve(".ci/tools/node_modules/.bin");

    private RealClis() {}

    private static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve(".ci/mock-server.mjs"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "no .ci/mock-server.mjs above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Path node() {
        return BIN.resolve("node");
    }

    public static Path codex() {
        return BIN.resolve("codex");
    }

    public static Path claude() {
        return BIN.resolve("claude");
    }

    /** Skips the test (or fails it under TANDEM_REQUIRE_CLIS) when the pinned binaries are not installed. */
    public static void require() {
        boolean present = Files.isExecutable(node()) && Files.isExecutable(codex()) && Files.isExecutable(claude());
        if (!present) {
            missing("the pinned codex and claude are not installed in " + BIN + " (run .ci/real-clients once)");
        }
    }

    /**
     * Returns the newest Codex release {@code .ci/cli-rewrites} and {@code .ci/jobs} install beside the pinned one;
     * skips the test (or fails it under TANDEM_REQUIRE_CLIS) when it is not installed.
     */
    public static Path newestCodex() {
        require();
        Path newest = ROOT.resolve(".ci/tools/newest/node_modules/.bin/codex");
        if (!Files.isExecutable(newest)) {
            missing("no newer codex installed in " + newest + " (run .ci/jobs once)");
        }
        return newest;
    }

    private static void missing(String why) {
        if ("1".equals(System.getenv("TANDEM_REQUIRE_CLIS"))) {
            Assertions.fail(why);
        }
        Assumptions.abort(why);
    }
}
