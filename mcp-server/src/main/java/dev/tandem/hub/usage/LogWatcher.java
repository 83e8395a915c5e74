package dev.tandem.hub.usage;

import dev.tandem.core.config.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * system), and no watched folder went away. Otherwise the poller reads with a full listing ({@link #beforeFullRound}
 * starts watching anew). Each reason is logged once.
 */
final class LogWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogWatcher.class.getName());

    /** Changed logs held for the next round at most; past that a full round reads them (memory stays bounded). */
    static final int MAX_PENDING = 10_000;
    /** How long {@link #barrier} waits for its own event before the watcher is not relied on for that answer. */
    static final Duration BARRIER_WAIT = Duration.ofSeconds(1);
    /**
     * File system types on which every write to a watched folder is made by this machine's kernel, so inotify sees
     * it ({@code Files.getFileStore(p).type()}, the type in /proc/mounts). Any other (nfs, cifs, smb3, 9p, fuse.*,
     * virtiofs, ...) may be written by another machine unseen: the watcher does not vouch for it.
     */
    static final Set<String> LOCAL_TYPES = Set.of(
            "ext2",
            "ext3",
            "ext4",
            "xfs",
            "btrfs",
            "tmpfs",
            "ramfs",
            "zfs",
            "f2fs",
            "overlay",
            "bcachefs",
            "reiserfs",
            "jfs",
            "nilfs2",
            "vfat",
            "exfat",
            "ntfs3");

    private static final String BARRIER_PREFIX = "b-";

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

    /** A watched log folder: its path, the log folder it is under and how deep ({@code 0}: that folder itself). */
    private record Dir(Path path, Path root, String engine, int depth) {}

    private final List<LogFiles.Root> roots;
    private final Path barrierDir;
    private final WatchService service;
    private final boolean ordered;
    private final Function<Path, String> fsType;
    private final Runnable onChange;
    private final Thread thread;

    private final Map<WatchKey, Dir> dirs = new ConcurrentHashMap<>();
    private final Map<Path, WatchKey> byPath = new ConcurrentHashMap<>();
    /** The real path each log folder was watched at (absent: waited for in a parent). */
    private final Map<LogFiles.Root, Path> rootPaths = new ConcurrentHashMap<>();
    /** The log folders watched (the others are waited for in a parent). */
    private final Set<LogFiles.Root> watchedRoots = ConcurrentHashMap.newKeySet();
    /** Parents of log folders that do not exist yet, with those folders. */
    private final Map<WatchKey, Set<LogFiles.Root>> parents = new ConcurrentHashMap<>();
    /** Per file system device, whether it is local (one look at the mount table per device). */
    private final Map<String, Boolean> localDevices = new ConcurrentHashMap<>();

    private volatile WatchKey barrierKey;
    /** When the first change not yet handed to a round was seen ({@link System#nanoTime}), 0 when none. */
    private volatile long firstPending;

    // guarded by this
    private final Set<Changed> pending = new LinkedHashSet<>();
    private final Set<String> logged = new HashSet<>();
    /** Why the next round must list every log; null while the watcher vouches for what it saw. */
    private String unsure = "not watching yet";

    private long barriersAsked;
    private long barriersSeen;

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
        this.roots = List.copyOf(roots);
        this.barrierDir = barrierDir;
        this.service = service;
        this.ordered = ordered;
        this.fsType = fsType;
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
        return new LogWatcher(LogFiles.roots(settings), barrierDir, service, inotify, LogWatcher::storeType, onChange);
    }

    private static String storeType(Path p) {
        try {
            return Files.getFileStore(p).type();
        } catch (IOException e) {
            return "unknown";
        }
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
     * something could not be watched.
     */
    void beforeFullRound() {
        boolean again;
        synchronized (this) {
            again = unsure != null;
            unsure = null;
            pending.clear();
            firstPending = 0;
        }
        if (again || relinked()) {
            watchedRoots.clear();
            rootPaths.clear();
            roots.forEach(r -> watchRoot(r, false));
        }
    }

    /**
     * Hands over the changed logs for a round, or empty when the round must list every log (the watcher cannot
     * vouch for what it saw).
     */
    synchronized Optional<List<Changed>> drain() {
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
        if (relinked()) {
            needFull("relinked", "usage: a log folder's link points elsewhere now; that read lists every log", false);
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
                    return false;
                }
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
     * Whether a log folder's real path is not the one watched: a configured folder (or its {@code projects/}) that
     * is a link was pointed elsewhere, which raises no event in a watched folder.
     */
    private boolean relinked() {
        for (LogFiles.Root r : roots) {
            Path watched = rootPaths.get(r);
            if (watched != null && !LogFiles.realRoot(r.dir()).equals(Optional.of(watched))) {
                return true;
            }
        }
        return false;
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
                    for (int i = dirs.size() + parents.size(); i >= 0; i--) {
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
            }
        }
    }

    /** Takes a key's events; returns the highest barrier marker among them, 0 for none. */
    private long handle(WatchKey key) {
        long marker = 0;
        Dir dir = dirs.get(key);
        Set<LogFiles.Root> waiting = parents.get(key);
        for (WatchEvent<?> event : key.pollEvents()) {
            if (StandardWatchEventKinds.OVERFLOW.equals(event.kind())) {
                needFull(
                        "overflow",
                        "usage: file events were lost (too many at once); the next read lists every log",
                        true);
                continue;
            }
            Path name = (Path) event.context();
            if (key.equals(barrierKey)) {
                marker = Math.max(marker, markerNumber(name.toString()));
            }
            if (dir != null) {
                entry(dir, dir.path().resolve(name), event.kind());
            }
            if (waiting != null && StandardWatchEventKinds.ENTRY_CREATE.equals(event.kind())) {
                for (LogFiles.Root r : List.copyOf(waiting)) {
                    if (watchedRoots.contains(r)) {
                        waiting.remove(r); // watched since, through a nearer parent
                    } else {
                        watchRoot(r, true); // it, or a parent nearer to it, appeared
                    }
                }
            }
        }
        if (!key.reset()) {
            gone(key);
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

    /** A folder entry was created, changed or removed. */
    private void entry(Dir dir, Path child, WatchEvent.Kind<?> kind) {
        if (StandardWatchEventKinds.ENTRY_DELETE.equals(kind)) {
            if (byPath.containsKey(child)) {
                // moved away or removed: its key may go on watching it elsewhere under this name
                needFull("moved", "usage: a log folder was moved or removed; the next read lists every log", true);
            }
            return;
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return; // gone again
        }
        int depth = dir.depth() + 1;
        if (attrs.isDirectory()) {
            if (StandardWatchEventKinds.ENTRY_CREATE.equals(kind) && depth < LogFiles.DEPTH) {
                watchTree(dir.root(), dir.engine(), child, depth, true);
            }
        } else if (attrs.isRegularFile() && LogFiles.wanted(child, dir.engine())) {
            changed(new Changed(dir.root(), dir.engine(), child));
        }
    }

    /** A key that no longer watches: its folder was removed (or its file system unmounted). */
    private void gone(WatchKey key) {
        Dir d = dirs.remove(key);
        if (d != null) {
            byPath.remove(d.path(), key);
            needFull("gone", "usage: a log folder can no longer be watched; the next read lists every log", true);
        }
        if (parents.remove(key) != null || key.equals(barrierKey)) {
            needFull("gone", "usage: a log folder can no longer be watched; the next read lists every log", true);
        }
    }

    /**
     * Watches log folder {@code root} and every folder in it, or, while it does not exist, its nearest existing
     * parent; {@code changed}: each log in it is taken as changed (it appeared while watched).
     */
    private void watchRoot(LogFiles.Root root, boolean changed) {
        Optional<Path> real = LogFiles.realRoot(root.dir());
        if (real.isPresent() && Files.isDirectory(real.get())) {
            watchedRoots.add(root);
            rootPaths.put(root, real.get());
            watchTree(real.get(), root.engine(), real.get(), 0, changed);
            return;
        }
        for (Path p = root.dir().getParent(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                try {
                    WatchKey key = p.register(service, StandardWatchEventKinds.ENTRY_CREATE);
                    parents.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
                            .add(root);
                    // created between the check and the watch: seen now (a nearer parent: watched in its turn)
                    if (Files.isDirectory(p.resolve(root.dir().getName(p.getNameCount())))) {
                        watchRoot(root, changed);
                    }
                } catch (IOException e) {
                    needFull("watch", "usage: cannot watch " + p + ": " + e.getMessage(), false);
                }
                return;
            }
        }
    }

    /** Watches {@code top} (at {@code depth} under {@code root}) and the folders in it, as deep as a walk goes. */
    private void watchTree(Path root, String engine, Path top, int depth, boolean changed) {
        try {
            Files.walkFileTree(
                    top, EnumSet.noneOf(FileVisitOption.class), LogFiles.DEPTH - depth, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                            watch(
                                    new Dir(
                                            d,
                                            root,
                                            engine,
                                            depth + top.relativize(d).getNameCount()),
                                    attrs);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (changed && attrs.isRegularFile() && LogFiles.wanted(file, engine)) {
                                changed(new Changed(root, engine, file));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // unreadable: a walk of the logs skips it too
                        }
                    });
        } catch (IOException e) {
            needFull("watch", "usage: cannot watch " + top + ": " + e.getMessage(), false);
        }
    }

    /** Watches one folder (registered before it is listed, so nothing created meanwhile is missed). */
    private void watch(Dir d, BasicFileAttributes attrs) {
        if (!local(d.path(), attrs)) {
            needFull(
                    "remote",
                    "usage: " + d.path() + " is on a network or user-space file system (" + fsType.apply(d.path())
                            + "), whose changes made elsewhere raise no event; every read lists the logs",
                    false);
            return;
        }
        WatchKey key;
        try {
            key = d.path()
                    .register(
                            service,
                            StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE,
                            StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException e) {
            // e.g. "User limit of inotify watches reached" (fs.inotify.max_user_watches)
            needFull(
                    "watch",
                    "usage: cannot watch " + d.path() + ": " + e.getMessage() + "; every read lists the logs",
                    false);
            return;
        }
        // registering follows a link: a folder swapped for one since the walk saw it is not watched
        if (!sameFolder(d.path(), attrs)) {
            if (!dirs.containsKey(key) && !parents.containsKey(key)) {
                key.cancel();
            }
            return;
        }
        Dir was = dirs.put(key, d);
        if (was != null && !was.path().equals(d.path())) {
            byPath.remove(was.path(), key); // renamed: the same folder under its new name
        }
        byPath.put(d.path(), key);
    }

    private static boolean sameFolder(Path dir, BasicFileAttributes seen) {
        try {
            BasicFileAttributes now = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return now.isDirectory() && Objects.equals(now.fileKey(), seen.fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether folder {@code dir} is on a file system whose every change raises an event here. */
    private boolean local(Path dir, BasicFileAttributes attrs) {
        String device = device(attrs.fileKey());
        if (device == null) {
            return LOCAL_TYPES.contains(fsType.apply(dir));
        }
        return localDevices.computeIfAbsent(device, k -> LOCAL_TYPES.contains(fsType.apply(dir)));
    }

    /** The device of a Unix file key ({@code (dev=803,ino=1234)}), or null. */
    private static String device(Object fileKey) {
        String s = String.valueOf(fileKey);
        int at = s.indexOf("dev=");
        int end = s.indexOf(',', at);
        return fileKey == null || at < 0 || end < 0 ? null : s.substring(at + 4, end);
    }

    private void changed(Changed c) {
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
    private void needFull(String why, String message, boolean soon) {
        boolean first;
        synchronized (this) {
            first = unsure == null;
            if (first) {
                unsure = why;
                pending.clear();
                firstPending = soon ? System.nanoTime() : 0;
            }
            if (message != null) {
                logOnce(why, message);
            }
        }
        if (first && soon) {
            onChange.run();
        }
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
        return new HashSet<>(byPath.keySet());
    }

    /** The changes pending now, for tests. */
    synchronized List<Changed> pendingNow() {
        return new ArrayList<>(pending);
    }
}
