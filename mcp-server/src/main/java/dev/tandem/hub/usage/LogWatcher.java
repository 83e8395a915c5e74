package dev.tandem.hub.usage;

import dev.tandem.core.config.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Follows the log folders with the operating system's file events, so the poller reads a changed log at once and
 * only the logs that changed, and {@code tandem usage} answered by the hub need not list every log to know that
 * nothing else changed (docs/usage.md, "Answered by the running hub").
 *
 * <p>Every folder a walk of {@link LogFiles} enters is watched (links not followed, the same depth); a folder that
 * appears is watched first and then walked, each log in it taken as changed, so a log written between the two is not
 * missed. A log folder that does not exist yet is waited for in its nearest existing parent.
 *
 * <p>The watcher <em>vouches</em> that it saw every change only while nothing was lost: the watch service is
 * Linux's (inotify, whose events arrive in order: {@link #barrier}), no event overflowed, every folder could be
 * watched and is on a local file system (inotify does not see writes made on another machine to a network file
 * system), no watched folder went away, and the events are not behind (two markers late in a row). Otherwise the
 * poller reads with a full listing ({@link #beforeFullRound} starts watching anew). Each reason is logged once.
 */
final class LogWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogWatcher.class.getName());

    /** Changed logs held for the next round at most; past that a full round reads them (memory stays bounded). */
    static final int MAX_PENDING = 10_000;
    /** How long {@link #barrier} waits for its own event before the watcher is not relied on for that answer. */
    static final Duration BARRIER_WAIT = Duration.ofSeconds(1);

    private static final String BARRIER_PREFIX = "b-";
    /** The least time between two full rounds asked for by lost events or a log folder gone. */
    static final Duration SOON_GAP = Duration.ofSeconds(5);
    /** The most that time grows to while such losses repeat. */
    static final Duration SOON_GAP_MAX = Duration.ofMinutes(1);
    /** Late markers in a row after which the watcher stops vouching until the events catch up. */
    static final int LATE_IN_A_ROW = 2;

    /**
     * A log a change was seen to.
     *
     * @param root the real path of the log folder it is under (a {@link LogFiles.Root} as walked)
     * @param engine the engine whose log it is
     * @param file the log's path under {@code root}
     */
    record Changed(Path root, String engine, Path file) {
        Changed {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(file, "file");
        }
    }

    private final List<LogFiles.Root> roots;
    private final Path barrierDir;
    private final WatchService service;
    private final boolean ordered;
    private final Runnable onChange;
    private final Thread thread;
    private final WatchedFolders folders;

    private volatile WatchKey barrierKey;
    /** Whether the watcher's thread stopped on an error: it vouches for nothing from then on. */
    private volatile boolean stopped;
    /** When the first change not yet handed to a round was seen ({@link System#nanoTime}), 0 when none. */
    private volatile long firstPending;

    // guarded by this
    private final Set<Changed> pending = new LinkedHashSet<>();
    private final Set<String> logged = new HashSet<>();
    /** Why the next round must list every log; null while the watcher vouches for what it saw. */
    private String unsure = "not watching yet";

    /** The earliest a full round asked for by a loss ("soon") may start ({@link System#nanoTime}). */
    private long nextSoon = System.nanoTime() - SOON_GAP_MAX.toNanos();
    /** The time between two such rounds: {@link #SOON_GAP}, doubled while losses repeat. */
    private long soonGap = SOON_GAP.toNanos();

    private long barriersAsked;
    private long barriersSeen;
    /** Barriers in a row whose marker came late. */
    private int lateInARow;
    /**
     * While the events are behind ({@link #LATE_IN_A_ROW} late markers): the marker that must be seen before a full
     * round vouches again ({@link #probe}; {@link Long#MAX_VALUE} until the first is written); 0 when they are not.
     */
    private long catchUp;

    /**
     * @param roots the log folders ({@link LogFiles#roots})
     * @param barrierDir a private folder of the hub's for {@link #barrier}'s marker files
     * @param service the watch service, owned by this watcher from now on
     * @param ordered whether {@code service} delivers events in the order they happened (Linux's inotify)
     * @param fsType the file system type of a folder ({@code Files.getFileStore(p).type()})
     * @param onChange called (outside any lock of this watcher) when a change is pending or a full round is needed
     */
    LogWatcher(
            List<LogFiles.Root> roots,
            Path barrierDir,
            WatchService service,
            boolean ordered,
            Function<Path, String> fsType,
            Runnable onChange) {
        this(roots, barrierDir, service, ordered, fsType, onChange, WatchedFolders.maxWatches());
    }

    /** As above, watching at most {@code maxWatches} folders (past that it vouches for nothing). */
    LogWatcher(
            List<LogFiles.Root> roots,
            Path barrierDir,
            WatchService service,
            boolean ordered,
            Function<Path, String> fsType,
            Runnable onChange,
            int maxWatches) {
        this.roots = List.copyOf(roots);
        this.barrierDir = barrierDir;
        this.service = service;
        this.ordered = ordered;
        this.folders = new WatchedFolders(this.roots, service, fsType, this::changed, this::needFull, maxWatches);
        this.onChange = onChange;
        this.thread = Thread.ofPlatform().name("tandem-usage-watcher").daemon().unstarted(this::run);
    }

    /**
     * Returns a watcher of the folders {@code settings} name, on the default file system's watch service; not started.
     */
    static LogWatcher open(UsageSettings settings, Path barrierDir, Runnable onChange) throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        // the JDK's inotify service; any other (macOS and Windows poll or batch) is not relied on for the order
        boolean inotify = service.getClass().getName().equals("sun.nio.fs.LinuxWatchService");
        return new LogWatcher(
                LogFiles.roots(settings), barrierDir, service, inotify, WatchedFolders::storeType, onChange);
    }

    /**
     * Starts taking events; the folders are watched by the first {@link #beforeFullRound}.
     *
     * @throws IOException when the barrier folder cannot be made or watched (the watcher is then of no use)
     */
    void start() throws IOException {
        try {
            OwnerOnly.dir(barrierDir);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        try (Stream<Path> old = Files.list(barrierDir)) {
            for (Path p : old.toList()) {
                if (p.getFileName().toString().startsWith(BARRIER_PREFIX)) {
                    Files.deleteIfExists(p); // left by a hub that stopped mid-barrier
                }
            }
        }
        barrierKey = barrierDir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
        thread.start();
    }

    private void watchBarrierDir() {
        try {
            OwnerOnly.dir(barrierDir);
            WatchKey old = barrierKey;
            barrierKey = barrierDir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
            if (old != null && !old.equals(barrierKey)) {
                old.cancel(); // the folder it watched was moved away: what happens there is no marker
            }
        } catch (IOException | UncheckedIOException e) {
            needFull("barrier", "usage: cannot watch " + barrierDir + ": " + e.getMessage(), false);
        }
    }

    /** Whether the watch service delivers events in order (Linux's inotify): without that no barrier holds. */
    boolean ordered() {
        return ordered;
    }

    /** Whether the watcher saw every change since the last full round (and so a round may read only those). */
    synchronized boolean vouches() {
        return unsure == null;
    }

    /** When the first change not yet read was seen ({@link System#nanoTime}), 0 when there is none. */
    long firstPending() {
        return firstPending;
    }

    /**
     * Watches every log folder anew, just before a round lists every log: what changes from here on is seen (and read
     * again by the next round, which finds it unchanged if the listing read it). Leaves the watcher vouching unless
     * something could not be watched, or the events are behind: then the marker folder is watched anew and a marker
     * written, and a later full round vouches once that marker was seen.
     */
    void beforeFullRound() {
        boolean again;
        boolean behind;
        synchronized (this) {
            behind = catchUp != 0 && barriersSeen < catchUp;
            if (!behind) {
                if (catchUp != 0) {
                    lateInARow = 0; // caught up: late markers are counted in a row from here
                }
                catchUp = 0;
            }
            again = unsure != null;
            unsure = stopped ? "stopped" : behind ? "behind" : null;
            pending.clear();
            firstPending = 0;
        }
        if (stopped) {
            return;
        }
        WatchKey marker = barrierKey;
        if (behind || (marker != null && !marker.isValid())) {
            // removed (made and watched again, or the watcher stays unsure), or behind: the folder may have been moved
            // away and made anew, its watch following the old one, so it is watched where it is now
            watchBarrierDir();
        }
        if (behind) {
            probe();
        }
        if (again || folders.relinked()) {
            folders.watchAll();
        }
    }

    /**
     * Hands over the changed logs for a round, or empty when the round must list every log (the watcher cannot
     * vouch for what it saw).
     */
    Optional<List<Changed>> drain() {
        if (folders.relinked()) {
            // what was seen may be of the old place (its watches follow it), and the new place is unwatched
            needFull(
                    "relinked",
                    "usage: a log folder was moved or its link points elsewhere; that read lists every log",
                    false);
        }
        return drainPending();
    }

    private synchronized Optional<List<Changed>> drainPending() {
        if (unsure != null) {
            return Optional.empty();
        }
        List<Changed> out = new ArrayList<>(pending);
        pending.clear();
        firstPending = 0;
        return Optional.of(out);
    }

    /** Takes back logs a round could not read (another reader held the logs), for the next round. */
    void giveBack(Collection<Changed> changed) {
        changed.forEach(this::changed);
    }

    /** Makes the next round list every log (a round failed part-way: what it was handed may be unread). */
    void needFull() {
        needFull("cut", null, false);
    }

    /**
     * Returns once every change made before this call has been seen: true when the watcher then vouches for what it
     * saw (each change is pending, or was read), false when it cannot (then only a full round is sure).
     *
     * <p>Why a marker file is enough: the JDK gives each {@link WatchService} one inotify descriptor, read by one
     * thread that turns the events into keys' events in the order it reads them ({@code
     * sun.nio.fs.LinuxWatchService.Poller#run}, which calls {@code processEvent} for each event of the buffer in
     * turn, JDK 25), and the kernel queues an inotify descriptor's events in the order the writes happened
     * (inotify(7): "events are returned in order"). So when the marker's creation reaches this watcher, every event of
     * a write made before it has been given to its key. A key this watcher held while that happened is queued again
     * when it is reset ({@code AbstractWatchKey#reset}), so {@link #run} takes the keys queued by then before it
     * counts the marker as seen.
     */
    boolean barrier(Duration wait) throws InterruptedException {
        long n;
        synchronized (this) {
            if (unsure != null) {
                return false;
            }
            n = ++barriersAsked;
        }
        if (folders.relinked()) {
            needFull(
                    "relinked",
                    "usage: a log folder was moved or its link points elsewhere; that read lists every log",
                    false);
            return false;
        }
        Path marker = barrierDir.resolve(BARRIER_PREFIX + n);
        try {
            Files.createFile(marker);
        } catch (IOException e) {
            logOnce(
                    "barrier",
                    "usage: cannot write in " + barrierDir + ": " + e.getMessage() + "; that read listed"
                            + " every log");
            return false;
        }
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            synchronized (this) {
                while (barriersSeen < n) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
                if (barriersSeen < n) {
                    logOnce(
                            "barrier-late",
                            "usage: file events came late (over " + wait.toMillis() + " ms); that"
                                    + " read listed every log");
                    if (++lateInARow >= LATE_IN_A_ROW) {
                        // the next full round only writes a marker of its own: the one after vouches if it was seen
                        catchUp = Long.MAX_VALUE;
                        needFull(
                                "behind",
                                "usage: file events came late " + lateInARow + " times in a row; every read lists"
                                        + " the logs, without waiting for a marker, until they catch up",
                                false);
                    }
                    return false;
                }
                lateInARow = 0;
                return unsure == null;
            }
        } finally {
            try {
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                // removed at the next start
            }
        }
    }

    /**
     * Writes a marker no one waits for: once the watcher has seen it, the events have caught up and the next full round
     * vouches again.
     */
    private void probe() {
        long n;
        synchronized (this) {
            n = ++barriersAsked;
            catchUp = n;
        }
        Path marker = barrierDir.resolve(BARRIER_PREFIX + n);
        try {
            Files.createFile(marker);
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            logOnce("barrier", "usage: cannot write in " + barrierDir + ": " + e.getMessage());
        }
    }

    private void run() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            try {
                long marker = handle(key);
                if (marker > 0) {
                    // the keys queued before the marker's (or re-queued by a reset since): at most one each
                    for (int i = folders.keys(); i >= 0; i--) {
                        WatchKey more = service.poll();
                        if (more == null) {
                            break;
                        }
                        marker = Math.max(marker, handle(more));
                    }
                    synchronized (this) {
                        barriersSeen = Math.max(barriersSeen, marker);
                        notifyAll();
                    }
                }
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                needFull("failed", "usage: following the logs failed: " + e, true);
            } catch (Error e) {
                // e.g. out of memory: stop following; every read lists the logs from now on, without waiting
                stopped = true;
                needFull("stopped", "usage: following the logs stopped: " + e + "; every read lists the logs", true);
                return;
            }
        }
    }

    /** Takes a key's events; returns the highest barrier marker among them, 0 for none. */
    private long handle(WatchKey key) {
        long marker = 0;
        boolean barrier = key.equals(barrierKey);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (StandardWatchEventKinds.OVERFLOW.equals(event.kind())) {
                needFull(
                        "overflow",
                        "usage: file events were lost (too many at once); the next read lists every log",
                        true);
            } else if (barrier) {
                marker = Math.max(marker, markerNumber(event.context().toString()));
            } else {
                folders.event(key, (Path) event.context(), event.kind());
            }
        }
        if (!key.reset() && (barrier || folders.gone(key))) {
            needFull("gone", "usage: a log folder can no longer be watched; the next read lists every log", true);
        }
        return marker;
    }

    private static long markerNumber(String name) {
        if (!name.startsWith(BARRIER_PREFIX)) {
            return 0;
        }
        try {
            return Long.parseLong(name.substring(BARRIER_PREFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    void changed(Changed c) {
        boolean first;
        synchronized (this) {
            if (unsure != null) {
                return; // the next round lists every log anyway
            }
            if (pending.size() >= MAX_PENDING && !pending.contains(c)) {
                first = false;
            } else {
                first = pending.isEmpty();
                pending.add(c);
                if (first) {
                    firstPending = System.nanoTime();
                }
                c = null;
            }
        }
        if (c != null) {
            needFull(
                    "pending",
                    "usage: over " + MAX_PENDING + " logs changed at once; the next read lists every log",
                    true);
        } else if (first) {
            onChange.run();
        }
    }

    /**
     * Makes the next round list every log; {@code why} (a kind of reason) is logged the first time it happens.
     * {@code soon}: that round runs shortly (changes were lost), else at the next asked or timed round (a folder
     * that cannot be watched: a full round would not change that, and every asked read lists the logs meanwhile).
     */
    void needFull(String why, String message, boolean soon) {
        boolean first;
        synchronized (this) {
            first = unsure == null;
            if (first) {
                unsure = why;
                pending.clear();
                firstPending = soon ? soonAt() : 0;
            }
            if (message != null) {
                logOnce(why, message);
            }
        }
        if (first && soon) {
            onChange.run();
        }
    }

    /**
     * Returns when a full round asked for by a loss may start: at once, but no sooner than {@link #SOON_GAP} after
     * the last, the gap doubling (up to {@link #SOON_GAP_MAX}) while losses follow one another, so a loop of them
     * cannot keep the hub listing every log. An asked read still lists them at once.
     */
    private long soonAt() {
        long now = System.nanoTime();
        boolean repeated = now - (nextSoon + soonGap) < 0;
        soonGap = repeated ? Math.min(2 * soonGap, SOON_GAP_MAX.toNanos()) : SOON_GAP.toNanos();
        long at = now - nextSoon > 0 ? now : nextSoon;
        nextSoon = at + soonGap;
        return at;
    }

    private synchronized void logOnce(String why, String message) {
        if (logged.add(why)) {
            LOG.info(message);
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // closing: nothing more to take
        }
        thread.interrupt();
    }

    /** The folders watched now, for tests. */
    Set<Path> watched() {
        return folders.watched();
    }

    /** The parents watched now, in which log folders are waited for, for tests. */
    Set<Path> parents() {
        return folders.parents();
    }

    /** How many folders and parents are watched now, for tests. */
    int watches() {
        return folders.keys();
    }

    /** The changes pending now, for tests. */
    synchronized List<Changed> pendingNow() {
        return new ArrayList<>(pending);
    }
}
