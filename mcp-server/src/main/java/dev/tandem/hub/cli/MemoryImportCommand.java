package dev.tandem.hub.cli;

import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.ImportResult;
import dev.tandem.core.memory.InvalidMemoryException;
import dev.tandem.hub.memory.MemoryJsonLines;
import dev.tandem.hub.memory.MemoryService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tandem memory import FILE}: adds the versions of an export that are not yet present (by id and version),
 * all in one transaction; running it twice adds nothing the second time.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Add the memory versions in a JSON Lines export that are not present yet (by id and version).",
        footerHeading = "%nExample:%n",
        footer = "  tandem memory import ~/backup/memories.jsonl")
public final class MemoryImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MemoryStoreOptions store = new MemoryStoreOptions();

    @Parameters(index = "0", paramLabel = "FILE", description = "A file written by tandem memory export.")
    Path file;

    @Override
    public Integer call() throws IOException {
        List<HistoryEntry> entries = read(file);
        try (MemoryService memories = store.open()) {
            ImportResult result = memories.importHistory(entries);
            spec.commandLine()
                    .getOut()
                    .println("tandem: imported " + result.added() + " memory versions from " + file + " ("
                            + result.present() + " already present)");
            return 0;
        }
    }

    /** Reads every line first, so a bad line stops the import before anything is written. */
    private static List<HistoryEntry> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidMemoryException(file + ": no such file");
        }
        List<HistoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                entries.add(MemoryJsonLines.read(lines.get(i)));
            } catch (InvalidMemoryException e) {
                throw new InvalidMemoryException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return entries;
    }
}
