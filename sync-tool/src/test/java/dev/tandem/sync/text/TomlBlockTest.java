package dev.tandem.sync.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sync.engine.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TomlBlockTest {
    private static final Path FILE = Path.of("config.toml");
    private static final TomlBlock.Fragment FRAGMENT =
            TomlBlock.fragment(Path.of("fragment.toml"), "[mcp_servers.tandem]\nurl = \"http://127.0.0.1:8765/mcp\"\n");

    @Test
    void refusesFragmentWithATopLevelKey() {
        InputException e = assertThrows(
                InputException.class,
                () -> TomlBlock.fragment(
                        Path.of("fragment.toml"), "model = \"o3\"\n[mcp_servers.tandem]\nurl = \"x\"\n"));
        assertEquals(
                "fragment.toml:1:1: top-level key 'model' would fall into the table above the block; put it in a table",
                e.getMessage());
    }

    @Test
    void refusesKeysAfterTheBlockThatWouldJoinItsLastTable() {
        String text = """
                # >>> tandem managed >>>
                [mcp_servers.tandem]
                url = "x"
                # <<< tandem managed <<<
                model = "o3"
                """;
        InputException e = assertThrows(InputException.class, () -> TomlBlock.apply(FILE, Optional.of(text), FRAGMENT));
        assertTrue(e.getMessage().contains("would join [mcp_servers.tandem]"), e.getMessage());
    }

    @Test
    void endMarkerBeforeBeginMarkerNamesItsLine() {
        String text = "a = 1\n# <<< tandem managed <<<\n# >>> tandem managed >>>\n";
        InputException e = assertThrows(InputException.class, () -> TomlBlock.apply(FILE, Optional.of(text), FRAGMENT));
        assertTrue(e.getMessage().startsWith("config.toml:2:1: end marker"), e.getMessage());
    }

    @Test
    void headerLookalikeInsideAMultiLineStringIsNotAManagedTable() {
        String text = "note = \"\"\"\n[mcp_servers.tandem]\n\"\"\"\n";
        String pushed = TomlBlock.apply(FILE, Optional.of(text), FRAGMENT);
        assertTrue(pushed.startsWith(text), pushed);
        assertEquals(text, TomlBlock.remove(FILE, pushed, FRAGMENT));
    }

    @Test
    void driftIsJudgedOnValuesNotText() {
        String rewritten = "[mcp_servers.tandem]\nurl = 'http://127.0.0.1:8765/mcp'\n";
        assertEquals(List.of(), TomlBlock.drift(FILE, Optional.of(rewritten), FRAGMENT));
        String changed = "[mcp_servers.tandem]\nurl = \"http://127.0.0.1:1/mcp\"\nextra = true\n";
        assertEquals(
                List.of(
                        new TomlValues.Difference(
                                "mcp_servers.tandem.url",
                                "\"http://127.0.0.1:8765/mcp\"",
                                "\"http://127.0.0.1:1/mcp\""),
                        new TomlValues.Difference("mcp_servers.tandem.extra", "(absent)", "true")),
                TomlBlock.drift(FILE, Optional.of(changed), FRAGMENT));
    }

    @Test
    void quotedHeaderOfTheManagedTableIsFoundWhenMarkersAreLost() {
        String text = "[mcp_servers.\"tandem\"]\nurl = \"old\"\n\n[other]\nx = 1\n";
        String pushed = TomlBlock.apply(FILE, Optional.of(text), FRAGMENT);
        assertEquals(1, pushed.split("tandem\\]", -1).length - 1, pushed);
        assertTrue(pushed.endsWith("[other]\nx = 1\n"), pushed);
    }

    @Test
    void twoBlocksAreRefusedSayingHowToFix() {
        String block = "# >>> tandem managed >>>\n[mcp_servers.tandem]\nurl = \"x\"\n# <<< tandem managed <<<\n";
        String text = block + "\n" + block.replace("tandem]", "tandem2]");
        InputException e = assertThrows(InputException.class, () -> TomlBlock.apply(FILE, Optional.of(text), FRAGMENT));
        assertEquals(
                "config.toml:6:1: second marker '# >>> tandem managed >>>' (the first is on line 1): two managed"
                        + " blocks; delete one of them, markers included, and push again",
                e.getMessage());
    }

    @Test
    void personTableBetweenIntactMarkersIsKeptOutsideTheBlock() {
        String text = """
                # >>> tandem managed >>>
                [mcp_servers.tandem]
                url = "old"

                [mcp_servers.mine]
                command = "npx"
                # <<< tandem managed <<<
                """;
        String pushed = TomlBlock.apply(FILE, Optional.of(text), FRAGMENT);
        assertTrue(pushed.contains("[mcp_servers.mine]\ncommand = \"npx\"\n"), pushed);
        assertTrue(pushed.indexOf("[mcp_servers.mine]") > pushed.indexOf("# <<< tandem managed <<<"), pushed);
        assertEquals(pushed, TomlBlock.apply(FILE, Optional.of(pushed), FRAGMENT));
    }

    @Test
    void managedTableMovedAboveIntactMarkersIsNotDuplicated() {
        TomlBlock.Fragment fragment = TomlBlock.fragment(
                Path.of("fragment.toml"),
                "[model_providers.openrouter]\nenv_key = \"K\"\n\n[mcp_servers.tandem]\nurl = \"u\"\n");
        // what `codex mcp add` leaves when a server of the person's stood above the block: the servers gathered
        String text = """
                [mcp_servers.github]
                command = "npx"

                [mcp_servers.tandem]
                url = "u"

                # >>> tandem managed >>>
                # Written by 'tandem sync push-runtime'; edits inside this block are replaced.
                [model_providers.openrouter]
                env_key = "K"

                # <<< tandem managed <<<
                """;
        String pushed = TomlBlock.apply(FILE, Optional.of(text), fragment);
        assertEquals(1, pushed.split("\\[mcp_servers\\.tandem]", -1).length - 1, pushed);
        assertTrue(pushed.startsWith("[mcp_servers.github]\ncommand = \"npx\"\n\n# >>> tandem managed >>>"), pushed);
        assertEquals(List.of(), TomlBlock.drift(FILE, Optional.of(pushed), fragment));
    }

    @Test
    void bracketLineInsideAMultiLineArrayIsNotAHeader() {
        String text = "[mcp_servers.tandem]\nurl = \"old\"\nargs = [\n  [\"x\"],\n]\n\n[tui]\nx = 1\n";
        String pushed = TomlBlock.apply(FILE, Optional.of(text), FRAGMENT);
        assertFalse(pushed.contains("[\"x\"]"), pushed);
        assertTrue(pushed.endsWith("[tui]\nx = 1\n"), pushed);
    }
}
