package dev.tandem.hub.usage;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The folders a {@link LogWatcher} watches, each registered with its watch service: every folder a walk of {@link
 * LogFiles} enters (links not followed, the same depth), and, for a log folder that does not exist yet, its nearest
 * existing parent. Turns a folder's events into changed logs and newly watched folders; reports what it cannot
 * watch, or a watched folder that went away, as a reason the next read must list every log.
 */
final class WatchedFolders {
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

    /** What a folder of a log folder is watched for. */
    private static final WatchEvent.Kind<?>[] EVERY_KIND = {
        StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY
    };

    /** Where a reason to list every log goes: a kind of reason, a line to log once, whether to read soon. */
    interface Lost {
        void needFull(String why, String message, boolean soon);
    }

    /** A watched log folder: its path, the log folder it is under and how deep ({@code 0}: that folder itself). */
    private record Dir(Path path, Path root, String engine, int depth) {}

    private final List<LogFiles.Root> roots;
    private final WatchService service;
    private final Function<Path, String> fsType;
    private final Consumer<LogWatcher.Changed> changed;
    private final Lost lost;
    /** The most folders watched at once; past it the watcher is unsure ("too many folders"). */
    private final int maxWatches;

    private final Map<WatchKey, Dir> dirs = new ConcurrentHashMap<>();
    private final Map<Path, WatchKey> byPath = new ConcurrentHashMap<>();
    /** The real path each log folder was watched at, with its device and inode (absent: waited for in a parent). */
    private final Map<LogFiles.Root, Place> rootPaths = new ConcurrentHashMap<>();
    /** While {@link #watchAll} runs: the keys it (or an event meanwhile) registered; the others are cancelled. */
    private volatile Set<WatchKey> seen;

    /** Where a folder was watched: its real path and its file key (device and inode). */
    private record Place(Path path, Object fileKey) {
        /** The place {@code dir} is at now, without following a link; empty when it is gone. */
        static Optional<Place> of(Path dir) {
            try {
                return Optional.of(new Place(
                        dir,
                        Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                                .fileKey()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
    /** The log folders watched (the others are waited for in a parent). */
    private final Set<LogFiles.Root> watchedRoots = ConcurrentHashMap.newKeySet();
    /** Parents of log folders that do not exist yet, with those folders. */
    private final Map<WatchKey, Set<LogFiles.Root>> parents = new ConcurrentHashMap<>();
    /** Each log folder waited for, with the parent it waits in (one at a time: the nearest that exists). */
    private final Map<LogFiles.Root, WatchKey> waitingIn = new ConcurrentHashMap<>();
    /** Per file system device, whether it is local (one look at the mount table per device). */
    private final Map<String, Boolean> localDevices = new ConcurrentHashMap<>();

    WatchedFolders(
            List<LogFiles.Root> roots,
            WatchService service,
            Function<Path, String> fsType,
            Consumer<LogWatcher.Changed> changed,
            Lost lost,
            int maxWatches) {
        this.maxWatches = maxWatches;
        this.roots = roots;
        this.service = service;
        this.fsType = fsType;
        this.changed = changed;
        this.lost = lost;
    }

    /** Most folders watched: 8192, or half the user's inotify watches (fs.inotify.max_user_watches) when fewer. */
    static int maxWatches() {
        try {
            // readAllLines: readString trusts the size /proc reports and reads a single byte here
            long system = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/inotify/max_user_watches"))
                    .getFirst()
                    .strip());
            return (int) Math.max(1, Math.min(MAX_WATCHES, system / 2));
        } catch (IOException | RuntimeException e) {
            return MAX_WATCHES;
        }
    }

    static final int MAX_WATCHES = 8192;

    /** The type of the file system {@code p} is on, as /proc/mounts names it. */
    static String storeType(Path p) {
        try {
            return Files.getFileStore(p).type();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /*
     * The methods the poller and the watcher's thread call are synchronized: a full round's watchAll must not drop a
     * watch the watcher's thread registers meanwhile (a folder made as the round ends). They call back into
     * LogWatcher (changed, lost), which never calls in here while it holds its own lock.
     */

    /**
     * Watches every log folder anew (each as it is now: one that was removed, moved or relinked too), and stops
     * watching what it no longer finds there (a folder moved away, the tree a link pointed to before).
     */
    synchronized void watchAll() {
        Set<WatchKey> now = ConcurrentHashMap.newKeySet();
        seen = now;
        try {
            watchedRoots.clear();
            rootPaths.clear();
            roots.forEach(r -> watchRoot(r, false));
        } finally {
            seen = null;
        }
        for (WatchKey k : List.copyOf(dirs.keySet())) {
            if (!now.contains(k)) {
                drop(k);
            }
        }
        for (WatchKey k : List.copyOf(parents.keySet())) {
            if (!now.contains(k)) {
                parents.remove(k);
                k.cancel();
            }
        }
        waitingIn.values().removeIf(k -> !parents.containsKey(k));
    }

    /** Stops watching a folder's key. */
    private void drop(WatchKey k) {
        Dir d = dirs.remove(k);
        if (d != null) {
            byPath.remove(d.path(), k);
        }
        k.cancel();
    }

    /** Returns how many keys this watches (folders and parents). */
    synchronized int keys() {
        return dirs.size() + parents.size();
    }

    /** Handles an event of one of this' keys: a folder entry, or a parent in which a log folder may have appeared. */
    synchronized void event(WatchKey key, Path name, WatchEvent.Kind<?> kind) {
        Dir dir = dirs.get(key);
        if (dir != null) {
            entry(dir, dir.path().resolve(name), kind);
        }
        Set<LogFiles.Root> waiting = parents.get(key);
        if (waiting != null && StandardWatchEventKinds.ENTRY_CREATE.equals(kind)) {
            for (LogFiles.Root r : List.copyOf(waiting)) {
                if (watchedRoots.contains(r)) {
                    stopWaiting(r); // watched since, through a nearer parent
                } else {
                    watchRoot(r, true); // it, or a parent nearer to it, appeared
                }
            }
        }
    }

    /**
     * Forgets a key that no longer watches (its folder was removed); returns whether that makes the watcher unsure: a
     * log folder itself, or a parent waited in, is gone. A folder inside a log folder that is gone has nothing left to
     * read.
     */
    synchronized boolean gone(WatchKey key) {
        Dir d = dirs.remove(key);
        if (d != null) {
            byPath.remove(d.path(), key);
        }
        Set<LogFiles.Root> waited = parents.remove(key);
        if (waited != null) {
            waitingIn.values().removeIf(key::equals);
        }
        return waited != null || (d != null && d.depth() == 0);
    }

    /**
     * Whether a log folder is not the one watched: a configured folder (or its {@code projects/}) that is a link was
     * pointed elsewhere, or it was moved away (a watch follows the moved folder) and another made in its place;
     * neither raises an event in a watched folder.
     */
    synchronized boolean relinked() {
        for (LogFiles.Root r : roots) {
            Place watched = rootPaths.get(r);
            if (watched != null
                    && !LogFiles.realRoot(r.dir()).flatMap(Place::of).equals(Optional.of(watched))) {
                return true;
            }
        }
        return false;
    }

    /** A folder entry was created, changed or removed. */
    private void entry(Dir dir, Path child, WatchEvent.Kind<?> kind) {
        if (StandardWatchEventKinds.ENTRY_DELETE.equals(kind)) {
            if (!byPath.containsKey(child)) {
                return; // a file, or a folder not watched: nothing to stop watching (no walk over every watch)
            }
            // removed, or moved away (its watches would follow it, under names it no longer has): nothing left to
            // read there; moved within the log folder, it is watched again at its new name by the create that follows
            for (Map.Entry<Path, WatchKey> e : List.copyOf(byPath.entrySet())) {
                if (e.getKey().startsWith(child)) {
                    drop(e.getValue());
                }
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
            changed.accept(new LogWatcher.Changed(dir.root(), dir.engine(), child));
        }
    }

    /**
     * Watches log folder {@code root} and every folder in it, or, while it does not exist, its nearest existing
     * parent; {@code appeared}: each log in it is taken as changed (it appeared while watched).
     */
    private void watchRoot(LogFiles.Root root, boolean appeared) {
        Optional<Path> real = LogFiles.realRoot(root.dir());
        Optional<Place> place = real.flatMap(Place::of);
        if (place.isPresent() && Files.isDirectory(real.get())) {
            watchedRoots.add(root);
            rootPaths.put(root, place.get());
            watchTree(real.get(), root.engine(), real.get(), 0, appeared);
            stopWaiting(root);
            return;
        }
        for (Path p = root.dir().getParent(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                if (full(p)) {
                    tooMany();
                    return;
                }
                try {
                    WatchKey key = registerParent(p);
                    noteSeen(key);
                    parents.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
                            .add(root);
                    WatchKey was = waitingIn.put(root, key);
                    if (was != null && !was.equals(key)) {
                        letGo(was, root); // a nearer parent appeared: it waits there now
                    }
                    // created between the check and the watch: seen now (a nearer parent: watched in its turn)
                    if (Files.isDirectory(p.resolve(root.dir().getName(p.getNameCount())))) {
                        watchRoot(root, appeared);
                    }
                } catch (IOException e) {
                    lost.needFull("watch", "usage: cannot watch " + p + ": " + e.getMessage(), false);
                }
                return;
            }
        }
    }

    /**
     * Registers parent {@code p} for the creations it is watched for; for every kind when it is also a folder of a log
     * folder (a log folder configured inside another, such as a {@code CLAUDE_CONFIG_DIR} in a project folder). A
     * folder has one watch whatever registers it, and registering it again replaces the kinds it reports, so
     * creations alone would silence the changes to the logs in it.
     */
    private WatchKey registerParent(Path p) throws IOException {
        // the walk enters folders by their real path, a parent is reached from the folder as configured
        boolean logFolder = byPath.containsKey(p) || byPath.containsKey(p.toRealPath());
        return logFolder ? p.register(service, EVERY_KIND) : p.register(service, StandardWatchEventKinds.ENTRY_CREATE);
    }

    /** Stops waiting for log folder {@code root} (it is watched now): its parent is let go unless others wait there. */
    private void stopWaiting(LogFiles.Root root) {
        WatchKey key = waitingIn.remove(root);
        if (key != null) {
            letGo(key, root);
        }
    }

    private void letGo(WatchKey key, LogFiles.Root root) {
        Set<LogFiles.Root> waiting = parents.get(key);
        if (waiting == null) {
            return;
        }
        waiting.remove(root);
        if (waiting.isEmpty()) {
            parents.remove(key);
            if (!dirs.containsKey(key)) { // the same folder watched as a log folder's keeps its watch
                key.cancel();
            }
        }
    }

    /**
     * Whether watching folder {@code p} would pass the cap: as many folders (and parents) as allowed are watched, and
     * {@code p} is not one of them. While {@link #watchAll} runs, what it registered so far counts (the rest is
     * dropped after it).
     */
    private boolean full(Path p) {
        Set<WatchKey> round = seen;
        int held = round != null ? round.size() : dirs.size() + parents.size();
        if (held < maxWatches) {
            return false;
        }
        WatchKey key = byPath.get(p);
        if (key == null) {
            // the parents are few: one per log folder at most
            key = parents.keySet().stream()
                    .filter(k -> p.equals(k.watchable()))
                    .findFirst()
                    .orElse(null);
        }
        return key == null || (round != null && !round.contains(key));
    }

    private void tooMany() {
        lost.needFull("too-many", "usage: over " + maxWatches + " folders to watch; every read lists the logs", false);
    }

    /** Watches {@code top} (at {@code depth} under {@code root}) and the folders in it, as deep as a walk goes. */
    private void watchTree(Path root, String engine, Path top, int depth, boolean appeared) {
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
                                            // top itself: its own depth (an empty path counts one name)
                                            depth
                                                    + (d.equals(top)
                                                            ? 0
                                                            : top.relativize(d).getNameCount())),
                                    attrs);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (appeared && attrs.isRegularFile() && LogFiles.wanted(file, engine)) {
                                changed.accept(new LogWatcher.Changed(root, engine, file));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // unreadable: a walk of the logs skips it too
                        }
                    });
        } catch (NoSuchFileException e) {
            // removed before it could be watched: nothing left to read (a log folder gone is seen by relinked())
        } catch (IOException e) {
            lost.needFull("watch", "usage: cannot watch " + top + ": " + e.getMessage(), false);
        }
    }

    /** Watches one folder (registered before it is listed, so nothing created meanwhile is missed). */
    private void watch(Dir d, BasicFileAttributes attrs) {
        if (!local(d.path(), attrs)) {
            lost.needFull(
                    "remote",
                    "usage: " + d.path() + " is on a network or user-space file system (" + fsType.apply(d.path())
                            + "), whose changes made elsewhere raise no event; every read lists the logs",
                    false);
            return;
        }
        if (full(d.path())) {
            tooMany();
            return;
        }
        WatchKey key;
        try {
            key = d.path().register(service, EVERY_KIND);
        } catch (NoSuchFileException e) {
            return; // removed since the walk saw it: nothing left to read
        } catch (IOException e) {
            // e.g. "User limit of inotify watches reached" (fs.inotify.max_user_watches)
            lost.needFull(
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
        noteSeen(key);
        Dir was = dirs.put(key, d);
        if (was != null && !was.path().equals(d.path())) {
            byPath.remove(was.path(), key); // renamed: the same folder under its new name
        }
        byPath.put(d.path(), key);
    }

    private void noteSeen(WatchKey key) {
        Set<WatchKey> s = seen;
        if (s != null) {
            s.add(key);
        }
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

    /** The folders watched now, for tests. */
    synchronized Set<Path> watched() {
        return new HashSet<>(byPath.keySet());
    }

    /** The parents watched now, in which log folders are waited for, for tests. */
    synchronized Set<Path> parents() {
        Set<Path> out = new HashSet<>();
        parents.keySet().forEach(k -> out.add((Path) k.watchable()));
        return out;
    }
}
