package dev.tandem.hub.cli;

import dev.tandem.core.cli.TerminalText;
import dev.tandem.hub.memory.MemoryJsonLines;
import dev.tandem.hub.memory.MemoryService;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem memory export}: every version of every memory, deletions included, as JSON Lines. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Write every memory version (deletions included) as JSON Lines to stdout or --out.",
        footerHeading = "%nExample:%n",
        footer = "  tandem memory export --out ~/backup/memories.jsonl")
public final class MemoryExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    MemoryStoreOptions store = new MemoryStoreOptions();

    @Option(names = "--out", paramLabel = "FILE", description = "Write here (atomically) instead of stdout.")
    Path out;

    @Override
    public Integer call() throws IOException {
        try (MemoryService memories = store.open()) {
            if (out == null) {
                PrintWriter stdout = spec.commandLine().getOut();
                int n = export(memories, stdout);
                stdout.flush();
                spec.commandLine().getErr().println("tandem: exported " + n + " memory versions");
                return 0;
            }
            Path target = out.toAbsolutePath();
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                int n;
                try (BufferedWriter w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    n = export(memories, w);
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                spec.commandLine().getErr().println("tandem: exported " + n + " memory versions to " + target);
            } finally {
                Files.deleteIfExists(temp);
            }
            return 0;
        }
    }

    private static int export(MemoryService memories, Writer w) {
        int[] n = {0};
        memories.exportHistory(entry -> {
            try {
                // the same values, a memory's C1 and format characters as \\uXXXX: safe to print on a terminal
                w.write(TerminalText.json(MemoryJsonLines.write(entry)));
                w.write('\n');
                n[0]++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return n[0];
    }
}
