package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tandem help [COMMAND]}, {@code --version} everywhere, completion scripts, and errors without Java. */
class CliHelpAndCompletionTest {
    @TempDir
    Path dir;

    private static List<String> paths(CommandLine cl, List<String> prefix) {
        List<String> out = new ArrayList<>();
        for (var sub : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(prefix);
            p.add(sub.getKey());
            out.add(String.join(" ", p));
            out.addAll(paths(sub.getValue(), p));
        }
        return out;
    }

    @Test
    void helpWithoutACommandPrintsTheRootUsage() {
        TandemCli.Run r = TandemCli.tandem("help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("push-runtime"), r.out());
    }

    @Test
    void helpOfANestedCommandPrintsThatCommandsUsage() {
        TandemCli.Run r = TandemCli.tandem("help", "sync", "check-sync");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("--json"), r.out());
    }

    @Test
    void helpOfAnUnknownCommandNamesTheCommandsThereAre() {
        TandemCli.Run r = TandemCli.tandem("help", "sink");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no command 'sink'") && r.err().contains("sync"), r.err());
    }

    @Test
    void everyCommandAnswersVersion() {
        for (String path : paths(Main.commandLine(), List.of())) {
            List<String> args = new ArrayList<>(List.of(path.split(" ", -1)));
            if (args.getFirst().equals("help")) {
                continue; // help takes command names, not options
            }
            args.add("--version");
            TandemCli.Run r = TandemCli.tandem(args.toArray(String[]::new));
            assertEquals(0, r.exit(), path + ": " + r.err());
            assertTrue(r.out().startsWith("tandem "), path + " printed: '" + r.out() + "'");
        }
    }

    @Test
    void syncJarsTreeAnswersVersionToo() {
        CommandLine cl = dev.tandem.sync.SyncMain.commandLine(java.util.Map.of());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertEquals(0, cl.execute("sync", "--version"));
        assertTrue(out.toString().startsWith("tandem "), out.toString());
    }

    @Test
    void unknownEngineNamesTheAllowedValuesNotAJavaClass() {
        TandemCli.Run r = TandemCli.tandem("sync", "check-sync", "--engine", "cursor");
        assertEquals(2, r.exit());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.contains("codex, claude or all"), first);
        assertFalse(r.err().contains("dev.tandem") || r.err().contains("enum constant"), r.err());
    }

    @Test
    void bashCompletionListsCommandsAndOptions() {
        TandemCli.Run r = TandemCli.tandem("completion", "bash");
        assertEquals(0, r.exit(), r.err());
        for (String word : List.of("push-runtime", "check-sync", "--engine", "serve", "--port", "completion")) {
            assertTrue(r.out().contains(word), word);
        }
    }

    @Test
    void bashAndZshLoadTheScriptWithoutErrors() throws Exception {
        for (String shell : List.of("bash", "zsh")) {
            if (!onPath(shell)) {
                continue;
            }
            Path script = dir.resolve("tandem." + shell);
            Files.writeString(script, TandemCli.tandem("completion", shell).out());
            String load = shell.equals("zsh") ? "autoload -U compinit && compinit -u; source " : "source ";
            assertEquals(
                    0,
                    run(shell, "-c", load + script + " && complete -p tandem >/dev/null || [ -n \"$ZSH_VERSION\" ]"),
                    shell);
        }
    }

    @Test
    void fishCompletionOffersSubcommandsAfterTheirGroup() {
        TandemCli.Run r = TandemCli.tandem("completion", "fish");
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.out()
                        .contains("complete -c tandem -n '__fish_seen_subcommand_from sync; and not"
                                + " __fish_seen_subcommand_from"),
                r.out());
        assertTrue(r.out().contains("-a 'push-runtime'"), r.out());
        assertTrue(r.out().contains("-l engine"), r.out());
    }

    @Test
    void unknownShellNamesTheShellsThereAre() {
        TandemCli.Run r = TandemCli.tandem("completion", "powershell");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("expected bash, zsh or fish"), r.err());
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":", -1)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(System.err);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
