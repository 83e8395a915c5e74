package dev.tandem.hub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import dev.tandem.core.store.PostgresLocation;
import dev.tandem.core.store.PostgresServer;
import dev.tandem.core.store.Store;
import dev.tandem.core.store.StoreSettings;
import dev.tandem.hub.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tandem store migrate} from a real SQLite store into a real PostgreSQL server. */
class StoreMigrateCommandTest {
    private static final Owner CLAUDE = new Owner("claude", "box");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void migrateCopiesTheMemoriesChecksTheCountsAndRefusesASecondRun() throws IOException {
        Path config = Files.writeString(dir.resolve("hub.toml"), "[memory]\nhost = \"box\"\n");
        Path data = dir.resolve("data");
        try (Store s = Store.open(new StoreSettings(data.resolve("memory.db"), "box"))) {
            for (int i = 0; i < 30; i++) {
                s.memories().insert(CLAUDE, new MemoryDraft("note " + i, "", "", List.of(), Scope.SHARED));
            }
        }
        PostgresServer server = PostgresServer.get();
        PostgresLocation target = server.newEmptyDatabase("cli");
        Path secret = dir.resolve("pgpass");
        Files.writeString(secret, server.password() + "\n");
        String[] args = {
            "store",
            "migrate",
            "--config",
            config.toString(),
            "--data-dir",
            data.toString(),
            "--to",
            target.url(),
            "--password-file",
            secret.toString()
        };
        assertEquals(0, run(args), err.toString());
        assertTrue(out.toString().contains("  memory_history 30"), out.toString());
        assertTrue(out.toString().contains("every count matches"), out.toString());
        try (Store pg = Store.open(new StoreSettings(dir.resolve("unused.db"), "box")
                .withPostgres(target.withPassword(Optional.of(server.password()))))) {
            assertEquals(
                    30,
                    pg.memories()
                            .list(CLAUDE, new ListQuery(List.of(), Optional.empty(), 0, 100))
                            .items()
                            .size());
        }
        assertEquals(2, run(args));
        assertTrue(err.toString().contains("not empty"), err.toString());
        assertFalse(err.toString().contains(server.password()), err.toString());
    }

    @Test
    void aPasswordInTheTargetUrlIsRefusedAndNotRepeated() throws IOException {
        Path config = Files.writeString(dir.resolve("hub.toml"), "[memory]\nhost = \"box\"\n");
        int code = run(
                "store",
                "migrate",
                "--config",
                config.toString(),
                "--data-dir",
                dir.toString(),
                "--to",
                "postgresql://tandem:Sup3rSecret@127.0.0.1:1/tandem");
        assertEquals(2, code);
        assertTrue(err.toString().contains("must not hold a password"), err.toString());
        assertFalse(err.toString().contains("Sup3rSecret"), err.toString());
    }
}
