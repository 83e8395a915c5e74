package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.fs.RegularFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's poller following the logs with the system's file events (inotify): what was appended before {@code
 * fresh()} is in the store when it returns, without a listing of every log; new folders are followed; whatever the
 * watcher cannot vouch for makes that read list every log, as without it. Real logs recorded from the pinned CLIs in
 * a temp home, a real store, the JDK's own watch service; each answer is checked against a full read of the same
 * logs into a second store.
 */
class LogWatcherTest {
    private static final String CLAUDE = "claude-2.1.329-project-log-full.jsonl";
    private static final String CODEX = "codex-0.171.0-rollout-full.jsonl";

    @TempDir
    Path dir;

    private LogHome h;

    /** A poller of the hub's kind (an hour between timed rounds: every other round is asked for or an event's). */
    private UsagePoller poller(Store store, Function<Path, String> fsType, boolean ordered) {
        return UsagePoller.create(
                h.scanner(store),
                Duration.ofHours(1),
                h.data.resolve("usage-watch"),
                (settings, watchDir, onChange) -> new LogWatcher(
                        LogFiles.roots(settings),
                        watchDir,
                        FileSystems.getDefault().newWatchService(),
                        ordered,
                        fsType,
                        onChange));
    }

    private UsagePoller poller(Store store) {
        return UsagePoller.create(h.scanner(store), Duration.ofHours(1), h.data.resolve("usage-watch"));
    }

    /** Per engine, the responses and tokens the store holds. */
    private Map<String, Amount> totals(Store store) {
        return new Ledger(store.usage(), h.settings(), Clock.systemUTC())
                .daily(Query.all())
                .totals()
                .engines();
    }

    /** What a full read of the logs as they are now finds, into a store of its own. */
    private Map<String, Amount> fullRead() {
        Path other = dir.resolve("reference-" + System.nanoTime());
        try (Store store = Store.open(new StoreSettings(other.resolve(StoreSettings.FILE_NAME), "box"))) {
            new UsageScanner(store.usage(), h.settings(), other.resolve("usage-scan.lock"), Clock.systemUTC())
                    .scan(Duration.ZERO);
            return totals(store);
        }
    }

    private static List<String> lines(String fixture) {
        String all = new String(LogHome.fixture(fixture), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String l : all.split("\n", -1)) {
            if (!l.isEmpty()) {
                out.add(l + "\n");
            }
        }
        return out;
    }

    private static void fresh(UsagePoller p) throws InterruptedException {
        assertTrue(p.fresh(Duration.ofSeconds(30)), "the round asked for read the logs");
    }

    private static long responses(Map<String, Amount> totals, String engine) {
        return totals.getOrDefault(engine, Amount.ZERO).responses();
    }

    @Test
    void everyLineAppendedBeforeFreshIsInTheStoreWithoutAListing() throws Exception {
        h = new LogHome(dir);
        Path claudeLog = h.claudeProject.resolve("s1.jsonl");
        Path codexLog = h.codexDay.resolve(LogHome.CODEX_FILE);
        List<String> claude = lines(CLAUDE);
        List<String> codex = lines(CODEX);
        LogHome.append(claudeLog, claude.getFirst());
        LogHome.append(codexLog, codex.getFirst());
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p); // the first round lists every log
            long listings = p.fullRounds();
            assertTrue(p.watcher().orElseThrow().vouches(), "tmpfs or ext4 here: the watcher vouches");
            for (int i = 1; i < Math.max(claude.size(), codex.size()) + 30; i++) {
                // one line of each log, or a line of a response of its own, then the answer at once: no sleep
                LogHome.append(
                        claudeLog,
                        i < claude.size()
                                ? claude.get(i)
                                : UsageScannerTest.claude("extra-" + i, 10 + i, 1, "2026-12-06T11:00:00Z"));
                if (i < codex.size()) {
                    LogHome.append(codexLog, codex.get(i));
                }
                fresh(p);
                assertEquals(fullRead(), totals(store), "after line " + i);
            }
            assertEquals(listings, p.fullRounds(), "no answer listed the logs");
            assertEquals(4 + 30, responses(totals(store), "claude"));
            assertEquals(4, responses(totals(store), "codex"));
        }
    }

    @Test
    void aNewDayANewProjectAndASubAgentsFolderAreFollowed() throws Exception {
        h = new LogHome(dir);
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            long listings = p.fullRounds();
            // a new day's folder, made with its parents at once, and the rollout in it
            LogHome.copy(CODEX, h.home.resolve(".codex/sessions/2026/12/07/" + LogHome.CODEX_FILE));
            // a new project, and a session's sub-agent log in a folder below an existing project
            LogHome.copy(CLAUDE, h.home.resolve(".claude/projects/-new-project/s2.jsonl"));
            String session = "f6cdc87f-364b-4af1-bc48-43779b83951e";
            LogHome.copy("claude-subagent/session.jsonl", h.claudeProject.resolve(session + ".jsonl"));
            LogHome.copy(
                    "claude-subagent/subagents-agent.jsonl",
                    h.claudeProject.resolve(session + "/subagents/agent-a1d64a514ab7dfa15.jsonl"));
            fresh(p);
            Map<String, Amount> all = fullRead();
            assertEquals(all, totals(store));
            assertEquals(4, responses(all, "codex"));
            assertTrue(responses(all, "claude") > 4, "the project's, the session's and the sub-agent's responses");
            assertEquals(listings, p.fullRounds(), "followed, not listed");
            assertTrue(p.watcher().orElseThrow().watched().contains(h.claudeProject.resolve(session + "/subagents")));
        }
    }

    /** Creates folder {@code d} and waits (up to 10 s) until the watcher watches it, as a user's slower steps let it. */
    private static void mkdirSeen(LogWatcher w, Path d) throws IOException, InterruptedException {
        Files.createDirectory(d);
        for (int i = 0; i < 200 && !w.watched().contains(d); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void foldersMadeOneByOneInANewProjectAreFollowedToTheSubAgentLogs() throws Exception {
        h = new LogHome(dir);
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            long listings = p.fullRounds();
            LogWatcher w = p.watcher().orElseThrow();
            // a project made after the hub started, then a session's folder in it, then its sub-agents' folder
            Path project = h.home.resolve(".claude/projects/-later");
            mkdirSeen(w, project);
            mkdirSeen(w, project.resolve("s1"));
            mkdirSeen(w, project.resolve("s1/subagents"));
            LogHome.copy(CLAUDE, project.resolve("s1/subagents/agent-1.jsonl"));
            fresh(p);
            assertEquals(listings, p.fullRounds(), "followed, not listed");
            assertEquals(4, responses(totals(store), "claude"), "the sub-agent's log is in the answer");
        }
    }

    @Test
    void aNewYearsFoldersMadeOneByOneAreFollowedToTheDaysRollout() throws Exception {
        h = new LogHome(dir);
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            long listings = p.fullRounds();
            LogWatcher w = p.watcher().orElseThrow();
            Path year = h.home.resolve(".codex/sessions/2027");
            mkdirSeen(w, year);
            mkdirSeen(w, year.resolve("02"));
            mkdirSeen(w, year.resolve("02/01"));
            LogHome.copy(CODEX, year.resolve("02/01/" + LogHome.CODEX_FILE));
            fresh(p);
            assertEquals(listings, p.fullRounds(), "followed, not listed");
            assertEquals(4, responses(totals(store), "codex"), "the new day's rollout is in the answer");
        }
    }

    @Test
    void aClaudeFolderThatAppearsLaterIsFollowedFromItsParent() throws Exception {
        h = new LogHome(dir);
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            long listings = p.fullRounds();
            // ~/.config/claude does not exist yet: Claude Code run with it later
            LogHome.copy(CLAUDE, h.home.resolve(".config/claude/projects/-p/s1.jsonl"));
            fresh(p);
            assertEquals(4, responses(totals(store), "claude"));
            assertEquals(listings, p.fullRounds());
        }
    }

    @Test
    void aLogFolderReplacedByALinkIsNotFollowed() throws Exception {
        h = new LogHome(dir);
        Path outside = dir.resolve("outside");
        LogHome.copy("claude-2.1.329-project-log-priced-sonnet.jsonl", outside.resolve("s9.jsonl"));
        LogHome.copy(CLAUDE, h.claudeProject.resolve("s1.jsonl"));
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            assertEquals(4, responses(totals(store), "claude"));
            // a new project that is a link, and a link in a day folder: neither is followed
            Files.createSymbolicLink(h.home.resolve(".claude/projects/-linked"), outside);
            Files.createSymbolicLink(h.codexDay.resolve("rollout-x.jsonl"), outside.resolve("s9.jsonl"));
            // the project folder itself swapped for a link to the folder outside
            Path moved = dir.resolve("moved-away");
            Files.move(h.claudeProject, moved);
            Files.createSymbolicLink(h.claudeProject, outside);
            LogHome.append(outside.resolve("s9.jsonl"), UsageScannerTest.claude("z1", 1, 1, "2026-12-06T12:00:00Z"));
            fresh(p);
            assertFalse(
                    p.watcher().orElseThrow().watched().contains(h.home.resolve(".claude/projects/-linked")),
                    "a link is not watched");
            assertEquals(4, responses(totals(store), "claude"), "nothing outside was read");
        }
    }

    @Test
    void aConfiguredFolderThatIsALinkPointedElsewhereIsListedOnceThenFollowedThere() throws Exception {
        h = new LogHome(dir);
        Path a = dir.resolve("claude-a");
        Path b = dir.resolve("claude-b");
        LogHome.copy(CLAUDE, a.resolve("projects/-a/s1.jsonl"));
        LogHome.copy("claude-2.1.329-project-log-priced-sonnet.jsonl", b.resolve("projects/-b/s2.jsonl"));
        Path link = h.home.resolve(".config/claude");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, a);
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            assertEquals(4, responses(totals(store), "claude"));
            long listings = p.fullRounds();
            Files.delete(link);
            Files.createSymbolicLink(link, b); // no event in a watched folder: ~/.config is not one
            fresh(p);
            assertEquals(listings + 1, p.fullRounds(), "the new place is listed");
            assertEquals(4 + 1, responses(totals(store), "claude"));
            LogHome.append(
                    b.resolve("projects/-b/s2.jsonl"), UsageScannerTest.claude("m1", 1, 1, "2026-12-06T12:00:00Z"));
            fresh(p);
            assertEquals(listings + 1, p.fullRounds(), "and watched from then on");
            assertEquals(4 + 2, responses(totals(store), "claude"));
        }
    }

    /**
     * Moves {@code moved} away, makes a fresh log at {@code fresh} (in a folder of the same name), then writes to the
     * log left at the old place: the answer holds the fresh log and nothing of the old place.
     */
    private void movedAwayAndMadeAnew(Path moved, Path fresh) throws Exception {
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogHome.copy(CLAUDE, log);
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            assertEquals(4, responses(totals(store), "claude"));
            Path old = moved.resolveSibling(moved.getFileName() + "-old");
            Files.move(moved, old);
            LogHome.copy("claude-2.1.329-project-log-priced-sonnet.jsonl", fresh);
            fresh(p);
            assertEquals(4 + 1, responses(totals(store), "claude"), "the fresh log is read; what was read stays");
            // written at the new place and at the old one: only the new place is read, now and later
            LogHome.append(fresh, UsageScannerTest.claude("n1", 1, 1, "2026-12-06T12:00:00Z"));
            LogHome.append(
                    old.resolve(moved.relativize(log)), UsageScannerTest.claude("o1", 1, 1, "2026-12-06T12:00:00Z"));
            fresh(p);
            assertEquals(4 + 2, responses(totals(store), "claude"), "the new write, none of the old place");
            LogHome.append(fresh, UsageScannerTest.claude("n2", 1, 1, "2026-12-06T12:00:00Z"));
            fresh(p);
            assertEquals(4 + 3, responses(totals(store), "claude"), "the new place is followed from then on");
            assertTrue(p.watcher().orElseThrow().vouches());
        }
    }

    @Test
    void aLogFolderMovedAwayAndMadeAnewIsReadAtItsNewPlace() throws Exception {
        h = new LogHome(dir);
        Path projects = h.home.resolve(".claude/projects");
        movedAwayAndMadeAnew(projects, projects.resolve("-fresh/s2.jsonl"));
    }

    @Test
    void aConfiguredFolderMovedAwayAndMadeAnewIsReadAtItsNewPlace() throws Exception {
        h = new LogHome(dir);
        Path claude = h.home.resolve(".claude");
        movedAwayAndMadeAnew(claude, claude.resolve("projects/-fresh/s2.jsonl"));
    }

    @Test
    void aFolderOnANetworkFileSystemIsListedForEveryAnswer() throws Exception {
        h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        try (Store store = h.store();
                UsagePoller p = poller(store, d -> "nfs4", true)) {
            p.start();
            fresh(p);
            assertFalse(p.watcher().orElseThrow().vouches(), "another machine may write the folders unseen");
            for (int i = 0; i < 3; i++) {
                long listings = p.fullRounds();
                LogHome.append(log, UsageScannerTest.claude("m" + i, 10, 1, "2026-12-06T10:00:00Z"));
                fresh(p);
                assertEquals(listings + 1, p.fullRounds(), "each answer lists the logs");
                assertEquals(i + 1, responses(totals(store), "claude"));
            }
        }
    }

    @Test
    void aWatchServiceWhoseEventsAreNotInOrderIsNotUsed() throws Exception {
        h = new LogHome(dir);
        try (Store store = h.store();
                UsagePoller p = poller(store, d -> "ext4", false)) {
            p.start();
            fresh(p);
            assertTrue(p.watcher().isEmpty(), "no barrier holds without ordered events (macOS polls)");
            long listings = p.fullRounds();
            LogHome.copy(CLAUDE, h.claudeProject.resolve("s1.jsonl"));
            fresh(p);
            assertEquals(listings + 1, p.fullRounds());
            assertEquals(4, responses(totals(store), "claude"));
        }
    }

    @Test
    void aRemovedLogFolderMakesTheNextAnswerListTheLogsThenTheWatcherVouchesAgain() throws Exception {
        h = new LogHome(dir);
        Path other = h.home.resolve(".claude/projects/-other");
        LogHome.copy(CLAUDE, other.resolve("s1.jsonl"));
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            long listings = p.fullRounds();
            // Codex's sessions folder (a log folder itself) removed
            Files.delete(h.codexDay);
            Files.delete(h.codexDay.getParent());
            Files.delete(h.codexDay.getParent().getParent());
            Files.delete(h.home.resolve(".codex/sessions"));
            LogHome.append(
                    h.claudeProject.resolve("s2.jsonl"), UsageScannerTest.claude("m1", 10, 1, "2026-12-06T10:00:00Z"));
            fresh(p);
            assertEquals(listings + 1, p.fullRounds(), "a log folder gone: that answer lists the logs");
            assertEquals(4 + 1, responses(totals(store), "claude"), "what was read stays counted");
            assertTrue(p.watcher().orElseThrow().vouches(), "watched anew by that listing");
            LogHome.append(
                    h.claudeProject.resolve("s2.jsonl"), UsageScannerTest.claude("m2", 10, 1, "2026-12-06T10:00:00Z"));
            fresh(p);
            assertEquals(listings + 1, p.fullRounds());
            assertEquals(4 + 2, responses(totals(store), "claude"));
        }
    }

    @Test
    void aFolderInsideAProjectMadeAndRemovedOverAndOverListsNoLogs() throws Exception {
        h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            long listings = p.fullRounds();
            for (int i = 0; i < 50; i++) {
                Files.createDirectory(h.claudeProject.resolve("sub"));
                Files.delete(h.claudeProject.resolve("sub"));
                LogHome.append(log, UsageScannerTest.claude("m" + i, 10, 1, "2026-12-06T10:00:00Z"));
                fresh(p);
            }
            assertTrue(p.fullRounds() - listings <= 1, "listings: " + (p.fullRounds() - listings));
            assertEquals(50, responses(totals(store), "claude"), "each answer held what was written before it");
            assertTrue(p.watcher().orElseThrow().vouches());
        }
    }

    @Test
    void aLogFolderMadeAndRemovedOverAndOverStartsFullRoundsSecondsApart() throws Exception {
        h = new LogHome(dir);
        Path archived = h.home.resolve(".codex/archived_sessions"); // waited for in ~/.codex
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            long listings = p.fullRounds();
            // no answer is asked for: only the losses start rounds, for about 1.5 s
            for (int i = 0; i < 30; i++) {
                Files.createDirectory(archived);
                Thread.sleep(25);
                Files.delete(archived);
                Thread.sleep(25);
            }
            assertTrue(p.fullRounds() - listings <= 1, "full rounds: " + (p.fullRounds() - listings));
        }
    }

    @Test
    void aChangedLogThatCouldNotBeReadIsReadOnceItCanBe() throws Exception {
        h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        AtomicBoolean denied = new AtomicBoolean();
        try (Store store = h.store()) {
            UsageScanner scanner = h.scanner(store);
            // the tests may run as root, whom no file mode stops: the open fails as a denied one would
            scanner.opener(f -> {
                if (denied.get() && f.getFileName().toString().equals("s1.jsonl")) {
                    throw new AccessDeniedException(f.toString());
                }
                return RegularFiles.open(f, Optional.empty());
            });
            try (UsagePoller p = UsagePoller.create(scanner, Duration.ofHours(1), h.data.resolve("usage-watch"))) {
                p.start();
                LogHome.append(log, UsageScannerTest.claude("m1", 10, 1, "2026-12-06T10:00:00Z"));
                fresh(p);
                assertEquals(1, responses(totals(store), "claude"));
                denied.set(true);
                LogHome.append(log, UsageScannerTest.claude("m2", 10, 1, "2026-12-06T10:00:00Z"));
                fresh(p);
                assertEquals(1, responses(totals(store), "claude"), "it could not be read");
                denied.set(false); // nothing written since: no event tells the watcher it can be read now
                fresh(p);
                assertEquals(2, responses(totals(store), "claude"), "read once it can be");
            }
        }
    }

    @Test
    void aMarkerFolderRemovedAndMadeAgainIsWatchedAgainByTheNextListing() throws Exception {
        h = new LogHome(dir);
        Path log = h.claudeProject.resolve("s1.jsonl");
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            Path markers = h.data.resolve("usage-watch");
            Files.delete(markers);
            Files.createDirectory(markers);
            LogHome.append(log, UsageScannerTest.claude("m0", 10, 1, "2026-12-06T10:00:00Z"));
            fresh(p); // may list the logs: the marker folder's watch is gone
            long listings = p.fullRounds();
            for (int i = 1; i <= 3; i++) {
                LogHome.append(log, UsageScannerTest.claude("m" + i, 10, 1, "2026-12-06T10:00:00Z"));
                fresh(p);
            }
            assertEquals(listings, p.fullRounds(), "the markers are seen again: no answer lists the logs");
            assertEquals(4, responses(totals(store), "claude"));
        }
    }

    @Test
    void pastTheCapOfWatchedFoldersNoMoreAreWatchedAndEveryAnswerListsTheLogs() throws Exception {
        h = new LogHome(dir);
        int cap = 20;
        try (Store store = h.store();
                UsagePoller p = UsagePoller.create(
                        h.scanner(store),
                        Duration.ofHours(1),
                        h.data.resolve("usage-watch"),
                        (settings, watchDir, onChange) -> new LogWatcher(
                                LogFiles.roots(settings),
                                watchDir,
                                FileSystems.getDefault().newWatchService(),
                                true,
                                WatchedFolders::storeType,
                                onChange,
                                cap))) {
            p.start();
            fresh(p);
            LogWatcher w = p.watcher().orElseThrow();
            assertTrue(w.vouches(), "under the cap");
            for (int i = 0; i < 2 * cap; i++) {
                Files.createDirectories(h.home.resolve(".claude/projects/-p" + i));
            }
            Path log = h.home.resolve(".claude/projects/-p" + (2 * cap - 1) + "/s1.jsonl");
            LogHome.append(log, UsageScannerTest.claude("m1", 10, 1, "2026-12-06T10:00:00Z"));
            long listings = p.fullRounds();
            fresh(p);
            assertEquals(1, responses(totals(store), "claude"), "read by a listing");
            assertEquals(listings + 1, p.fullRounds(), "too many folders: that answer lists the logs");
            assertFalse(w.vouches(), "still too many");
            assertTrue(w.watched().size() <= cap, "watched: " + w.watched().size());
        }
    }

    @Test
    void eventsLostWhileTheWatcherWasBusyMakeTheNextAnswerListTheLogs() throws Exception {
        h = new LogHome(dir);
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            long listings = p.fullRounds();
            LogWatcher w = p.watcher().orElseThrow();
            // the watcher's thread waits for this lock while the JDK queues the events: past 512 on one folder's key
            // it drops them for an OVERFLOW event
            synchronized (w) {
                LogHome.append(h.claudeProject.resolve("first.jsonl"), "\n");
                Thread.sleep(200);
                for (int i = 0; i < 700; i++) {
                    LogHome.append(
                            h.claudeProject.resolve("s" + i + ".jsonl"),
                            UsageScannerTest.claude("m" + i, 10, 1, "2026-12-06T10:00:00Z"));
                }
            }
            fresh(p);
            assertTrue(p.fullRounds() > listings, "lost events: the logs are listed");
            assertEquals(700, responses(totals(store), "claude"));
        }
    }

    @Test
    void aFloodOfChangedLogsIsBoundedAndReadByOneListing() throws Exception {
        h = new LogHome(dir);
        try (Store store = h.store();
                UsagePoller p = poller(store)) {
            p.start();
            fresh(p);
            LogWatcher w = p.watcher().orElseThrow();
            int n = LogWatcher.MAX_PENDING + 500;
            // spread over folders, so no one folder's events overflow first
            for (int i = 0; i < n; i++) {
                Path f = h.home.resolve(".claude/projects/-p" + (i % 100) + "/s" + i + ".jsonl");
                if (i < 100) {
                    Files.createDirectories(f.getParent());
                }
                Files.writeString(f, "{}\n");
                assertTrue(w.pendingNow().size() <= LogWatcher.MAX_PENDING);
            }
            LogHome.append(
                    h.claudeProject.resolve("s.jsonl"), UsageScannerTest.claude("m1", 10, 1, "2026-12-06T10:00:00Z"));
            fresh(p);
            assertEquals(1, responses(totals(store), "claude"));
            assertTrue(w.pendingNow().size() <= LogWatcher.MAX_PENDING);
        }
    }

    @Test
    void aLinkInPlaceOfAFolderIsNotFollowedByTheReadOfAChangedPath() throws IOException {
        h = new LogHome(dir);
        Path outside = dir.resolve("outside");
        LogHome.copy(CLAUDE, outside.resolve("s1.jsonl"));
        Path root = h.home.resolve(".claude/projects").toRealPath();
        Files.createSymbolicLink(root.resolve("-linked"), outside);
        assertTrue(LogFiles.at(root, ClaudeLog.ENGINE, root.resolve("-linked/s1.jsonl"))
                .isEmpty());
        LogHome.copy(CLAUDE, h.claudeProject.resolve("s1.jsonl"));
        assertTrue(LogFiles.at(root, ClaudeLog.ENGINE, h.claudeProject.resolve("s1.jsonl"))
                .isPresent());
        assertTrue(LogFiles.at(root, ClaudeLog.ENGINE, root.resolve("../outside/s1.jsonl"))
                .isEmpty());
    }
}
