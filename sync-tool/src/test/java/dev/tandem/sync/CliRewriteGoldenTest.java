package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sync.text.JsonText;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Golden cases recorded from the real CLIs by {@code .ci/cli-rewrites --record}, one folder per CLI release and
 * command under {@code src/test/resources/cli-rewrites/<cli>-<version>-<what>/}: {@code start.*} pushed gives
 * {@code pushed.*}; the CLI ({@code command}) turned that into {@code rewritten.*}; the next push must give
 * {@code healed.*}, keep every server of the person's, leave one managed table, let check-sync exit 0 and
 * leave nothing for a third push. {@code .ci/cli-rewrites} reruns the CLIs to prove the recordings still hold.
 */
class CliRewriteGoldenTest {
    private static final Pattern CODEX_SERVER = Pattern.compile("(?m)^\\[mcp_servers\\.([A-Za-z0-9_-]+)]");

    static Stream<String> cases() throws IOException, URISyntaxException {
        Path root = Path.of(Objects.requireNonNull(CliRewriteGoldenTest.class.getResource("/cli-rewrites"))
                .toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            List<String> names = dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nextPushHealsWhatTheCliWrote(String name, @TempDir Path tmp) throws Exception {
        Path dir = Path.of(Objects.requireNonNull(getClass().getResource("/cli-rewrites/" + name))
                .toURI());
        Sandbox s = new Sandbox(tmp);
        boolean codex = name.startsWith("codex-");
        String ext = codex ? "toml" : "json";
        Path target = codex ? s.codex("config.toml") : s.home.resolve(".claude.json");
        if (codex) {
            s.write(s.repo.resolve("clients/codex/config-fragment.toml"), read(dir.resolve("fragment.toml")));
        }
        Path start = dir.resolve("start." + ext);
        if (Files.exists(start)) {
            s.write(target, golden(s, start));
        }
        assertEquals(0, s.run("push-runtime").exit(), "first push");
        assertEquals(golden(s, dir.resolve("pushed." + ext)), s.read(target), "the first push gives pushed." + ext);

        String rewritten = golden(s, dir.resolve("rewritten." + ext));
        s.write(target, rewritten);
        Sandbox.Result before = s.run("check-sync");
        assertNotEquals(2, before.exit(), "check-sync on what the CLI wrote: " + before.out() + before.err());

        Sandbox.Result push = s.run("push-runtime");
        assertEquals(0, push.exit(), push.err());
        String healed = s.read(target);
        assertEquals(golden(s, dir.resolve("healed." + ext)), healed, "the next push gives healed." + ext);
        if (codex) {
            assertEquals(
                    1,
                    CODEX_SERVER
                            .matcher(healed)
                            .results()
                            .filter(m -> m.group(1).equals("tandem"))
                            .count(),
                    "one [mcp_servers.tandem]");
            for (String server : codexServers(rewritten)) {
                assertTrue(codexServers(healed).contains(server), "the person's server " + server + " is kept");
            }
        } else {
            Map<String, JsonNode> was = claudeServers(target, rewritten);
            Map<String, JsonNode> now = claudeServers(target, healed);
            was.forEach((k, v) ->
                    assertTrue(k.equals("tandem") || v.equals(now.get(k)), "the person's server " + k + " is kept"));
        }
        Sandbox.Result check = s.run("check-sync");
        assertEquals(0, check.exit(), check.out() + check.err());
        Map<String, String> after = s.snapshot();
        assertTrue(s.run("push-runtime").out().contains("nothing to write"), "a third push writes nothing");
        assertEquals(after, s.snapshot());
    }

    private static List<String> codexServers(String toml) {
        return CODEX_SERVER.matcher(toml).results().map(m -> m.group(1)).toList();
    }

    private static Map<String, JsonNode> claudeServers(Path file, String json) {
        ObjectNode root = JsonText.parseObject(file, json);
        JsonNode servers = root.get("mcpServers");
        return servers == null
                ? Map.of()
                : servers.properties().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String golden(Sandbox s, Path file) throws IOException {
        return read(file).replace("{{home}}", s.home.toString());
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
