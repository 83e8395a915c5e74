package dev.tandem.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Drives one server with S sessions, each calling a tool again as soon as its previous call returns (a closed
 * loop), first for a warm-up that is not recorded, then for the measured window.
 */
final class ClosedLoop {
    /** What one measured window gave: completed calls, their latencies, and the calls that failed. */
    record Result(
            int sessions, double seconds, Latencies latencies, int errors, String firstError, Duration serverCpu) {
        double callsPerSecond() {
            return latencies.size() / seconds;
        }

        /** Returns the server's CPU time (all threads, user + system) per completed call, in microseconds. */
        double serverCpuMicrosPerCall() {
            return latencies.size() == 0 ? 0 : serverCpu.toNanos() / 1e3 / latencies.size();
        }
    }

    private final HttpClient http;
    private final Optional<String> token;

    ClosedLoop(HttpClient http, Optional<String> token) {
        this.http = http;
        this.token = token;
    }

    /**
     * Runs S sessions against {@code uri}; {@code serverCpu} reads the server's CPU time so far, sampled at the
     * edges of the measured window.
     */
    Result run(Target target, URI uri, int sessions, Duration warmup, Duration window, Supplier<Duration> serverCpu)
            throws IOException, InterruptedException {
        List<McpSession> open = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            open.add(McpSession.open(http, uri, token));
        }
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureTo = measureFrom + window.toNanos();
        List<Worker> workers = new ArrayList<>();
        for (McpSession s : open) {
            Worker w = new Worker(s, target, measureFrom, measureTo);
            w.thread.start();
            workers.add(w);
        }
        sleepUntil(measureFrom);
        Duration cpuFrom = serverCpu.get();
        sleepUntil(measureTo);
        Duration cpu = serverCpu.get().minus(cpuFrom);
        Latencies all = new Latencies();
        int errors = 0;
        String firstError = "";
        for (Worker w : workers) {
            w.thread.join();
            all.addAll(w.latencies);
            errors += w.errors;
            if (firstError.isEmpty() && w.firstError.get() != null) {
                firstError = w.firstError.get();
            }
        }
        for (McpSession s : open) {
            s.close();
        }
        return new Result(sessions, window.toNanos() / 1e9, all, errors, firstError, cpu);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /** One session's loop on its own platform thread. */
    private static final class Worker implements Runnable {
        final Thread thread;
        final Latencies latencies = new Latencies();
        final AtomicReference<String> firstError = new AtomicReference<>();
        int errors;
        private final McpSession session;
        private final Target target;
        private final long measureFrom;
        private final long measureTo;

        Worker(McpSession session, Target target, long measureFrom, long measureTo) {
            this.session = session;
            this.target = target;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
            this.thread = Thread.ofPlatform().name("bench-session").unstarted(this);
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            while (start < measureTo) {
                boolean ok = call();
                long end = System.nanoTime();
                if (start >= measureFrom && end <= measureTo) {
                    if (ok) {
                        latencies.add(end - start);
                    } else {
                        errors++;
                    }
                }
                start = end;
            }
        }

        private boolean call() {
            try {
                session.callTool(target.tool(), target.argumentsJson());
                return true;
            } catch (IOException | BenchException e) {
                firstError.compareAndSet(null, e.toString());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
        }
    }
}
