package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sync.text.JsonText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tandem takes back only the keys, array entries, tables and files it created: what the real {@code claude mcp add}
 * and {@code codex mcp add}, or the person by hand, put into any container Tandem touches survives
 * {@code clean-runtime} and {@code clean-runtime --remove}, and what Tandem replaced comes back byte for byte.
 */
class KeyOwnershipTest {
    @TempDir
    Path dir;

    private static final String OTHER_URL = "http://127.0.0.1:9/mcp";

    private Sandbox sandbox() {
        return new Sandbox(dir);
    }

    private static void ok(Sandbox.Result r) {
        assertEquals(0, r.exit(), r.out() + r.err());
    }

    private ObjectNode json(Sandbox s, Path file) {
        return JsonText.parseObject(file, s.read(file));
    }

    private Path claudeJson(Sandbox s) {
        return s.home.resolve(".claude.json");
    }

    private void claudeMcpAddOther(Sandbox s) {
        RealClis.claude(s.home, "mcp", "add", "--transport", "http", "-s", "user", "other", OTHER_URL);
    }

    // ---- ~/.claude.json: mcpServers

    @Test
    void serverAddedByClaudeMcpAddToTheMcpServersTandemCreatedSurvivesClean() {
        Sandbox s = sandbox();
        s.write(claudeJson(s), "{\n  \"numStartups\": 3\n}\n");
        ok(s.run("push-runtime"));
        claudeMcpAddOther(s);
        ok(s.run("clean-runtime"));
        JsonNode servers = json(s, claudeJson(s)).get("mcpServers");
        assertEquals(OTHER_URL, servers.path("other").path("url").asString(), s.read(claudeJson(s)));
        assertTrue(servers.has("tandem"));
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void serverAddedByClaudeMcpAddToTheMcpServersTandemCreatedSurvivesRemove() {
        Sandbox s = sandbox();
        s.write(claudeJson(s), "{\n  \"numStartups\": 3\n}\n");
        ok(s.run("push-runtime"));
        claudeMcpAddOther(s);
        ok(s.run("clean-runtime", "--remove"));
        ObjectNode root = json(s, claudeJson(s));
        assertEquals(
                OTHER_URL, root.path("mcpServers").path("other").path("url").asString(), s.read(claudeJson(s)));
        assertFalse(root.path("mcpServers").has("tandem"));
        assertEquals(3, root.path("numStartups").asInt());
    }

    @Test
    void serverAddedByClaudeMcpAddBesideThePersonsServersSurvivesCleanAndRemove() {
        Sandbox s = sandbox();
        s.write(claudeJson(s), "{\n  \"mcpServers\": {\n    \"mine\": {\n      \"command\": \"x\"\n    }\n  }\n}\n");
        ok(s.run("push-runtime"));
        claudeMcpAddOther(s);
        ok(s.run("clean-runtime"));
        ok(s.run("clean-runtime", "--remove"));
        JsonNode servers = json(s, claudeJson(s)).get("mcpServers");
        assertEquals(List.of("mine", "other"), names(servers), s.read(claudeJson(s)));
    }

    @Test
    void keysClaudeWritesIntoAClaudeJsonTandemCreatedSurviveRemove() {
        Sandbox s = sandbox();
        ok(s.run("push-runtime"));
        claudeMcpAddOther(s);
        ok(s.run("clean-runtime", "--remove"));
        ObjectNode root = json(s, claudeJson(s));
        assertTrue(root.has("firstStartTime"), s.read(claudeJson(s)));
        assertEquals(List.of("other"), names(root.get("mcpServers")));
    }

    /** Rewrites the manifest's record of {@code file} as an older Tandem wrote it: only the shortest missing path. */
    private void legacyRecord(Sandbox s, String file, String pointer) {
        Path manifest = s.home.resolve(".tandem/manifest.json");
        ObjectNode root = json(s, manifest);
        ObjectNode entry = (ObjectNode) root.get("entries").get(file);
        entry.remove(List.of("containers", "added", "original"));
        entry.putObject("priors").putObject(pointer).put("absent", true);
        s.write(manifest, JsonText.print(root, "  ", true));
    }

    @Test
    void anOlderManifestNamingOnlyMcpServersKeepsTheServerClaudeAddedThroughPushAndRemove() {
        Sandbox s = sandbox();
        s.write(claudeJson(s), "{\n  \"numStartups\": 3\n}\n");
        ok(s.run("push-runtime"));
        claudeMcpAddOther(s);
        legacyRecord(s, "~/.claude.json", "/mcpServers");
        ok(s.run("push-runtime"));
        assertEquals(List.of("other", "tandem"), names(json(s, claudeJson(s)).get("mcpServers")));
        legacyRecord(s, "~/.claude.json", "/mcpServers");
        ok(s.run("clean-runtime", "--remove"));
        assertEquals(List.of("other"), names(json(s, claudeJson(s)).get("mcpServers")), s.read(claudeJson(s)));
    }

    @Test
    void anOlderManifestNamingOnlyPermissionsKeepsTheRulesAddedByHandThroughRemove() {
        Sandbox s = sandbox();
        ok(s.run("push-runtime"));
        Path settings = s.claude("settings.json");
        s.write(settings, s.read(settings).replace("\"allow\": [", "\"allow\": [\n      \"Bash(npm test)\","));
        legacyRecord(s, "~/.claude/settings.json", "/permissions");
        ok(s.run("clean-runtime", "--remove"));
        assertEquals(List.of("Bash(npm test)"), strings(json(s, settings).at("/permissions/allow")), s.read(settings));
    }

    // ---- ~/.claude/settings.json: permissions, permissions.allow, the top level

    @Test
    void denyRuleAddedByHandToThePermissionsTandemCreatedSurvivesCleanAndRemove() {
        Sandbox s = sandbox();
        ok(s.run("push-runtime"));
        Path settings = s.claude("settings.json");
        ObjectNode root = json(s, settings);
        ((ObjectNode) root.get("permissions")).putArray("deny").add("Bash(rm -rf *)");
        s.write(settings, JsonText.print(root, "  ", true));
        ok(s.run("clean-runtime"));
        assertEquals(List.of("Bash(rm -rf *)"), strings(json(s, settings).at("/permissions/deny")));
        ok(s.run("clean-runtime", "--remove"));
        ObjectNode after = json(s, settings);
        assertEquals(List.of("Bash(rm -rf *)"), strings(after.at("/permissions/deny")), s.read(settings));
        assertFalse(after.get("permissions").has("allow"), s.read(settings));
    }

    @Test
    void allowRuleAddedByHandToTheAllowListTandemCreatedSurvivesCleanAndRemove() {
        Sandbox s = sandbox();
        ok(s.run("push-runtime"));
        Path settings = s.claude("settings.json");
        s.write(settings, s.read(settings).replace("\"allow\": [", "\"allow\": [\n      \"Bash(npm test)\","));
        ok(s.run("clean-runtime"));
        assertTrue(strings(json(s, settings).at("/permissions/allow")).contains("Bash(npm test)"), s.read(settings));
        ok(s.run("clean-runtime", "--remove"));
        assertEquals(List.of("Bash(npm test)"), strings(json(s, settings).at("/permissions/allow")), s.read(settings));
    }

    @Test
    void allowListThatWasThereGetsBackItsOwnEntriesAndKeepsOnesAddedSince() {
        Sandbox s = sandbox();
        Path settings = s.claude("settings.json");
        s.write(settings, "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(ls:*)\"\n    ]\n  }\n}\n");
        ok(s.run("push-runtime"));
        ObjectNode root = json(s, settings);
        ((tools.jackson.databind.node.ArrayNode) root.at("/permissions/allow")).add("Bash(make:*)");
        s.write(settings, JsonText.print(root, "  ", true));
        ok(s.run("clean-runtime", "--remove"));
        assertEquals(
                List.of("Bash(ls:*)", "Bash(make:*)"), strings(json(s, settings).at("/permissions/allow")));
    }

    @Test
    void topLevelKeyAddedByHandToASettingsFileTandemCreatedSurvivesRemove() {
        Sandbox s = sandbox();
        ok(s.run("push-runtime"));
        Path settings = s.claude("settings.json");
        s.write(settings, s.read(settings).replaceFirst("\\{", "{\n  \"model\": \"opus\","));
        ok(s.run("clean-runtime", "--remove"));
        assertEquals("{\n  \"model\": \"opus\"\n}\n", s.read(settings));
    }

    @Test
    void settingsFileTandemChangedIsRestoredByteForByte() {
        Sandbox s = sandbox();
        Path settings = s.claude("settings.json");
        String mine = "{\"permissions\":{\"allow\":[\"Bash(ls:*)\"]},   \"model\" : \"opus\"}";
        s.write(settings, mine);
        ok(s.run("push-runtime"));
        ok(s.run("clean-runtime", "--remove"));
        assertEquals(mine, s.read(settings));
    }

    // ---- ~/.codex/config.toml: mcp_servers and the top level

    @Test
    void serverAddedByCodexMcpAddToAConfigTandemCreatedSurvivesCleanAndRemove() {
        Sandbox s = sandbox();
        ok(s.run("push-runtime"));
        RealClis.codex(s.home, "mcp", "add", "other", "--url", OTHER_URL);
        ok(s.run("clean-runtime"));
        String config = s.read(s.codex("config.toml"));
        assertTrue(config.contains("[mcp_servers.other]"), config);
        assertTrue(config.contains("[mcp_servers.tandem]"), config);
        ok(s.run("clean-runtime", "--remove"));
        assertEquals(
                "[mcp_servers.other]\nurl = \"" + OTHER_URL + "\"",
                s.read(s.codex("config.toml")).strip());
    }

    @Test
    void serverAddedByCodexMcpAddBesideThePersonsOwnSurvivesCleanAndRemove() {
        Sandbox s = sandbox();
        s.write(s.codex("config.toml"), "model = \"o3\"\n\n[mcp_servers.mine]\ncommand = \"x\"\n");
        ok(s.run("push-runtime"));
        RealClis.codex(s.home, "mcp", "add", "other", "--url", OTHER_URL);
        ok(s.run("clean-runtime"));
        ok(s.run("clean-runtime", "--remove"));
        String config = s.read(s.codex("config.toml"));
        assertTrue(config.contains("[mcp_servers.mine]") && config.contains("[mcp_servers.other]"), config);
        assertFalse(config.contains("tandem"), config);
        assertTrue(config.startsWith("model = \"o3\"\n"), config);
    }

    @Test
    void keysAddedByHandAroundTheBlockTandemCreatedSurviveRemove() {
        Sandbox s = sandbox();
        ok(s.run("push-runtime"));
        Path config = s.codex("config.toml");
        s.write(config, "model = \"o3\"\n" + s.read(config) + "\n[tui]\nnotifications = true\n");
        ok(s.run("clean-runtime", "--remove"));
        assertEquals("model = \"o3\"\n\n[tui]\nnotifications = true\n", s.read(config));
    }

    private static final String FRAGMENT_WITH_PROVIDER = """
            [mcp_servers.tandem]
            url = "{{hub_url}}"

            [model_providers.openrouter]
            name = "OpenRouter"
            base_url = "https://openrouter.ai/api/v1"
            wire_api = "responses"
            env_key = "OPENROUTER_API_KEY"
            """;

    @Test
    void tableTheFragmentNoLongerHasIsTakenBackAfterCodexMcpAddRewroteTheFile() {
        Sandbox s = sandbox();
        Path fragment = s.repo.resolve("clients/codex/config-fragment.toml");
        s.write(fragment, FRAGMENT_WITH_PROVIDER);
        ok(s.run("push-runtime"));
        RealClis.codex(s.home, "mcp", "add", "other", "--url", OTHER_URL);
        s.write(fragment, "[mcp_servers.tandem]\nurl = \"{{hub_url}}\"\n");
        ok(s.run("push-runtime"));
        String config = s.read(s.codex("config.toml"));
        assertFalse(config.contains("model_providers.openrouter"), config);
        assertTrue(config.contains("[mcp_servers.other]"), config);
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void removeTakesBackTheTablesTandemWroteWhenTheFragmentIsGoneAndCodexDroppedTheMarkers() throws Exception {
        Sandbox s = sandbox();
        s.write(s.codex("config.toml"), "model = \"o3\"\n");
        ok(s.run("push-runtime"));
        RealClis.codex(s.home, "mcp", "add", "other", "--url", OTHER_URL);
        Files.delete(s.repo.resolve("clients/codex/config-fragment.toml"));
        ok(s.run("clean-runtime", "--remove"));
        String config = s.read(s.codex("config.toml"));
        assertFalse(config.contains("tandem"), config);
        assertTrue(config.startsWith("model = \"o3\"\n") && config.contains("[mcp_servers.other]"), config);
    }

    // ---- whole files

    @Test
    void fileAddedByHandToADeployedSkillFolderSurvivesRemove() {
        Sandbox s = sandbox();
        ok(s.run("push-runtime"));
        Path mine = s.write(s.claude("skills/recall/notes.md"), "mine\n");
        ok(s.run("clean-runtime", "--remove"));
        assertEquals("mine\n", s.read(mine));
        assertFalse(Files.exists(s.claude("skills/recall/SKILL.md")));
    }

    @Test
    void identicalFileThatWasThereBeforeThePushSurvivesRemove() {
        Sandbox s = sandbox();
        ok(s.run("push-runtime"));
        Path memory = s.claude("tandem/memory/working-agreements.md");
        String text = s.read(memory);
        ok(s.run("clean-runtime", "--remove"));
        s.write(memory, text);
        ok(s.run("push-runtime"));
        ok(s.run("clean-runtime", "--remove"));
        assertEquals(text, s.read(memory));
    }

    private static List<String> names(JsonNode object) {
        return object.propertyNames().stream().sorted().toList();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asString)
                .toList();
    }
}
