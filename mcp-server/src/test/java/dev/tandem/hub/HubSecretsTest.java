package dev.tandem.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub started in a fake {@code $HOME} with the home folder as its root ({@code --root ~}) holding the hub's own token,
 * SSH keys and other credentials: no fs tool reads, lists, searches or writes any of them, by any path.
 */
class HubSecretsTest {
    private static final Pattern READY = Pattern.compile("tandem hub listening on http://127\\.0\\.0\\.1:(\\d+)/mcp");
    /** Every secret file holds this, and one ordinary file does too. */
    static final String NEEDLE = "NEEDLE-7f3a";

    static final List<String> SECRETS = List.of(
            ".ssh/id_ed25519",
            ".ssh/config",
            ".gnupg/private-keys-v1.d/key.key",
            ".aws/credentials",
            ".config/gcloud/application_default_credentials.json",
            ".azure/msal_token_cache.json",
            ".kube/config",
            ".docker/config.json",
            ".netrc",
            ".git-credentials",
            ".npmrc",
            ".pypirc",
            ".codex/auth.json",
            ".claude/.credentials.json",
            ".claude.json",
            ".config/gh/hosts.yml",
            "project/.env",
            "project/.env.local",
            "private/diary.txt",
            ".tandem/hub.toml");

    @TempDir
    Path home;

    ChildHub child;
    McpSyncClient client;
    String token;
    final List<String> outputs = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        for (String s : SECRETS) {
            Path p = home.resolve(s);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "secret " + NEEDLE + "\n");
        }
        Files.writeString(home.resolve(".tandem/hub.toml"), "[fs]\ndeny_extra = [\"~/private\"]\n# " + NEEDLE + "\n");
        Files.writeString(home.resolve("project/readme.md"), "plain " + NEEDLE + "\n");
        Files.writeString(home.resolve("project/.env.example"), "API_KEY=\n");
        Files.createSymbolicLink(home.resolve("project/keys"), Path.of("../.ssh"));
        Files.createSymbolicLink(home.resolve("project/token-link"), Path.of("../.tandem/token"));
        child = ChildHub.run(
                home,
                "serve",
                "--port",
                "0",
                "--root",
                home.toString(),
                "--portfolio",
                Files.createDirectories(home.resolve("portfolio")).toString());
        String line = child.readLine();
        assertNotNull(line, () -> child.stderr());
        Matcher m = READY.matcher(line);
        assertTrue(m.matches(), line);
        token = Files.readString(home.resolve(".tandem/token")).strip();
        client = ChildHub.client(Integer.parseInt(m.group(1)), token, "claude-code", Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        try {
            client.closeGracefully();
        } catch (RuntimeException e) {
            // the hub is already stopped in the warning test
        }
        child.close();
        for (String out : outputs) {
            assertFalse(out.contains(token), () -> "the token leaked: " + out);
            assertFalse(out.contains("secret " + NEEDLE), () -> "a secret leaked: " + out);
        }
    }

    @Test
    void startingWithTheHomeFolderAsRootPrintsAWarning() throws Exception {
        child.process.destroy();
        child.waitFor(15);
        String stderr = child.stderr();
        assertTrue(stderr.contains("tandem: WARNING: root " + home.toRealPath() + " is your home folder"), stderr);
    }

    @Test
    void everySecretIsRefusedToRead() throws IOException {
        List<String> paths = new ArrayList<>(SECRETS);
        paths.addAll(List.of(
                ".tandem/token",
                ".tandem/data/memory.db",
                "project/keys/id_ed25519",
                "project/token-link",
                "project/../.ssh/id_ed25519",
                home + "/.ssh/id_ed25519",
                ".SSH/id_ed25519",
                ".ssh/../.ssh/config"));
        Files.createDirectories(home.resolve(".SSH"));
        Files.writeString(home.resolve(".SSH/id_ed25519"), "secret " + NEEDLE + "\n");
        for (String p : paths) {
            String error = error("fs_read", Map.of("path", p));
            assertTrue(error.contains("refused"), () -> p + ": " + error);
        }
    }

    @Test
    void listingNeverShowsSecretsAndListingASecretFolderIsRefused() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries =
                (List<Map<String, Object>>) ok("fs_list", Map.of("depth", 4)).get("entries");
        List<Object> paths = entries.stream().map(e -> e.get("path")).toList();
        assertTrue(paths.contains("project/readme.md"), paths::toString);
        assertTrue(paths.contains("project/.env.example"), paths::toString);
        for (Object p : paths) {
            String s = p.toString();
            assertFalse(
                    s.startsWith(".ssh")
                            || s.startsWith(".tandem")
                            || s.startsWith(".aws")
                            || s.equals(".netrc")
                            || s.equals("project/.env")
                            || s.startsWith("private")
                            || s.equals(".claude.json")
                            || s.startsWith(".codex/auth")
                            || s.startsWith(".gnupg"),
                    s);
        }
        for (String folder : List.of(".ssh", ".tandem", ".gnupg", "private", "project/keys")) {
            assertTrue(error("fs_list", Map.of("path", folder)).contains("refused"), folder);
        }
    }

    @Test
    void searchSkipsSecretsAndSearchingASecretFolderIsRefused() {
        Map<String, Object> out = ok("fs_search", Map.of("query", NEEDLE, "include_hidden", true));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> matches = (List<Map<String, Object>>) out.get("matches");
        assertEquals(
                List.of("project/readme.md"),
                matches.stream().map(x -> x.get("path")).toList());
        for (String folder : List.of(".ssh", ".tandem", ".aws", "project/keys")) {
            assertTrue(
                    error("fs_search", Map.of("path", folder, "query", NEEDLE)).contains("refused"), folder);
        }
    }

    @Test
    void writingOrReplacingSecretsIsRefusedAndChangesNothing() throws IOException {
        for (String p : List.of(
                ".ssh/authorized_keys",
                ".ssh/id_ed25519",
                ".tandem/hub.toml",
                ".tandem/token",
                ".aws/config",
                "project/keys/authorized_keys",
                "project/.env",
                ".bashrc-not-denied/../.netrc")) {
            assertTrue(error("fs_write", Map.of("path", p, "content", "pwned")).contains("refused"), p);
        }
        assertFalse(Files.exists(home.resolve(".ssh/authorized_keys")));
        assertEquals(token, Files.readString(home.resolve(".tandem/token")).strip());
        String r = error("fs_replace", Map.of("path", ".tandem/hub.toml", "old_text", "deny_extra", "new_text", "x"));
        assertTrue(r.contains("refused"), r);
        assertTrue(Files.readString(home.resolve(".tandem/hub.toml")).contains("deny_extra"));
    }

    private Map<String, Object> ok(String tool, Map<String, Object> args) {
        return ToolResults.ok(tool + " " + args, call(tool, args));
    }

    private String error(String tool, Map<String, Object> args) {
        return ToolResults.error(tool + " " + args, call(tool, args));
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(
                McpSchema.CallToolRequest.builder(tool).arguments(args).build());
        r.content().forEach(c -> outputs.add(c instanceof McpSchema.TextContent t ? t.text() : c.toString()));
        return r;
    }
}
