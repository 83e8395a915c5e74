package dev.tandem.hub.usage;

import dev.tandem.core.config.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one reader at a time read the logs into a store: the hub's poller and {@code tandem usage} in another process
 * take an operating-system lock on a file beside the store, and threads of one process a lock of their own (the
 * operating system's lock belongs to the whole process). Reading twice would count nothing twice (event keys make
 * every write idempotent); the lock only saves doing the work twice.
 */
final class ScanLock implements AutoCloseable {
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private static final long POLL_MS = 50;

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private ScanLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock on {@code file} within {@code wait} (zero: only if free now); empty when it stayed taken. */
    static Optional<ScanLock> acquire(Path file, Duration wait) throws IOException, InterruptedException {
        Path key = file.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        long deadline = System.nanoTime() + wait.toNanos();
        if (!local.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            OwnerOnly.createFile(key); // beside the store, as private as it
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    ScanLock taken = new ScanLock(local, channel, lock);
                    channel = null;
                    return Optional.of(taken);
                }
                if (System.nanoTime() >= deadline) {
                    return Optional.empty();
                }
                Thread.sleep(POLL_MS);
            }
        } finally {
            if (channel != null) {
                channel.close();
                local.unlock();
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            local.unlock();
        }
    }
}
