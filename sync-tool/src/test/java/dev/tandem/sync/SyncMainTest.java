package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SyncMainTest {
    private static Set<String> subcommands(CommandLine cl, String group) {
        return cl.getSubcommands().get(group).getSubcommands().keySet();
    }

    @Test
    void aNamedLeafCommandGetsATreeWithOnlyThatCommand() {
        CommandLine cl = SyncMain.commandLine(Map.of(), new String[] {"sync", "check-sync", "--json"});
        assertEquals(Set.of("sync", "help"), cl.getSubcommands().keySet());
        assertEquals(Set.of("check-sync"), subcommands(cl, "sync"));
    }

    @Test
    void helpAndUnknownCommandsGetTheWholeTree() {
        for (List<String> args :
                List.<List<String>>of(List.of(), List.of("sync"), List.of("sync", "chek-sync"), List.of("--help"))) {
            CommandLine cl = SyncMain.commandLine(Map.of(), args.toArray(String[]::new));
            assertEquals(Set.of("sync", "agents", "help"), cl.getSubcommands().keySet(), args::toString);
            assertEquals(
                    Set.of("push-runtime", "pull-runtime", "clean-runtime", "check-sync"),
                    subcommands(cl, "sync"),
                    args::toString);
        }
    }

    @Test
    void aMistypedCommandIsNamedWithTheRealOnesListed() {
        String[] args = {"sync", "chek-sync"};
        CommandLine cl = SyncMain.commandLine(Map.of(), args);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.getSubcommands().get("sync").setErr(new PrintWriter(err));
        int code = cl.execute(args);
        assertEquals(2, code, err::toString);
        String text = err.toString();
        assertEquals(true, text.contains("chek-sync") && text.contains("check-sync"), text);
    }
}
