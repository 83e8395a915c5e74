package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tandem.hub.runs.ProcessTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Looks at the real process table: what a job's engine started, and whether any of it is left. */
final class Procs {
    private Procs() {}

    /** Returns the live processes under {@code pid} and in its session. */
    static List<ProcessHandle> tree(long pid) {
        List<ProcessHandle> out = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> {
            out.add(h);
            h.descendants().forEach(out::add);
        });
        for (long p : ProcessTree.sessionMembers(pid)) {
            ProcessHandle.of(p)
                    .filter(h -> out.stream().noneMatch(o -> o.pid() == p))
                    .ifPresent(out::add);
        }
        return out;
    }

    /** Waits (up to a minute) for a process under {@code pid} running the program {@code name}. */
    static ProcessHandle awaitChild(long pid, String name) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> found = tree(pid).stream()
                    .filter(h -> h.info().command().orElse("").endsWith("/" + name))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("no process running " + name + " under " + pid + ": " + describe(tree(pid)));
        return null;
    }

    static String describe(List<ProcessHandle> handles) {
        List<String> out = new ArrayList<>();
        for (ProcessHandle h : handles) {
            out.add(h.pid() + " " + h.info().commandLine().orElse("?"));
        }
        return out.toString();
    }
}
