package dev.tandem.hub.usage;

import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A home with the engines' log folders in a temp folder, filled with the fixtures recorded from the real CLIs (or
 * lines a test writes), and a real store beside it: what the usage tests read.
 */
final class LogHome {
    static final String CODEX_FILE = "rollout-2026-12-06T09-47-36-01a24ac0-74fc-7a52-ae8c-1406daf122fd.jsonl";
    static final String CLAUDE_PROJECT = "-tmp-tr-cl-proj-1-a-b";

    final Path home;
    final Path codexDay;
    final Path claudeProject;
    final Path data;

    /** Claude Code's config folders, as the hub is configured: each one's {@code projects/} is a log folder. */
    final List<Path> claudeDirs;

    LogHome(Path dir) {
        this(dir, List.of());
    }

    /** A home whose Claude Code also keeps the config folders {@code moreClaude} (relative to the home). */
    LogHome(Path dir, List<String> moreClaude) {
        this.home = dir.resolve("home");
        List<Path> claude = new java.util.ArrayList<>(List.of(home.resolve(".config/claude"), home.resolve(".claude")));
        moreClaude.forEach(c -> claude.add(home.resolve(c)));
        this.claudeDirs = List.copyOf(claude);
        this.codexDay = home.resolve(".codex/sessions/2026/12/06");
        this.claudeProject = home.resolve(".claude/projects/" + CLAUDE_PROJECT);
        this.data = dir.resolve("data");
        try {
            Files.createDirectories(codexDay);
            Files.createDirectories(claudeProject);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the settings the hub would have for this home: shipped prices, UTC, no budgets. */
    UsageSettings settings() {
        return settings(List.of());
    }

    UsageSettings settings(List<Budget> budgets) {
        return new UsageSettings(
                true,
                Duration.ofSeconds(60),
                List.of(home.resolve(".codex")),
                claudeDirs,
                ZoneOffset.UTC,
                budgets,
                Prices.shipped());
    }

    Store store() {
        return Store.open(new StoreSettings(data.resolve(StoreSettings.FILE_NAME), "box"));
    }

    UsageScanner scanner(Store store) {
        return scanner(store, LineReader.BUFFER);
    }

    UsageScanner scanner(Store store, int buffer) {
        return new UsageScanner(store.usage(), settings(), data.resolve("usage-scan.lock"), Clock.systemUTC(), buffer);
    }

    static byte[] fixture(String name) {
        try (InputStream in = LogHome.class.getResourceAsStream("/usage/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a fixture to {@code target} (creating its folder) and returns the target. */
    static Path copy(String fixture, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, fixture(fixture));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
