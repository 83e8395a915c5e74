package dev.tandem.hub.usage;

import dev.tandem.core.fs.RegularFiles;
import dev.tandem.core.store.StoreException;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.ScanRecord;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageRepository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;

/**
 * Reads what is new in the engines' logs into the ledger. Per file it remembers, in the store, the file's identity,
 * size, last-modified time, a hash of its first bytes and the offset after the last complete line read, and reads
 * only the bytes after it; a file that was replaced, truncated or rewritten is read again from the start (what was
 * counted before is not counted twice: event keys make writes idempotent). A file whose identity, size and time are
 * those of its cursor is not opened at all; one scanner also keeps them in memory for the files it saw current, so a
 * round in which nothing changed reads neither a file nor the store. Files are read through a fixed buffer, a few at
 * once, and written in batches of many files per transaction.
 *
 * <p>What tells a file apart (docs/usage.md, "Incremental"): another identity (device and inode) is another file, read
 * from its start; a file shorter than its cursor's offset, or whose first bytes (up to 4 KiB) differ, was rewritten;
 * a file of the same size with another last-modified time was written in place (logs only grow) and is read again
 * from its start. A file that grew is read from its cursor.
 *
 * <p>The hub's poller and {@code tandem usage} (which runs without a hub) share the cursors: a {@link ScanLock}
 * beside the store keeps them from reading at the same time, and each batch is written only if its file's cursor is
 * still where the batch started.
 */
public final class UsageScanner {
    private static final Logger LOG = Logger.getLogger(UsageScanner.class.getName());
    /** Events per batch of one file; bounds memory however large a file is. */
    static final int FILE_BATCH = 4096;
    /** Events (or batches) per transaction: fewer commits, each one synced to disk. */
    static final int COMMIT_EVENTS = 20_000;

    static final int COMMIT_BATCHES = 2000;
    private static final int HEAD = 4096;
    private static final int THREADS =
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final UsageRepository repository;
    private final UsageSettings settings;
    private final Path lockFile;
    private final Clock clock;
    private final int bufferSize;
    /** Where the damaged logs a read finds go besides the log: nowhere, unless the hub's poller takes them. */
    private volatile Consumer<DamagedLog> onDamaged = d -> {};
    /** Per path, the identity, size and time at which this scanner last found (or wrote) the store's cursor current. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    /** Per path, the size of every log the last full round listed, as later rounds found them (under the lock). */
    private final Map<String, Long> listed = new HashMap<>();

    private long listedBytes;
    /** How a log is opened for reading: {@link RegularFiles#open}, or a failing one in a test run as root. */
    private volatile Opener opener = p -> RegularFiles.open(p, Optional.empty());

    /** Opens a log for reading. */
    interface Opener {
        FileChannel open(Path log) throws IOException;
    }

    /** What a listing says of a file, enough to tell it unchanged without reading it. */
    private record Seen(String fileKey, long size, long mtime) {
        static Seen of(LogFile f) {
            return new Seen(f.fileKey(), f.size(), f.mtime());
        }

        static Seen of(FileCursor c) {
            return new Seen(c.fileKey(), c.size(), c.mtime());
        }
    }

    /**
     * @param repository where the ledger is kept
     * @param settings where the logs are
     * @param lockFile the file whose lock keeps readers of this store apart (beside the store)
     * @param clock for the times cursors and scans are recorded with
     */
    public UsageScanner(UsageRepository repository, UsageSettings settings, Path lockFile, Clock clock) {
        this(repository, settings, lockFile, clock, LineReader.BUFFER);
    }

    UsageScanner(UsageRepository repository, UsageSettings settings, Path lockFile, Clock clock, int bufferSize) {
        this.repository = repository;
        this.settings = settings;
        this.lockFile = lockFile;
        this.clock = clock;
        this.bufferSize = bufferSize;
    }

    /**
     * What one scan did.
     *
     * @param ran false when another reader held the lock longer than the scan would wait
     * @param files log files found
     * @param read files that had new bytes
     * @param bytes bytes read
     * @param responses responses found in them (before duplicates are dropped by the store)
     * @param took how long it took
     * @param unread logs that are there but could not be read (denied, out of descriptors, an I/O error)
     */
    public record Result(boolean ran, long files, long read, long bytes, long responses, Duration took, long unread) {}

    /**
     * A log whose read left responses out as damaged (docs/usage.md, "Damaged lines").
     *
     * @param engine {@code codex} or {@code claude}
     * @param file the log
     * @param responses how many responses the read left out (each once, however many of its lines are damaged)
     * @param firstByte where the first damaged line begins
     * @param found when the read found them
     */
    public record DamagedLog(String engine, Path file, long responses, long firstByte, Instant found) {
        /** Returns the warning the read logs, naming the file (the hub's log, or {@code tandem usage}'s stderr). */
        public String warning() {
            return warning(file.toString());
        }

        /**
         * Returns the same warning with the file named by its engine only: the path names a project folder and a
         * session, which the hub gives no bearer token holder (docs/security.md).
         */
        public String warningWithoutPath() {
            return warning(engine.equals(CodexLog.ENGINE) ? "a Codex log" : "a Claude Code log")
                    + " (the hub's log names the file)";
        }

        private String warning(String what) {
            return "usage: " + what + ": " + responses + (responses == 1 ? " response" : " responses")
                    + " not counted: a damaged line gives a token count or model name no response has; the first"
                    + " such line begins at byte " + firstByte;
        }
    }

    /** Hands each {@link DamagedLog} a read finds to {@code sink} too, besides the log (the hub's poller). */
    void onDamaged(Consumer<DamagedLog> sink) {
        this.onDamaged = sink;
    }

    /** Opens logs with {@code o} from now on. */
    void opener(Opener o) {
        this.opener = o;
    }

    /** Reads what is new, waiting up to {@code wait} for another reader to finish first. */
    public Result scan(Duration wait) {
        return locked(wait, t0 -> scanLocked(t0, LogFiles.find(settings), true));
    }

    /**
     * Reads what is new in the given files only, as {@link #scan} would find them now: the files a {@link LogWatcher}
     * saw change, so nothing else is listed. A file that is gone (or no longer a log a walk would find) is dropped.
     *
     * @param changed files under the folders {@link LogFiles#roots} names, each with the real root it was found under
     */
    Result scan(Duration wait, Collection<LogWatcher.Changed> changed) {
        return locked(wait, t0 -> {
            List<LogFile> files = new ArrayList<>();
            for (LogWatcher.Changed c : changed) {
                Optional<LogFile> f = LogFiles.at(c.root(), c.engine(), c.file());
                if (f.isPresent()) {
                    files.add(f.get());
                } else {
                    String path = c.file().toString();
                    seen.remove(path);
                    Long was = listed.remove(path);
                    listedBytes -= was == null ? 0 : was;
                }
            }
            return scanLocked(t0, files, false);
        });
    }

    /** Returns where the logs are read from. */
    UsageSettings settings() {
        return settings;
    }

    private Result locked(Duration wait, LongFunction<Result> round) {
        long t0 = System.nanoTime();
        Optional<ScanLock> held = lockOrEmpty(wait);
        if (held.isEmpty()) {
            return new Result(false, 0, 0, 0, 0, Duration.ofNanos(System.nanoTime() - t0), 0);
        }
        try {
            return round.apply(t0);
        } finally {
            try {
                held.get().close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "usage: cannot unlock " + lockFile + ": " + e.getMessage());
            }
        }
    }

    private Optional<ScanLock> lockOrEmpty(Duration wait) {
        try {
            return ScanLock.acquire(lockFile, wait);
        } catch (IOException e) {
            throw new UsageException(lockFile + ": cannot lock: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Reads what is new in {@code files}: every log there is ({@code all}), or those a watcher named (the rest are
     * as the last rounds left them).
     */
    private Result scanLocked(long t0, List<LogFile> files, boolean all) {
        List<LogFile> unknown = new ArrayList<>();
        if (all) {
            listed.clear();
            listedBytes = 0;
        }
        for (LogFile f : files) {
            Long was = listed.put(f.path().toString(), f.size());
            listedBytes += f.size() - (was == null ? 0 : was);
            if (!Seen.of(f).equals(seen.get(f.path().toString()))) {
                unknown.add(f);
            }
        }
        // the store's cursors only when some file is not known unchanged: a round with nothing new asks it nothing
        Map<String, FileCursor> cursors = unknown.isEmpty() ? Map.of() : repository.cursors();
        List<LogFile> changed = new ArrayList<>();
        for (LogFile f : unknown) {
            FileCursor c = cursors.get(f.path().toString());
            if (c != null && Seen.of(c).equals(Seen.of(f))) {
                seen.put(f.path().toString(), Seen.of(f));
            } else {
                changed.add(f);
            }
        }
        if (changed.isEmpty()) {
            // nothing to read: no reader threads, no writer thread (a hub answering `tandem usage` saves their start)
            return finish(t0, files, all, 0, 0, 0, 0);
        }
        Committer committer = new Committer();
        Map<String, FileCursor> ends = new ConcurrentHashMap<>();
        AtomicLong read = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong unread = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(
                THREADS, Thread.ofPlatform().daemon().name("tandem-usage-", 0).factory());
        try {
            ThreadLocal<LineReader> readers = ThreadLocal.withInitial(() -> new LineReader(bufferSize));
            List<Future<?>> work = new ArrayList<>();
            for (LogFile f : changed) {
                work.add(pool.submit(() -> {
                    long n = scanFile(
                            f, Optional.ofNullable(cursors.get(f.path().toString())), readers.get(), committer, ends);
                    if (n >= 0) {
                        read.incrementAndGet();
                        bytes.addAndGet(n);
                    } else if (n == UNREAD) {
                        unread.incrementAndGet();
                    }
                }));
            }
            for (Future<?> w : work) {
                w.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new UsageException("reading the logs failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            committer.finish(); // also when reading failed: what was read is kept, and the writer stops
        }
        for (LogFile f : changed) {
            // known current only when the cursor its read ended with is the one in the store (written or found)
            String path = f.path().toString();
            FileCursor end = committer.last(path);
            if (end != null && end.equals(ends.get(path)) && end.mtime() != FileCursor.UNKNOWN_MTIME) {
                seen.put(path, Seen.of(end));
            } else {
                seen.remove(path);
            }
        }
        return finish(t0, files, all, read.get(), bytes.get(), committer.total(), unread.get());
    }

    /** Records the round: all the logs there are now (as listed, or as the watched rounds since then left them). */
    private Result finish(
            long t0, List<LogFile> files, boolean all, long read, long bytes, long responses, long unread) {
        if (all) {
            seen.keySet().retainAll(listed.keySet()); // files gone (or archived) are forgotten
        }
        repository.scanned(new ScanRecord(repository.host(), clock.instant(), listed.size(), listedBytes));
        return new Result(true, files.size(), read, bytes, responses, Duration.ofNanos(System.nanoTime() - t0), unread);
    }

    /** What {@link #scanFile} returns for a log that is there but could not be read. */
    private static final long UNREAD = -2;

    /**
     * Reads one file from its cursor; returns the bytes read, -1 when it is gone, {@link #UNREAD} when it is there but
     * could not be read.
     */
    private long scanFile(
            LogFile f,
            Optional<FileCursor> cursor,
            LineReader reader,
            Committer committer,
            Map<String, FileCursor> ends) {
        // opened without blocking and checked on the descriptor: a log swapped for a FIFO since the folder was
        // listed is refused here, never waited on
        try (FileChannel ch = opener.open(f.path())) {
            // read no further than the listing saw: its time describes those bytes (what came after is read next)
            long size = Math.min(ch.size(), f.size());
            long mtime = size == f.size() ? f.mtime() : FileCursor.UNKNOWN_MTIME;
            long start = 0;
            String state = "";
            if (cursor.isPresent() && continues(ch, f, cursor.get(), size)) {
                start = cursor.get().offset();
                state = cursor.get().state();
            }
            LogFormat format = f.engine().equals(CodexLog.ENGINE)
                    ? new CodexLog(f.fallbackSession(), state)
                    : new ClaudeLog(f.fallbackSession(), f.fallbackProject());
            FileRead run = new FileRead(f, ch, size, mtime, cursor, format, committer);
            long end = reader.read(ch, start, size, run);
            ends.put(f.path().toString(), run.finish(end));
            return end - start;
        } catch (NoSuchFileException e) {
            return -1; // removed (or archived) since it was found: the new place is read next time
        } catch (IOException e) {
            LOG.log(Level.WARNING, "usage: cannot read " + f.path() + ": " + e.getMessage());
            return UNREAD;
        }
    }

    /** Whether the file is still the one the cursor was taken from, with nothing before the cursor changed. */
    private static boolean continues(FileChannel ch, LogFile f, FileCursor c, long size) throws IOException {
        boolean writtenInPlace =
                size == c.size() && size == f.size() && c.mtime() != FileCursor.UNKNOWN_MTIME && c.mtime() != f.mtime();
        return c.fileKey().equals(f.fileKey())
                && size >= c.offset()
                && !writtenInPlace
                && sameHead(ch, c.offset(), c.headHash());
    }

    /**
     * Returns a hash of the file's first {@code min(4096, upTo)} bytes: their count, then CRC-32C and CRC-32 of them
     * ({@code 4096:c1a2b3c4d5e6f7a8b9}). Both checksums are computed by the JVM's intrinsics from the first call on,
     * where SHA-256 ran in the interpreter for a cold run's first thousands of files. The hash tells a rewritten log
     * from a grown one; it is no defence against someone who can write the logs (they can write any usage there).
     */
    static String headHash(FileChannel ch, long upTo) throws IOException {
        ByteBuffer head = head(ch, upTo);
        CRC32C c = new CRC32C();
        c.update(head.duplicate());
        CRC32 d = new CRC32();
        d.update(head);
        return Math.min(HEAD, upTo) + ":c" + HexFormat.of().toHexDigits((int) c.getValue())
                + HexFormat.of().toHexDigits((int) d.getValue());
    }

    /** Whether the file's first {@code min(4096, upTo)} bytes have the hash {@code stored} (either form). */
    static boolean sameHead(FileChannel ch, long upTo, String stored) throws IOException {
        int colon = stored.indexOf(':');
        // told apart by length: 'c' and 16 hex digits now, 24 hex digits before (which may start with 'c' too)
        if (colon >= 0 && stored.length() - colon - 1 == 17 && stored.startsWith("c", colon + 1)) {
            return stored.equals(headHash(ch, upTo));
        }
        return stored.equals(sha256Head(ch, upTo)); // a cursor written before the checksums
    }

    /** The hash cursors were written with before the checksums: SHA-256, its first 12 bytes. */
    static String sha256Head(FileChannel ch, long upTo) throws IOException {
        ByteBuffer head = head(ch, upTo);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(head);
            return Math.min(HEAD, upTo) + ":" + HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static ByteBuffer head(FileChannel ch, long upTo) throws IOException {
        int n = (int) Math.min(HEAD, upTo);
        ByteBuffer head = ByteBuffer.allocate(n);
        while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
            // positional reads until the head is full or the file ends
        }
        return head.flip();
    }

    /** The reading of one file: parses wanted lines and hands batches to the committer. */
    private final class FileRead implements LineReader.Lines {
        private final LogFile file;
        private final FileChannel ch;
        private final long size;
        private final long mtime;
        private final LogFormat format;
        private final Committer committer;
        private Optional<FileCursor> from;
        private long pending;
        private String head;
        private long committed;
        /** The damaged responses this read found, each once, in bounded memory. */
        private final DamagedTally damaged = new DamagedTally();

        private long firstDamaged = -1;

        FileRead(
                LogFile file,
                FileChannel ch,
                long size,
                long mtime,
                Optional<FileCursor> from,
                LogFormat format,
                Committer committer) {
            this.file = file;
            this.ch = ch;
            this.size = size;
            this.mtime = mtime;
            this.from = from;
            this.format = format;
            this.committer = committer;
            this.committed = from.map(FileCursor::offset).orElse(-1L);
        }

        @Override
        public void line(byte[] buf, int start, int end, long offset) {
            if (format.wanted(buf, start, end)) {
                if (format.read(buf, start, end, offset)) {
                    pending++;
                    return;
                }
                try (JsonParser p = JsonFields.parser(buf, start, end)) {
                    parse(p, offset);
                }
            }
        }

        @Override
        public boolean wantsLong(byte[] buf, int start, int end) {
            return format.wantedLong(buf, start, end);
        }

        @Override
        public void longLine(InputStream in, long offset) {
            try (JsonParser p = JsonFields.parser(in)) {
                parse(p, offset);
            }
        }

        private void parse(JsonParser p, long offset) {
            try {
                format.read(p, offset);
                pending++;
            } catch (JacksonException e) {
                // not JSON (a line cut by a crash, or not a log line at all): it adds nothing
            }
        }

        @Override
        public void after(long next) {
            if (pending >= FILE_BATCH) {
                commit(next, false);
            }
        }

        /** Writes what is left; returns the cursor the file now has. */
        FileCursor finish(long end) {
            if (pending > 0 || end != committed || from.isEmpty() || !current(from.get())) {
                commit(end, true);
            } else {
                committer.current(from.get());
            }
            long count = damaged.count();
            if (count > 0) {
                // once per file and read, naming the file and a line but never what the line says (it may hold
                // anything the person typed); the reports count these responses too
                DamagedLog d = new DamagedLog(file.engine(), file.path(), count, firstDamaged, clock.instant());
                LOG.warning(d.warning());
                onDamaged.accept(d);
            }
            return from.orElseThrow();
        }

        /** Whether the cursor already says what this read found: nothing to write. */
        private boolean current(FileCursor c) {
            return c.size() == size && c.mtime() == mtime && c.fileKey().equals(file.fileKey());
        }

        /**
         * Hands what was found so far to the committer with the cursor after it. Only the file's last cursor carries
         * its time: one written part-way (a read cut off after it) must never look like a file read to its end.
         */
        private void commit(long next, boolean last) {
            LogFormat.Found found = format.drain();
            for (LogFormat.Damaged d : found.damaged()) {
                firstDamaged = firstDamaged < 0 ? d.offset() : firstDamaged;
                damaged.add(d.response().key());
            }
            FileCursor to;
            try {
                to = new FileCursor(
                        file.path().toString(),
                        file.engine(),
                        file.fileKey(),
                        size,
                        last ? mtime : FileCursor.UNKNOWN_MTIME,
                        next,
                        head(next),
                        format.state(),
                        clock.instant());
            } catch (IOException e) {
                throw new UsageException(file.path() + ": cannot read: " + e.getMessage(), e);
            }
            committer.add(new UsageBatch(
                    from,
                    to,
                    found.events(),
                    found.limits(),
                    found.toolUses(),
                    found.damaged().stream().map(LogFormat.Damaged::response).toList()));
            from = Optional.of(to);
            committed = next;
            pending = 0;
        }

        private String head(long next) throws IOException {
            if (next >= HEAD) {
                if (head == null) {
                    head = headHash(ch, HEAD);
                }
                return head;
            }
            return headHash(ch, next);
        }
    }

    /**
     * Gathers the batches of all files and hands them, many per transaction, to one writer thread, so the readers go
     * on parsing while the store writes. At most two groups wait for the writer (memory stays bounded); a reader
     * that finds both places taken waits.
     */
    private final class Committer {
        private static final List<UsageBatch> END = List.of();

        private final BlockingQueue<List<UsageBatch>> queue = new ArrayBlockingQueue<>(2);
        private final Thread writer;
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private List<UsageBatch> pending = new ArrayList<>();
        private long events;
        private final AtomicLong total = new AtomicLong();
        /** Per path, the last cursor of this round that is in the store (written by this round, or found current). */
        private final Map<String, FileCursor> last = new ConcurrentHashMap<>();

        Committer() {
            this.writer =
                    Thread.ofPlatform().daemon().name("tandem-usage-writer").start(this::write);
        }

        synchronized void add(UsageBatch batch) {
            pending.add(batch);
            events += batch.events().size();
            if (events >= COMMIT_EVENTS || pending.size() >= COMMIT_BATCHES) {
                handOver();
            }
        }

        private void handOver() {
            if (pending.isEmpty()) {
                return;
            }
            put(pending);
            pending = new ArrayList<>();
            events = 0;
        }

        private void put(List<UsageBatch> group) {
            try {
                while (!queue.offer(group, 100, TimeUnit.MILLISECONDS)) {
                    if (!writer.isAlive()) {
                        throw failure.get() != null ? failure.get() : new UsageException("the usage writer stopped");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UsageException("interrupted while writing the usage ledger", e);
            }
        }

        private void write() {
            while (true) {
                List<UsageBatch> group;
                try {
                    group = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (group.isEmpty()) {
                    return; // END: handed-over groups are never empty
                }
                try {
                    List<UsageBatch> refused = repository.apply(group);
                    if (!refused.isEmpty()) {
                        LOG.fine(() -> "usage: " + refused.size() + " batches were read by another reader first");
                    }
                    Set<UsageBatch> no = Collections.newSetFromMap(new IdentityHashMap<>());
                    no.addAll(refused);
                    for (UsageBatch b : group) {
                        if (no.contains(b)) {
                            last.remove(b.to().path());
                        } else {
                            last.put(b.to().path(), b.to());
                        }
                    }
                    total.addAndGet(
                            group.stream().mapToLong(g -> g.events().size()).sum());
                } catch (StoreException e) {
                    failure.set(new UsageException("cannot write the usage ledger: " + e.getMessage(), e));
                    return;
                } catch (RuntimeException e) {
                    failure.set(e);
                    return;
                }
            }
        }

        /** Writes what is left and waits for the writer; rethrows what made it fail. */
        synchronized void finish() {
            try {
                if (failure.get() == null) {
                    handOver();
                    put(END);
                }
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                writer.interrupt(); // a writer still waiting (interrupted, or a failed hand-over) stops
            }
            if (failure.get() != null) {
                throw failure.get();
            }
        }

        long total() {
            return total.get();
        }

        /** Notes a cursor the store already holds as current (nothing to write for its file). */
        void current(FileCursor c) {
            last.put(c.path(), c);
        }

        /** Returns the last cursor of {@code path} this round that reached the store, or null. */
        FileCursor last(String path) {
            return last.get(path);
        }
    }
}
