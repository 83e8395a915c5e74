package dev.tandem.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {
    @TempDir
    Path home;

    @Test
    void onlyTheNewestRunsAreKept() throws Exception {
        Path root = home.resolve(".tandem/backups");
        for (int run = 0; run < 5; run++) {
            Clock clock = Clock.fixed(Instant.parse("2026-11-21T09:00:00Z").plusSeconds(run), ZoneOffset.UTC);
            new Backups(root, home, 3, clock)
                    .save(home.resolve(".codex/config.toml"), ("run " + run).getBytes(StandardCharsets.UTF_8));
        }
        List<String> runs;
        try (Stream<Path> s = Files.list(root)) {
            runs = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("20261121T090002.000Z", "20261121T090003.000Z", "20261121T090004.000Z"), runs);
        assertEquals("run 4", Files.readString(root.resolve(runs.get(2)).resolve(".codex/config.toml")));
    }

    @Test
    void fileOutsideTheHomeIsKeptUnderRoot() throws Exception {
        Path root = home.resolve(".tandem/backups");
        Path saved = new Backups(root, home.resolve("h"), 3, Clock.systemUTC())
                .save(home.resolve("elsewhere/x.md"), new byte[] {1});
        assertEquals(true, saved.toString().contains("/root/"));
    }
}
