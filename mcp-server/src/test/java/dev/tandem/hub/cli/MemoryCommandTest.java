package dev.tandem.hub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import dev.tandem.hub.Main;
import dev.tandem.hub.memory.MemoryService;
import dev.tandem.hub.memory.MemorySettings;
import dev.tandem.hub.memory.StoreRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MemoryCommandTest {
    @TempDir
    Path dir;

    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Owner claude = new Owner("claude", "box");

    @BeforeEach
    void writeConfig() throws IOException {
        config = Files.writeString(dir.resolve("hub.toml"), "[memory]\nhost = \"box\"\n");
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private MemoryService open(String dataDir) {
        return MemoryService.open(new MemorySettings(dir.resolve(dataDir).resolve("memory.db"), "box", 65536));
    }

    private Memory seed(MemoryService m) {
        Memory a = m.store(
                claude,
                new StoreRequest(
                        "first",
                        Optional.of("T"),
                        Optional.empty(),
                        Optional.of(List.of("x")),
                        Optional.of(Scope.CLIENT),
                        Optional.empty()));
        m.store(
                claude,
                new StoreRequest(
                        "second",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(List.of()),
                        Optional.of(Scope.CLIENT),
                        Optional.of(a.id())));
        return a;
    }

    @Test
    void exportThenImportCopiesEveryVersionAndTheSecondImportAddsNothing() {
        String id;
        try (MemoryService source = open("a")) {
            id = seed(source).id();
        }
        Path file = dir.resolve("backup.jsonl");
        String a = dir.resolve("a").toString();
        String b = dir.resolve("b").toString();
        assertEquals(
                0, run("memory", "export", "--config", config.toString(), "--data-dir", a, "--out", file.toString()));
        assertEquals(0, run("memory", "import", "--config", config.toString(), "--data-dir", b, file.toString()));
        assertTrue(out.toString().contains("imported 2 memory versions"), out.toString());
        assertEquals(0, run("memory", "import", "--config", config.toString(), "--data-dir", b, file.toString()));
        assertTrue(out.toString().contains("imported 0 memory versions"), out.toString());
        assertTrue(out.toString().contains("(2 already present)"), out.toString());
        try (MemoryService target = open("b")) {
            assertEquals("second", target.retrieve(claude, id, Optional.empty()).content());
            assertEquals("first", target.retrieve(claude, id, Optional.of(1)).content());
        }
    }

    @Test
    void exportWithoutOutWritesOneJsonLinePerVersionToStdout() {
        try (MemoryService source = open("a")) {
            seed(source);
        }
        assertEquals(
                0,
                run(
                        "memory",
                        "export",
                        "--config",
                        config.toString(),
                        "--data-dir",
                        dir.resolve("a").toString()));
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"id\":"), lines.get(0));
        assertTrue(lines.get(1).contains("\"version\":2"), lines.get(1));
    }

    @Test
    void importOfABadLineNamesFileAndLineAndWritesNothing() throws IOException {
        try (MemoryService source = open("a")) {
            seed(source);
        }
        Path file = dir.resolve("backup.jsonl");
        run(
                "memory",
                "export",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("a").toString(),
                "--out",
                file.toString());
        Files.writeString(file, "{\"id\": 3}\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        int code = run(
                "memory",
                "import",
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("b").toString(),
                file.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains(file + ":3: \"id\" must be a string"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        try (MemoryService target = open("b")) {
            assertTrue(target.list(claude, List.of(), Optional.empty(), 0, 10)
                    .items()
                    .isEmpty());
        }
    }
}
