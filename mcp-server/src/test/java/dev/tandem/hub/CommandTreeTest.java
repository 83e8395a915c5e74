package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tandem --help} is one tree: the hub's commands and the sync tool's, each with help and an example. */
class CommandTreeTest {
    private static String run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute(args));
        return out.toString();
    }

    private static List<CommandLine> all(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>(List.of(cl));
        cl.getSubcommands().values().forEach(c -> out.addAll(all(c)));
        return out;
    }

    @Test
    void rootHelpListsEveryCommandOfTheHubAndTheSyncTool() {
        String help = run(Main.commandLine(), "--help");
        for (String command : List.of(
                "serve",
                "token",
                "dashboard",
                "memory",
                "  export",
                "  import",
                "sync",
                "  push-runtime",
                "  pull-runtime",
                "  clean-runtime",
                "  check-sync",
                "agents",
                "  render")) {
            assertTrue(
                    Pattern.compile("(?m)^  " + Pattern.quote(command) + " ")
                            .matcher(help)
                            .find(),
                    command + ":\n" + help);
        }
    }

    @Test
    void everyCommandHasHelpWithAnExampleOfItself() {
        List<CommandLine> commands = all(Main.commandLine());
        assertTrue(commands.size() >= 14, commands.size() + " commands");
        PrintStream err = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            commands.forEach(c -> run(c, "--help"));
        } finally {
            System.setErr(err);
        }
        // a description with a bare % is printed unformatted, with a warning on stderr
        assertEquals("", warnings.toString(StandardCharsets.UTF_8));
        for (CommandLine c : commands) {
            String help = run(c, "--help");
            String name = c.getCommandSpec().qualifiedName();
            assertTrue(help.contains("\nExample"), name + " has no example:\n" + help);
            String examples = help.substring(help.indexOf("\nExample"));
            assertTrue(examples.contains(name), name + "'s example does not run it:\n" + examples);
        }
    }

    @Test
    void syncCommandsParseInTheHubsTreeAsInTheSyncJar() {
        String help =
                run(Main.commandLine(new String[] {"sync", "check-sync", "--help"}), "sync", "check-sync", "--help");
        assertTrue(help.contains("--json"), help);
        assertTrue(help.contains("--config"), help);
    }

    @Test
    void aHubCommandsTreeLeavesTheSyncToolsCommandsOut() {
        CommandLine token = Main.commandLine(new String[] {"token", "--help"});
        assertTrue(token.getSubcommands().containsKey("serve"));
        assertFalse(token.getSubcommands().containsKey("sync"));
    }

    @Test
    void theHubsStartReadsTheServeCommandAloneAndItsHelpIsUnchanged() {
        CommandLine serve = Main.commandLine(new String[] {"serve", "--port", "0"});
        assertEquals(
                List.of("serve", "help"), List.copyOf(serve.getSubcommands().keySet()));
        String alone = run(Main.commandLine(new String[] {"serve", "--help"}), "serve", "--help");
        assertEquals(run(Main.commandLine(), "serve", "--help"), alone);
        assertTrue(alone.contains("--port"), alone);
    }
}
