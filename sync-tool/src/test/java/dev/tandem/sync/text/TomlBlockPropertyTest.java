package dev.tandem.sync.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * Generates random Codex configs (comments, CRLF, BOM, no final newline, inline tables, arrays of tables,
 * multi-line strings, an old managed block somewhere) and checks the splice's promises on each.
 */
class TomlBlockPropertyTest {
    private static final int RUNS = 1000;
    private static final long SEED = Long.getLong("tandem.seed", 20261121L);
    private static final Path FILE = Path.of("config.toml");
    private static final TomlBlock.Fragment FRAGMENT = TomlBlock.fragment(Path.of("fragment.toml"), """
            # hub entry
            [mcp_servers.tandem]
            url = "http://127.0.0.1:8765/mcp"
            http_headers_helper = "/home/me/.tandem/bin/auth-header"
            startup_timeout_sec = 20
            env_http_headers = { "X-Trace" = "TRACE" }

            [profiles.tandem]
            model = "o3"
            """);

    @Test
    void contentOutsideTheBlockIsByteIdenticalAfterPushAndAfterClean() {
        Random random = new Random(SEED);
        for (int run = 0; run < RUNS; run++) {
            Generated g = generate(random);
            String context = "seed " + SEED + " run " + run + ":\n" + g.text();
            String pushed = TomlBlock.apply(FILE, Optional.of(g.text()), FRAGMENT);
            assertEquals(g.outside(), TomlBlock.remove(FILE, pushed, FRAGMENT), context);
            assertEquals(pushed, TomlBlock.apply(FILE, Optional.of(pushed), FRAGMENT), context);
            assertEquals(List.of(), TomlBlock.drift(FILE, Optional.of(pushed), FRAGMENT), context);
            TomlParseResult parsed = Toml.parse(Lines.parse(pushed).body());
            assertFalse(parsed.hasErrors(), context);
            assertEquals(
                    TomlValues.plain(Toml.parse(Lines.parse(g.outside()).body()).get("keep")),
                    TomlValues.plain(parsed.get("keep")),
                    context);
        }
    }

    /** A generated file and what it is without any managed block. */
    private record Generated(String text, String outside) {}

    private static Generated generate(Random r) {
        String eol = r.nextInt(4) == 0 ? "\r\n" : "\n";
        List<String> lines = new ArrayList<>();
        int rootKeys = r.nextInt(4);
        for (int i = 0; i < rootKeys; i++) {
            trivia(r, lines);
            lines.add("root_" + i + " = " + value(r) + comment(r));
        }
        int tables = r.nextInt(6);
        int blockAt = r.nextInt(tables + 2) - 1;
        List<String> withBlock = null;
        for (int t = 0; t <= tables; t++) {
            if (t == blockAt) {
                withBlock = new ArrayList<>(lines);
                withBlock.addAll(oldBlock(r));
            }
            if (t == tables) {
                break;
            }
            trivia(r, lines);
            if (withBlock != null) {
                trivia(r, withBlock);
            }
            List<String> table = table(r, t);
            lines.addAll(table);
            if (withBlock != null) {
                withBlock.addAll(table);
            }
        }
        boolean bom = r.nextInt(8) == 0;
        boolean finalNewline = r.nextInt(4) != 0;
        String outside = join(lines, eol, bom, finalNewline);
        String text = withBlock == null ? outside : join(withBlock, eol, bom, finalNewline);
        if (withBlock != null) {
            outside = TomlBlock.remove(FILE, text, FRAGMENT);
        }
        return new Generated(text, outside);
    }

    private static String join(List<String> lines, String eol, boolean bom, boolean finalNewline) {
        String body = String.join(eol, lines) + (finalNewline && !lines.isEmpty() ? eol : "");
        return (bom ? "\uFEFF" : "") + body;
    }

    private static List<String> oldBlock(Random r) {
        List<String> out = new ArrayList<>();
        out.add("# >>> tandem managed >>>");
        out.add("[mcp_servers.tandem]");
        out.add("url = \"http://127.0.0.1:" + (1000 + r.nextInt(9000)) + "/mcp\"");
        if (r.nextBoolean()) {
            out.add("bearer_token_env_var = \"TANDEM_TOKEN\"");
        }
        out.add("# <<< tandem managed <<<");
        return out;
    }

    private static List<String> table(Random r, int t) {
        List<String> out = new ArrayList<>();
        String name = switch (r.nextInt(4)) {
            case 0 -> "[keep.t" + t + "]";
            case 1 -> "[mcp_servers.server_" + t + "]";
            case 2 -> "[[keep.list_" + t + "]]";
            default -> "[ keep . \"quoted key " + t + "\" ]";
        };
        out.add(name + comment(r));
        int keys = r.nextInt(4);
        for (int k = 0; k < keys; k++) {
            if (r.nextInt(5) == 0) {
                out.add("text_" + k + " = \"\"\"");
                out.add("[not.a.table]");
                out.add("  ünïcode ✓ line\"\"\"");
            } else {
                out.add("key_" + k + " = " + value(r) + comment(r));
            }
            trivia(r, out);
        }
        return out;
    }

    private static void trivia(Random r, List<String> out) {
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            out.add(
                    switch (r.nextInt(4)) {
                        case 0 -> "";
                        case 1 -> "# a comment with [brackets] and ünïcode " + r.nextInt(100);
                        case 2 -> "   ";
                        default -> "#";
                    });
        }
    }

    private static String value(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> "\"str " + r.nextInt(1000) + " # not a comment\"";
            case 1 -> String.valueOf(r.nextInt(100000) - 500);
            case 2 -> r.nextInt(100) + ".5";
            case 3 -> String.valueOf(r.nextBoolean());
            case 4 -> "[1, 2, \"three\"]";
            case 5 -> "{ a = 1, b = \"x\" }";
            default -> "'literal \\ string'";
        };
    }

    private static String comment(Random r) {
        return r.nextInt(3) == 0 ? "   # trailing " + r.nextInt(10) : "";
    }
}
