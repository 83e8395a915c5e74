package dev.tandem.sync.engine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Run in a child JVM by {@link AtomicWriteTest}: pushes new content over many files until it is killed. */
public final class KillMidwayChild {
    private KillMidwayChild() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int files = Integer.parseInt(args[1]);
        byte[] content = AtomicWriteTest.content('n');
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            Path p = dir.resolve("f" + i);
            targets.add(new Target() {
                @Override
                public Path path() {
                    return p;
                }

                @Override
                public Optional<byte[]> render(Optional<byte[]> actual) {
                    return Optional.of(content);
                }
            });
        }
        Plan plan = Planner.plan(targets, List.of());
        PrintWriter out = new PrintWriter(
                new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true);
        new DiskWriter(new Backups(dir.resolve("backups"), dir, 2, Clock.systemUTC()), out).apply(plan);
    }
}
