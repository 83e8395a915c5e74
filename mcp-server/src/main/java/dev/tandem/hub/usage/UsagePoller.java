package dev.tandem.hub.usage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads what is new in the logs in the background of the hub: once at start, then every {@code [usage]
 * poll_seconds}, and at once when asked ({@link #fresh}: {@code tandem usage} answered by the hub). A timed round that
 * finds another reader at work ({@code tandem usage}) is skipped, not waited for; an asked-for round waits for it. A
 * failed round is logged and the next one tried. Only this thread reads the logs: requests wait for it, and any
 * number of them waiting at once share one round.
 *
 * <p>With a {@link LogWatcher} (the hub's, on Linux) a change to a log starts a round {@link #DEBOUNCE} after it
 * (a burst of writes is one round), which reads only the logs that changed; the timed rounds list every log, as a
 * safety net. An asked-for round then lists nothing either when the watcher vouches that it saw every change made
 * before the asking ({@link LogWatcher#barrier}); when it cannot, the round lists every log, as without a watcher.
 */
public final class UsagePoller implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UsagePoller.class.getName());

    /** How long an asked-for round waits for another reader ({@code tandem usage} without the hub) to finish. */
    static final Duration READER_WAIT = Duration.ofMinutes(10);
    /** How long after the first change a round starts: the writes of one response come as a burst. */
    static final Duration DEBOUNCE = Duration.ofMillis(150);
    /** How many damaged logs wait for an answer to take them; past that they are counted (the log names them). */
    static final int DAMAGED_HELD = 100;

    private final UsageScanner scanner;
    private final Duration interval;
    private final Thread thread;
    private final Optional<Path> watchDir;
    private final Watchers watchers;
    /** Rounds that listed every log (for tests). */
    private final AtomicLong fullRounds = new AtomicLong();
    /** The watcher once started, while it is of use (events in order, its folder watched). */
    private volatile Optional<LogWatcher> watcher = Optional.empty();

    private volatile boolean closing;
    private final Object rounds = new Object();
    /** What {@link #takeDamaged} returns next: bounded, so logs full of damaged lines hold little here. */
    private final List<UsageScanner.DamagedLog> damaged = new ArrayList<>();

    private long damagedMore;
    /** Rounds started and finished so far; a round asked for is one started after the asking. */
    private long started;

    private long finished;
    private boolean asked;
    /** Whether a round asked for must list every log (the watcher could not vouch for the asking). */
    private boolean askedFull;
    /** Whether the last finished round read the logs (false: another reader held them, or it failed). */
    private boolean lastRead;

    /** Opens the watcher of a poller: {@link LogWatcher#open}, or one with another view of the system (tests). */
    interface Watchers {
        LogWatcher open(UsageSettings settings, Path watchDir, Runnable onChange) throws IOException;
    }

    private UsagePoller(UsageScanner scanner, Duration interval, Optional<Path> watchDir, Watchers watchers) {
        this.scanner = scanner;
        this.interval = interval;
        this.watchDir = watchDir;
        this.watchers = watchers;
        this.thread = Thread.ofPlatform().name("tandem-usage-poller").daemon().unstarted(this::run);
        scanner.onDamaged(this::found);
    }

    /**
     * The damaged logs the rounds found that no {@code tandem usage} answer has taken yet, oldest first, and how many
     * more there were than {@link #DAMAGED_HELD}.
     *
     * @param logs at most {@link #DAMAGED_HELD}
     * @param more the ones found past those
     */
    public record Damaged(List<UsageScanner.DamagedLog> logs, long more) {
        public Damaged {
            logs = List.copyOf(logs);
        }
    }

    private void found(UsageScanner.DamagedLog d) {
        synchronized (damaged) {
            if (damaged.size() < DAMAGED_HELD) {
                damaged.add(d);
            } else {
                damagedMore++;
            }
        }
    }

    /**
     * Returns the damaged logs the rounds found since the last call (each round logs them too) and forgets them: a
     * {@code tandem usage} run without the hub prints the warnings of the logs it reads, and the hub reads them for
     * it, so the next answer to the person's own {@code tandem usage} (the usage key's holder, never another caller
     * with the token) carries them (docs/usage.md, "Answered by the running hub").
     */
    public Damaged takeDamaged() {
        synchronized (damaged) {
            Damaged d = new Damaged(damaged, damagedMore);
            damaged.clear();
            damagedMore = 0;
            return d;
        }
    }

    /** Starts polling. */
    public static UsagePoller start(UsageScanner scanner, Duration interval) {
        UsagePoller p = create(scanner, interval);
        p.start();
        return p;
    }

    /**
     * Returns a poller that reads nothing until {@link #start}: the hub starts it once it listens, so the first round
     * does not compete with the start for the CPU. A {@link #fresh} asked before then waits for that first round.
     */
    public static UsagePoller create(UsageScanner scanner, Duration interval) {
        return new UsagePoller(scanner, interval, Optional.empty(), LogWatcher::open);
    }

    /**
     * Returns a poller as {@link #create(UsageScanner, Duration)} that also follows the logs' changes ({@link
     * LogWatcher}), with its marker files in {@code watchDir} (a private folder of the hub's).
     */
    public static UsagePoller create(UsageScanner scanner, Duration interval, Path watchDir) {
        return new UsagePoller(scanner, interval, Optional.of(watchDir), LogWatcher::open);
    }

    static UsagePoller create(UsageScanner scanner, Duration interval, Path watchDir, Watchers watchers) {
        return new UsagePoller(scanner, interval, Optional.of(watchDir), watchers);
    }

    /** Returns the watcher while one is in use. */
    Optional<LogWatcher> watcher() {
        return watcher;
    }

    /** Returns how many rounds listed every log so far. */
    long fullRounds() {
        return fullRounds.get();
    }

    /** Starts polling; a second call does nothing, nor one after {@link #close}. */
    public void start() {
        synchronized (rounds) {
            if (closing || thread.getState() != Thread.State.NEW) {
                return;
            }
            watchDir.ifPresent(this::startWatching);
            thread.start();
        }
    }

    private void startWatching(Path dir) {
        LogWatcher w = null;
        try {
            w = watchers.open(scanner.settings(), dir, this::wake);
            if (!w.ordered()) {
                LOG.info("usage: this system's file events are not in order; the logs are listed every "
                        + interval.toSeconds() + " s and for each read asked for");
                w.close();
                return;
            }
            w.start();
            watcher = Optional.of(w);
        } catch (IOException | RuntimeException e) {
            LOG.info("usage: cannot follow the logs' changes (" + e.getMessage() + "); they are listed every "
                    + interval.toSeconds() + " s and for each read asked for");
            if (w != null) {
                w.close();
            }
        }
    }

    /** Called by the watcher when a change waits: the poller's wait is cut short. */
    private void wake() {
        synchronized (rounds) {
            rounds.notifyAll();
        }
    }

    private void run() {
        long nextFull = System.nanoTime(); // the first round lists every log
        while (!closing) {
            boolean waitForReader;
            boolean full;
            synchronized (rounds) {
                started++;
                waitForReader = asked;
                asked = false;
                full = askedFull
                        || System.nanoTime() - nextFull >= 0
                        || watcher.map(w -> !w.vouches()).orElse(true);
                askedFull = false;
            }
            boolean read = round(full, waitForReader ? READER_WAIT : Duration.ZERO);
            if (full) {
                nextFull = System.nanoTime() + interval.toNanos();
            }
            try {
                synchronized (rounds) {
                    finished = started;
                    lastRead = read;
                    rounds.notifyAll();
                    while (!asked && !closing) {
                        long now = System.nanoTime();
                        long due = nextFull;
                        long first = watcher.map(LogWatcher::firstPending).orElse(0L);
                        if (first != 0 && first + DEBOUNCE.toNanos() - due < 0) {
                            due = first + DEBOUNCE.toNanos();
                        }
                        if (due - now <= 0) {
                            break;
                        }
                        rounds.wait(Math.max(1, (due - now) / 1_000_000));
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Runs one round: every log ({@code full}), or those the watcher saw change; returns whether it read. */
    private boolean round(boolean full, Duration wait) {
        Optional<LogWatcher> w = watcher;
        try {
            Optional<List<LogWatcher.Changed>> changed = Optional.empty();
            if (!full && w.isPresent()) {
                changed = w.get().drain();
            }
            UsageScanner.Result r;
            if (changed.isPresent()) {
                r = scanner.scan(wait, changed.get());
                if (!r.ran()) {
                    w.get().giveBack(changed.get());
                } else if (r.unread() > 0) {
                    // e.g. out of descriptors: read again by a full round (spaced out while it keeps failing)
                    w.get()
                            .needFull(
                                    "unread",
                                    "usage: a changed log could not be read; a full round reads it again",
                                    true);
                }
            } else {
                w.ifPresent(LogWatcher::beforeFullRound);
                fullRounds.incrementAndGet();
                r = scanner.scan(wait);
                if (!r.ran()) {
                    w.ifPresent(LogWatcher::needFull);
                } else if (r.unread() > 0) {
                    // its change was taken by this round: only another full round reads it (spaced out)
                    w.ifPresent(x -> x.needFull(
                            "unread", "usage: a changed log could not be read; a full round reads it again", true));
                }
            }
            if (r.ran() && r.read() > 0) {
                LOG.fine(() -> "usage: read " + r.bytes() + " bytes of " + r.read() + " logs in " + r.took());
            }
            return r.ran();
        } catch (RuntimeException e) {
            w.ifPresent(LogWatcher::needFull); // what the round was handed may be unread
            LOG.log(Level.WARNING, "usage: reading the logs failed: " + e.getMessage(), e);
            return false;
        }
    }

    /**
     * Has the logs read now and waits for that round: one that starts after this call, so every byte written before
     * it is in the store when this returns true. Returns false when the round did not end within {@code timeout} or
     * the poller is closing (the store then holds what earlier rounds read). With a watcher that vouches for every
     * change made before this call, that round reads only the logs that changed (none: it only notes the time).
     */
    public boolean fresh(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<LogWatcher> w = watcher;
        boolean vouched = false;
        if (w.isPresent()) {
            vouched =
                    w.get().barrier(timeout.compareTo(LogWatcher.BARRIER_WAIT) < 0 ? timeout : LogWatcher.BARRIER_WAIT);
        }
        synchronized (rounds) {
            long need = started + 1;
            asked = true;
            askedFull |= !vouched;
            rounds.notifyAll();
            while (finished < need && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                rounds.wait(Math.max(1, left / 1_000_000));
            }
            return finished >= need && lastRead;
        }
    }

    /** Stops polling; a round in progress finishes its current transaction first. */
    @Override
    public void close() {
        synchronized (rounds) {
            closing = true;
            rounds.notifyAll();
            watcher.ifPresent(LogWatcher::close);
            if (thread.getState() == Thread.State.NEW) {
                return; // never started: nothing to stop
            }
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
