package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.HubConfigLoader;
import dev.tandem.core.config.HubFlags;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which folders are read, as the engines themselves choose them: {@code CODEX_HOME} (else {@code ~/.codex}) with its
 * {@code sessions/} and {@code archived_sessions/}; each folder of {@code CLAUDE_CONFIG_DIR} (comma-separated), else
 * both {@code ~/.config/claude} and {@code ~/.claude}; {@code [usage]} in hub.toml over the environment. Real logs
 * recorded from the pinned CLIs are placed in a temp home and read into a real store.
 */
class LogFoldersTest {
    private static final String CODEX = "codex-0.169.0-rollout-full-then-resumed.jsonl"; // 5 responses
    private static final String CLAUDE = "claude-2.1.329-project-log-full.jsonl"; // 4 responses
    private static final String SONNET = "claude-2.1.329-project-log-priced-sonnet.jsonl"; // 1 response

    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve("home");
    }

    /** Reads the logs with the settings hub.toml ({@code toml}) and the environment give; returns the totals. */
    private Report read(String toml, Map<String, String> env) throws IOException {
        Path config = Files.writeString(dir.resolve("hub.toml"), "[memory]\nhost = \"box\"\n" + toml);
        HubConfig c = new HubConfigLoader(home(), dir, dir, env).load(Optional.of(config), HubFlags.none());
        UsageSettings settings = UsageSettings.from(c);
        try (Store store = Store.open(new StoreSettings(dir.resolve("data/memory.db"), "box"))) {
            new UsageScanner(store.usage(), settings, dir.resolve("data/usage-scan.lock"), Clock.systemUTC())
                    .scan(Duration.ZERO);
            return new Ledger(store.usage(), settings, Clock.systemUTC()).daily(Query.all());
        }
    }

    private static long responses(Report r, String engine) {
        return r.totals().engines().getOrDefault(engine, Amount.ZERO).responses();
    }

    @Test
    void byDefaultBothClaudeFoldersAndArchivedCodexSessionsAreRead() throws IOException {
        LogHome.copy(CLAUDE, home().resolve(".config/claude/projects/-a/s1.jsonl"));
        LogHome.copy(SONNET, home().resolve(".claude/projects/-b/s2.jsonl"));
        // archived only: `codex archive` moved it out of sessions/
        LogHome.copy(CODEX, home().resolve(".codex/archived_sessions/" + LogHome.CODEX_FILE));
        Report r = read("", Map.of());
        assertEquals(4 + 1, responses(r, "claude"));
        assertEquals(5, responses(r, "codex"));
    }

    @Test
    void theEnginesEnvironmentVariablesNameTheFoldersInstead() throws IOException {
        Path codexHome = dir.resolve("elsewhere/codex");
        Path claudeA = dir.resolve("elsewhere/claude-a");
        Path claudeB = dir.resolve("elsewhere/claude-b");
        LogHome.copy(CODEX, codexHome.resolve("sessions/2026/12/06/" + LogHome.CODEX_FILE));
        LogHome.copy(CLAUDE, claudeA.resolve("projects/-a/s1.jsonl"));
        LogHome.copy(SONNET, claudeB.resolve("projects/-b/s2.jsonl"));
        // what the default folders hold is not read when the variables point elsewhere
        LogHome.copy(SONNET, home().resolve(".claude/projects/-c/s3.jsonl"));
        LogHome.copy(
                "codex-0.171.0-rollout-full.jsonl",
                home().resolve(
                                ".codex/sessions/2026/12/06/rollout-2026-12-06T09-51-38-01a24ac4-24ac-7372-b8ab-e2f5eccdd9d1.jsonl"));
        Report r = read(
                "", Map.of("CODEX_HOME", codexHome.toString(), "CLAUDE_CONFIG_DIR", claudeA + " , " + claudeB + ","));
        assertEquals(5, responses(r, "codex"));
        assertEquals(4 + 1, responses(r, "claude"));
    }

    @Test
    void hubTomlFoldersWinOverTheEnvironment() throws IOException {
        Path codexHome = dir.resolve("configured/codex");
        Path claude = dir.resolve("configured/claude");
        LogHome.copy(CODEX, codexHome.resolve("sessions/2026/12/06/" + LogHome.CODEX_FILE));
        LogHome.copy(SONNET, claude.resolve("projects/-a/s1.jsonl"));
        Path envClaude = dir.resolve("env/claude");
        LogHome.copy(CLAUDE, envClaude.resolve("projects/-a/s2.jsonl"));
        Report r = read(
                "[usage]\ncodex_home = \"" + codexHome + "\"\nclaude_dirs = [\"" + claude + "\"]\n",
                Map.of("CODEX_HOME", dir.resolve("env/codex").toString(), "CLAUDE_CONFIG_DIR", envClaude.toString()));
        assertEquals(5, responses(r, "codex"));
        assertEquals(1, responses(r, "claude"));
    }

    @Test
    void linksAndFifosPlantedInTheLogFoldersAreNotFollowedOrOpened() throws Exception {
        Path outside = dir.resolve("outside");
        LogHome.copy(SONNET, outside.resolve("secret.jsonl"));
        LogHome.copy(CLAUDE, outside.resolve("dir/s.jsonl"));
        LogHome.copy(CODEX, outside.resolve("day/" + LogHome.CODEX_FILE));
        Path projects =
                Files.createDirectories(home().resolve(".claude/projects/-p")).getParent();
        Files.createSymbolicLink(projects.resolve("-p/linked.jsonl"), outside.resolve("secret.jsonl"));
        Files.createSymbolicLink(projects.resolve("-linked-dir"), outside.resolve("dir"));
        Path day = Files.createDirectories(home().resolve(".codex/sessions/2026/12"));
        Files.createSymbolicLink(day.resolve("06"), outside.resolve("day"));
        // a FIFO named like a log: opening it would wait for a writer forever
        Path fifo = projects.resolve("-p/waiting.jsonl");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Report r = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> read("", Map.of()));
        assertEquals(0, responses(r, "claude"));
        assertEquals(0, responses(r, "codex"));
    }
}
