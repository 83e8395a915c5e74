package dev.tandem.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Drives one server with S sessions, each calling a tool again as soon as its previous call returns (a closed
 * loop), first for a warm-up that is not recorded, then for the measured window.
 */
final class ClosedLoop {
    /** What one measured window gave: completed calls, their latencies, and the calls that failed. */
    record Result(int sessions, double seconds, Latencies latencies, int errors, String firstError) {
        double callsPerSecond() {
            return latencies.size() / seconds;
        }
    }

    private final HttpClient http;
    private final Optional<String> token;

    ClosedLoop(HttpClient http, Optional<String> token) {
        this.http = http;
        this.token = token;
    }

    Result run(Target target, URI uri, int sessions, Duration warmup, Duration window)
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
        return new Result(sessions, window.toNanos() / 1e9, all, errors, firstError);
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
