package dev.tandem.hub.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.fs.RegularFiles;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
    private Store store;
    private UsagePoller p;
    /** Rounds that listed every log once the first answer was read (that answer lists them). */
    private long listings;

    @BeforeEach
    void makeHome() {
        h = new LogHome(dir);
    }

    @AfterEach
    void stop() {
        if (p != null) {
            p.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** The home's store, opened on first use and closed after the test. */
    private Store store() {
        if (store == null) {
            store = h.store();
        }
        return store;
    }

    /**
     * Starts a poller of the hub's kind on the home's store (an hour between timed rounds: every other round is asked
     * for or an event's), has it answer once, and notes the listings so far.
     */
    private UsagePoller start() throws InterruptedException {
        return start(UsagePoller.create(h.scanner(store()), Duration.ofHours(1), watchDir()));
    }

    /** As {@link #start()}, with the watchers {@code watchers} opens. */
    private UsagePoller start(UsagePoller.Watchers watchers) throws InterruptedException {
        return start(UsagePoller.create(h.scanner(store()), Duration.ofHours(1), watchDir(), watchers));
    }

    private UsagePoller start(UsagePoller poller) throws InterruptedException {
        p = poller;
        p.start();
        fresh(p); // the first round lists every log
        listings = p.fullRounds();
        return p;
    }

    private Path watchDir() {
        return h.data.resolve("usage-watch");
    }

    /** Watchers on the JDK's own watch service, with this view of the system and at most {@code cap} folders. */
    private static UsagePoller.Watchers watchers(Function<Path, String> fsType, boolean ordered, int cap) {
        return (settings, watchDir, onChange) -> new LogWatcher(
                LogFiles.roots(settings),
                watchDir,
                FileSystems.getDefault().newWatchService(),
                ordered,
                fsType,
                onChange,
                cap);
    }

    /** Per engine, the responses and tokens the store holds. */
    private Map<String, Amount> totals() {
        return totals(store());
    }

    private Map<String, Amount> totals(Store s) {
        return new Ledger(s.usage(), h.settings(), Clock.systemUTC())
                .daily(Query.all())
                .totals()
                .engines();
    }

    /** What a full read of the logs as they are now finds, into a store of its own. */
    private Map<String, Amount> fullRead() {
        Path other = dir.resolve("reference-" + System.nanoTime());
        try (Store s = Store.open(new StoreSettings(other.resolve(StoreSettings.FILE_NAME), "box"))) {
            new UsageScanner(s.usage(), h.settings(), other.resolve("usage-scan.lock"), Clock.systemUTC())
                    .scan(Duration.ZERO);
            return totals(s);
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

    /** Has the poller answer, as {@code tandem usage} through the hub does. */
    private void fresh() throws InterruptedException {
        fresh(p);
    }

    /** The Claude responses in the store. */
    private long claude() {
        return responses(totals(), "claude");
    }

    private static long responses(Map<String, Amount> totals, String engine) {
        return totals.getOrDefault(engine, Amount.ZERO).responses();
    }

    /** Appends a Claude response of its own to {@code log}. */
    private static void respond(Path log, String id) {
        LogHome.append(log, UsageScannerTest.claude(id, 10, 1, "2026-12-06T10:00:00Z"));
    }

    @Test
    void everyLineAppendedBeforeFreshIsInTheStoreWithoutAListing() throws Exception {
        Path claudeLog = h.claudeProject.resolve("s1.jsonl");
        Path codexLog = h.codexDay.resolve(LogHome.CODEX_FILE);
        List<String> claude = lines(CLAUDE);
        List<String> codex = lines(CODEX);
        LogHome.append(claudeLog, claude.getFirst());
        LogHome.append(codexLog, codex.getFirst());
        start();
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
            fresh();
            assertEquals(fullRead(), totals(), "after line " + i);
        }
        assertEquals(listings, p.fullRounds(), "no answer listed the logs");
        assertEquals(4 + 30, claude());
        assertEquals(4, responses(totals(), "codex"));
    }

    @Test
    void aNewDayANewProjectAndASubAgentsFolderAreFollowed() throws Exception {
        start();
        // a new day's folder, made with its parents at once, and the rollout in it
        LogHome.copy(CODEX, h.home.resolve(".codex/sessions/2026/12/07/" + LogHome.CODEX_FILE));
        // a new project, and a session's sub-agent log in a folder below an existing project
        LogHome.copy(CLAUDE, h.home.resolve(".claude/projects/-new-project/s2.jsonl"));
        String session = "f6cdc87f-364b-4af1-bc48-43779b83951e";
        LogHome.copy("claude-subagent/session.jsonl", h.claudeProject.resolve(session + ".jsonl"));
        LogHome.copy(
                "claude-subagent/subagents-agent.jsonl",
                h.claudeProject.resolve(session + "/subagents/agent-a1d64a514ab7dfa15.jsonl"));
        fresh();
        Map<String, Amount> all = fullRead();
        assertEquals(all, totals());
        assertEquals(4, responses(all, "codex"));
        assertTrue(responses(all, "claude") > 4, "the project's, the session's and the sub-agent's responses");
        assertEquals(listings, p.fullRounds(), "followed, not listed");
        assertTrue(p.watcher().orElseThrow().watched().contains(h.claudeProject.resolve(session + "/subagents")));
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
        LogWatcher w = start().watcher().orElseThrow();
        // a project made after the hub started, then a session's folder in it, then its sub-agents' folder
        Path project = h.home.resolve(".claude/projects/-later");
        mkdirSeen(w, project);
        mkdirSeen(w, project.resolve("s1"));
        mkdirSeen(w, project.resolve("s1/subagents"));
        LogHome.copy(CLAUDE, project.resolve("s1/subagents/agent-1.jsonl"));
        fresh();
        assertEquals(listings, p.fullRounds(), "followed, not listed");
        assertEquals(4, claude(), "the sub-agent's log is in the answer");
    }

    @Test
    void aNewYearsFoldersMadeOneByOneAreFollowedToTheDaysRollout() throws Exception {
        LogWatcher w = start().watcher().orElseThrow();
        Path year = h.home.resolve(".codex/sessions/2027");
        mkdirSeen(w, year);
        mkdirSeen(w, year.resolve("02"));
        mkdirSeen(w, year.resolve("02/01"));
        LogHome.copy(CODEX, year.resolve("02/01/" + LogHome.CODEX_FILE));
        fresh();
        assertEquals(listings, p.fullRounds(), "followed, not listed");
        assertEquals(4, responses(totals(), "codex"), "the new day's rollout is in the answer");
    }

    @Test
    void aClaudeFolderThatAppearsLaterIsFollowedFromItsParent() throws Exception {
        start();
        // ~/.config/claude does not exist yet: Claude Code run with it later
        LogHome.copy(CLAUDE, h.home.resolve(".config/claude/projects/-p/s1.jsonl"));
        fresh();
        assertEquals(4, claude());
        assertEquals(listings, p.fullRounds());
    }

    @Test
    void aLogFolderReplacedByALinkIsNotFollowed() throws Exception {
        Path outside = dir.resolve("outside");
        LogHome.copy("claude-2.1.329-project-log-priced-sonnet.jsonl", outside.resolve("s9.jsonl"));
        LogHome.copy(CLAUDE, h.claudeProject.resolve("s1.jsonl"));
        start();
        assertEquals(4, claude());
        // a new project that is a link, and a link in a day folder: neither is followed
        Files.createSymbolicLink(h.home.resolve(".claude/projects/-linked"), outside);
        Files.createSymbolicLink(h.codexDay.resolve("rollout-x.jsonl"), outside.resolve("s9.jsonl"));
        // the project folder itself swapped for a link to the folder outside
        Path moved = dir.resolve("moved-away");
        Files.move(h.claudeProject, moved);
        Files.createSymbolicLink(h.claudeProject, outside);
        LogHome.append(outside.resolve("s9.jsonl"), UsageScannerTest.claude("z1", 1, 1, "2026-12-06T12:00:00Z"));
        fresh();
        assertFalse(
                p.watcher().orElseThrow().watched().contains(h.home.resolve(".claude/projects/-linked")),
                "a link is not watched");
        assertEquals(4, claude(), "nothing outside was read");
    }

    @Test
    void aConfiguredFolderThatIsALinkPointedElsewhereIsListedOnceThenFollowedThere() throws Exception {
        Path a = dir.resolve("claude-a");
        Path b = dir.resolve("claude-b");
        LogHome.copy(CLAUDE, a.resolve("projects/-a/s1.jsonl"));
        LogHome.copy("claude-2.1.329-project-log-priced-sonnet.jsonl", b.resolve("projects/-b/s2.jsonl"));
        Path link = h.home.resolve(".config/claude");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, a);
        start();
        assertEquals(4, claude());
        Files.delete(link);
        Files.createSymbolicLink(link, b); // no event in a watched folder: ~/.config is not one
        fresh();
        assertEquals(listings + 1, p.fullRounds(), "the new place is listed");
        assertEquals(4 + 1, claude());
        LogHome.append(b.resolve("projects/-b/s2.jsonl"), UsageScannerTest.claude("m1", 1, 1, "2026-12-06T12:00:00Z"));
        fresh();
        assertEquals(listings + 1, p.fullRounds(), "and watched from then on");
        assertEquals(4 + 2, claude());
    }

    /**
     * Moves {@code moved} away, makes a fresh log at {@code fresh} (in a folder of the same name), then writes to the
     * log left at the old place: the answer holds the fresh log and nothing of the old place.
     */
    private void movedAwayAndMadeAnew(Path moved, Path fresh) throws Exception {
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogHome.copy(CLAUDE, log);
        start();
        assertEquals(4, claude());
        Path old = moved.resolveSibling(moved.getFileName() + "-old");
        Files.move(moved, old);
        LogHome.copy("claude-2.1.329-project-log-priced-sonnet.jsonl", fresh);
        fresh();
        assertEquals(4 + 1, claude(), "the fresh log is read; what was read stays");
        // written at the new place and at the old one: only the new place is read, now and later
        LogHome.append(fresh, UsageScannerTest.claude("n1", 1, 1, "2026-12-06T12:00:00Z"));
        LogHome.append(old.resolve(moved.relativize(log)), UsageScannerTest.claude("o1", 1, 1, "2026-12-06T12:00:00Z"));
        fresh();
        assertEquals(4 + 2, claude(), "the new write, none of the old place");
        LogHome.append(fresh, UsageScannerTest.claude("n2", 1, 1, "2026-12-06T12:00:00Z"));
        fresh();
        assertEquals(4 + 3, claude(), "the new place is followed from then on");
        assertTrue(p.watcher().orElseThrow().vouches());
    }

    @Test
    void aLogFolderMovedAwayAndMadeAnewIsReadAtItsNewPlace() throws Exception {
        Path projects = h.home.resolve(".claude/projects");
        movedAwayAndMadeAnew(projects, projects.resolve("-fresh/s2.jsonl"));
    }

    @Test
    void aConfiguredFolderMovedAwayAndMadeAnewIsReadAtItsNewPlace() throws Exception {
        Path claude = h.home.resolve(".claude");
        movedAwayAndMadeAnew(claude, claude.resolve("projects/-fresh/s2.jsonl"));
    }

    @Test
    void aFolderOnANetworkFileSystemIsListedForEveryAnswer() throws Exception {
        Path log = h.claudeProject.resolve("s1.jsonl");
        start(watchers(d -> "nfs4", true, WatchedFolders.maxWatches()));
        assertFalse(p.watcher().orElseThrow().vouches(), "another machine may write the folders unseen");
        for (int i = 0; i < 3; i++) {
            long before = p.fullRounds();
            respond(log, "m" + i);
            fresh();
            assertEquals(before + 1, p.fullRounds(), "each answer lists the logs");
            assertEquals(i + 1, claude());
        }
    }

    @Test
    void aWatchServiceWhoseEventsAreNotInOrderIsNotUsed() throws Exception {
        start(watchers(d -> "ext4", false, WatchedFolders.maxWatches()));
        assertTrue(p.watcher().isEmpty(), "no barrier holds without ordered events (macOS polls)");
        LogHome.copy(CLAUDE, h.claudeProject.resolve("s1.jsonl"));
        fresh();
        assertEquals(listings + 1, p.fullRounds());
        assertEquals(4, claude());
    }

    @Test
    void aRemovedLogFolderMakesTheNextAnswerListTheLogsThenTheWatcherVouchesAgain() throws Exception {
        Path other = h.home.resolve(".claude/projects/-other");
        LogHome.copy(CLAUDE, other.resolve("s1.jsonl"));
        start();
        // Codex's sessions folder (a log folder itself) removed
        Files.delete(h.codexDay);
        Files.delete(h.codexDay.getParent());
        Files.delete(h.codexDay.getParent().getParent());
        Files.delete(h.home.resolve(".codex/sessions"));
        respond(h.claudeProject.resolve("s2.jsonl"), "m1");
        fresh();
        assertEquals(listings + 1, p.fullRounds(), "a log folder gone: that answer lists the logs");
        assertEquals(4 + 1, claude(), "what was read stays counted");
        assertTrue(p.watcher().orElseThrow().vouches(), "watched anew by that listing");
        respond(h.claudeProject.resolve("s2.jsonl"), "m2");
        fresh();
        assertEquals(listings + 1, p.fullRounds());
        assertEquals(4 + 2, claude());
    }

    @Test
    void aFolderInsideAProjectMadeAndRemovedOverAndOverListsNoLogs() throws Exception {
        Path log = h.claudeProject.resolve("s1.jsonl");
        start();
        for (int i = 0; i < 50; i++) {
            Files.createDirectory(h.claudeProject.resolve("sub"));
            Files.delete(h.claudeProject.resolve("sub"));
            respond(log, "m" + i);
            fresh();
        }
        assertTrue(p.fullRounds() - listings <= 1, "listings: " + (p.fullRounds() - listings));
        assertEquals(50, claude(), "each answer held what was written before it");
        assertTrue(p.watcher().orElseThrow().vouches());
    }

    @Test
    void aLogFolderMadeAndRemovedOverAndOverStartsFullRoundsSecondsApart() throws Exception {
        Path archived = h.home.resolve(".codex/archived_sessions"); // waited for in ~/.codex
        start();
        // no answer is asked for: only the losses start rounds, for about 1.5 s
        for (int i = 0; i < 30; i++) {
            Files.createDirectory(archived);
            Thread.sleep(25);
            Files.delete(archived);
            Thread.sleep(25);
        }
        assertTrue(p.fullRounds() - listings <= 1, "full rounds: " + (p.fullRounds() - listings));
    }

    @Test
    void aChangedLogThatCouldNotBeReadIsReadOnceItCanBe() throws Exception {
        Path log = h.claudeProject.resolve("s1.jsonl");
        AtomicBoolean denied = new AtomicBoolean();
        UsageScanner scanner = h.scanner(store());
        // the tests may run as root, whom no file mode stops: the open fails as a denied one would
        scanner.opener(f -> {
            if (denied.get() && f.getFileName().toString().equals("s1.jsonl")) {
                throw new AccessDeniedException(f.toString());
            }
            return RegularFiles.open(f, Optional.empty());
        });
        start(UsagePoller.create(scanner, Duration.ofHours(1), watchDir()));
        respond(log, "m1");
        fresh();
        assertEquals(1, claude());
        denied.set(true);
        respond(log, "m2");
        fresh();
        assertEquals(1, claude(), "it could not be read");
        denied.set(false); // nothing written since: no event tells the watcher it can be read now
        fresh();
        assertEquals(2, claude(), "read once it can be");
    }

    @Test
    void aMarkerFolderRemovedAndMadeAgainIsWatchedAgainByTheNextListing() throws Exception {
        Path log = h.claudeProject.resolve("s1.jsonl");
        start();
        Files.delete(watchDir());
        Files.createDirectory(watchDir());
        respond(log, "m0");
        fresh(); // may list the logs: the marker folder's watch is gone
        long before = p.fullRounds();
        for (int i = 1; i <= 3; i++) {
            respond(log, "m" + i);
            fresh();
        }
        assertEquals(before, p.fullRounds(), "the markers are seen again: no answer lists the logs");
        assertEquals(4, claude());
    }

    /** Starts the poller and returns its watcher, with the marker folder moved away: no marker is seen in time. */
    private LogWatcher startMissingMarkers() throws IOException, InterruptedException {
        LogWatcher w = start().watcher().orElseThrow();
        markersMovedAway();
        return w;
    }

    /** Has the poller answer (at most 20 times) until {@code w} vouches again; fails if it does not. */
    private void catchUp(LogWatcher w) throws InterruptedException {
        for (int i = 0; i < 20 && !w.vouches(); i++) {
            fresh();
        }
        assertTrue(w.vouches(), "the events caught up");
    }

    /** Moves the marker folder away and makes it anew: its watch follows the old one, so no marker is seen. */
    private Path markersMovedAway() throws IOException {
        Path old = Files.move(watchDir(), watchDir().resolveSibling("usage-watch-old"));
        Files.createDirectory(watchDir());
        return old;
    }

    @Test
    void twoLateMarkersInARowStopTheWatcherVouchingUntilTheEventsCatchUp() throws Exception {
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogWatcher w = startMissingMarkers();
        respond(log, "m1");
        fresh();
        assertEquals(listings + 1, p.fullRounds(), "a late marker: that answer lists the logs");
        assertTrue(w.vouches(), "one late marker (a busy moment) leaves the watcher vouching");
        respond(log, "m2");
        fresh();
        assertEquals(listings + 2, p.fullRounds());
        assertFalse(w.vouches(), "two in a row: the events are behind");
        respond(log, "m3");
        fresh(); // no marker waited for
        assertEquals(listings + 3, p.fullRounds(), "the next answer lists the logs too");
        // that listing's round watched the marker folder where it is now; once its marker is seen, a round vouches
        catchUp(w);
        long before = p.fullRounds();
        respond(log, "m4");
        fresh();
        assertEquals(before, p.fullRounds(), "on time again: no listing");
        assertEquals(4, claude());
    }

    @Test
    void afterCatchingUpOneLateMarkerIsABusyMomentAgain() throws Exception {
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogWatcher w = startMissingMarkers();
        respond(log, "m1");
        fresh();
        respond(log, "m2");
        fresh();
        assertFalse(w.vouches(), "two in a row: the events are behind");
        catchUp(w);
        // the very next marker is late: the count of late markers in a row started again when they caught up
        Files.move(watchDir().resolveSibling("usage-watch-old"), watchDir().resolveSibling("usage-watch-older"));
        markersMovedAway();
        long before = p.fullRounds();
        respond(log, "m3");
        fresh();
        assertEquals(before + 1, p.fullRounds(), "a late marker: that answer lists the logs");
        assertTrue(w.vouches(), "one late marker after catching up leaves the watcher vouching");
        assertEquals(3, claude());
    }

    @Test
    void aMarkerOnTimeBetweenTwoLateOnesLeavesTheWatcherVouching() throws Exception {
        Path log = h.claudeProject.resolve("s1.jsonl");
        LogWatcher w = start().watcher().orElseThrow();
        Path watched = markersMovedAway();
        respond(log, "m1");
        fresh(); // late
        Path aside = Files.move(watchDir(), watchDir().resolveSibling("usage-watch-aside"));
        Files.move(watched, watchDir()); // the watched folder back in its place
        respond(log, "m2");
        fresh();
        assertEquals(listings + 1, p.fullRounds(), "on time: no listing");
        Files.move(watchDir(), watched);
        Files.move(aside, watchDir());
        respond(log, "m3");
        fresh(); // late again
        assertEquals(listings + 2, p.fullRounds());
        assertTrue(w.vouches(), "the late markers were not in a row");
        assertEquals(3, claude());
    }

    @Test
    void pastTheCapOfWatchedFoldersNoMoreAreWatchedAndEveryAnswerListsTheLogs() throws Exception {
        int cap = 20;
        LogWatcher w =
                start(watchers(WatchedFolders::storeType, true, cap)).watcher().orElseThrow();
        assertTrue(w.vouches(), "under the cap");
        for (int i = 0; i < 2 * cap; i++) {
            Files.createDirectories(h.home.resolve(".claude/projects/-p" + i));
        }
        respond(h.home.resolve(".claude/projects/-p" + (2 * cap - 1) + "/s1.jsonl"), "m1");
        fresh();
        assertEquals(1, claude(), "read by a listing");
        assertEquals(listings + 1, p.fullRounds(), "too many folders: that answer lists the logs");
        assertFalse(w.vouches(), "still too many");
        assertTrue(w.watched().size() <= cap, "watched: " + w.watched().size());
    }

    @Test
    void parentsWaitedInCountAgainstTheCapOfWatchedFolders() throws Exception {
        // ~/.claude/projects gone too: three log folders are waited for, in ~/.codex, the home and ~/.claude
        Files.delete(h.claudeProject);
        Files.delete(h.claudeProject.getParent());
        int cap = 5; // Codex's four folders and one parent
        LogWatcher w =
                start(watchers(WatchedFolders::storeType, true, cap)).watcher().orElseThrow();
        assertTrue(w.watches() <= cap, "watches: " + w.watches());
        assertFalse(w.vouches(), "a parent past the cap is not watched: a log folder made there would be missed");
    }

    @Test
    void aParentIsLetGoOnceTheFolderAwaitedInItIsWatched() throws Exception {
        LogWatcher w = start().watcher().orElseThrow();
        Path codex = h.home.resolve(".codex");
        assertTrue(w.parents().contains(codex), "archived_sessions is waited for in ~/.codex");
        int watches = w.watches();
        Path archived = codex.resolve("archived_sessions");
        mkdirSeen(w, archived);
        assertFalse(w.parents().contains(codex), "~/.codex is let go");
        assertEquals(watches, w.watches(), "one watch for another");
        LogHome.copy(CODEX, archived.resolve(LogHome.CODEX_FILE));
        fresh();
        assertEquals(listings, p.fullRounds(), "followed, not listed");
        assertEquals(4, responses(totals(), "codex"));
    }

    @Test
    void aFolderAwaitedMovesToItsNearestParentAsThatAppears() throws Exception {
        LogWatcher w = start().watcher().orElseThrow();
        assertTrue(w.parents().contains(h.home), "~/.config/claude/projects is waited for in the home");
        Path config = Files.createDirectory(h.home.resolve(".config"));
        for (int i = 0; i < 200 && !w.parents().contains(config); i++) {
            Thread.sleep(50);
        }
        assertEquals(Set.of(h.home.resolve(".codex"), config), w.parents(), "the home is let go");
        LogHome.copy(CLAUDE, config.resolve("claude/projects/-p/s1.jsonl"));
        fresh();
        assertEquals(listings, p.fullRounds(), "followed, not listed");
        assertEquals(4, claude());
        assertEquals(Set.of(h.home.resolve(".codex")), w.parents());
    }

    @Test
    void aLogFolderAwaitedInsideAnotherLeavesTheOuterFoldersChangesFollowed() throws Exception {
        // a CLAUDE_CONFIG_DIR inside a project folder of ~/.claude: its projects/ is awaited in that project folder,
        // which ~/.claude/projects's watch already follows for changed logs
        Path cfg = h.claudeProject.resolve("cfg");
        h = new LogHome(dir, List.of(h.home.relativize(cfg).toString()));
        Path log = h.claudeProject.resolve("s1.jsonl");
        respond(log, "before-start");
        LogWatcher w = start().watcher().orElseThrow();
        assertTrue(w.parents().contains(h.claudeProject), "cfg/projects is awaited in the project folder");
        assertTrue(w.vouches());

        respond(log, "after-start");
        fresh();
        assertEquals(2, claude(), "the response appended after the start is in the answer");

        // the inner config folder appears: its log is read, and the outer folder's changes are still followed
        mkdirSeen(w, cfg);
        for (int i = 0; i < 200 && !w.watched().contains(cfg.resolve("projects")); i++) {
            Files.createDirectories(cfg.resolve("projects"));
            Thread.sleep(50);
        }
        mkdirSeen(w, cfg.resolve("projects/-inner"));
        respond(cfg.resolve("projects/-inner/s2.jsonl"), "inner");
        respond(log, "after-inner");
        fresh();
        assertEquals(fullRead(), totals());
        assertEquals(4, claude(), "both folders' responses are in the answer");
        assertEquals(listings, p.fullRounds(), "followed, not listed");
    }

    @Test
    void eventsLostWhileTheWatcherWasBusyMakeTheNextAnswerListTheLogs() throws Exception {
        LogWatcher w = start().watcher().orElseThrow();
        // the watcher's thread waits for this lock while the JDK queues the events: past 512 on one folder's key
        // it drops them for an OVERFLOW event
        synchronized (w) {
            LogHome.append(h.claudeProject.resolve("first.jsonl"), "\n");
            Thread.sleep(200);
            for (int i = 0; i < 700; i++) {
                respond(h.claudeProject.resolve("s" + i + ".jsonl"), "m" + i);
            }
        }
        fresh();
        assertTrue(p.fullRounds() > listings, "lost events: the logs are listed");
        assertEquals(700, claude());
    }

    @Test
    void aFloodOfChangedLogsIsBoundedAndReadByOneListing() throws Exception {
        LogWatcher w = start().watcher().orElseThrow();
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
        respond(h.claudeProject.resolve("s.jsonl"), "m1");
        fresh();
        assertEquals(1, claude());
        assertTrue(w.pendingNow().size() <= LogWatcher.MAX_PENDING);
    }

    @Test
    void aLinkInPlaceOfAFolderIsNotFollowedByTheReadOfAChangedPath() throws IOException {
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
