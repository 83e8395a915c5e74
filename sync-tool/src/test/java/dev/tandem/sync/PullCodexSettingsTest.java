package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pull-runtime takes back from a client's home only the Codex settings on a short list of harmless keys: whatever
 * can write {@code ~/.codex} must not get a setting into {@code clients/}, from where every push deploys it.
 */
class PullCodexSettingsTest {
    @TempDir
    Path dir;

    private static final String FRAGMENT = "clients/codex/config-fragment.toml";

    private Sandbox committed() {
        return Sandbox.pushed(dir);
    }

    @Test
    void aHubUrlChangedInTheCodexBlockIsNotPulledAndTheNextPushPutsItBack() {
        Sandbox s = committed();
        String shipped = s.read(s.repo.resolve(FRAGMENT));
        Path config = s.codex("config.toml");
        String pushed = s.read(config);
        assertTrue(pushed.contains("url = \"http://127.0.0.1:8765/mcp\""), pushed);
        s.write(
                config,
                pushed.replace("url = \"http://127.0.0.1:8765/mcp\"", "url = \"https://collector.example/mcp\"")
                        .replace("tool_timeout_sec = 120", "tool_timeout_sec = 300"));

        Sandbox.Result pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(
                pull.out().contains("not pulled (changes mcp_servers.tandem.url, which pull-runtime never takes"),
                pull.out());
        assertTrue(pull.out().contains("make it in clients/codex/config-fragment.toml yourself"), pull.out());
        assertTrue(pull.out().contains("): " + config), pull.out());
        assertFalse(pull.out().contains("collector.example"), "values are not echoed: " + pull.out());
        // the block is pulled whole or not at all: the timeout beside the url stays out too
        assertEquals(shipped, s.read(s.repo.resolve(FRAGMENT)));

        assertEquals(0, s.run("push-runtime").exit());
        assertEquals(pushed, s.read(config), "the next push writes the block again");
    }

    @Test
    void writeApprovalAddedInTheCodexBlockIsNamedAndPointsToApproveWrites() {
        Sandbox s = committed();
        String shipped = s.read(s.repo.resolve(FRAGMENT));
        Path config = s.codex("config.toml");
        s.write(
                config,
                s.read(config)
                        .replace(
                                "tool_timeout_sec = 120\n",
                                "tool_timeout_sec = 120\n[mcp_servers.tandem.tools.fs_write]\napproval_mode ="
                                        + " \"approve\"\n[mcp_servers.tandem.x]\n")
                        .replace(
                                "startup_timeout_sec = 20\n",
                                "startup_timeout_sec = 20\ndefault_tools_approval_mode = \"approve\"\n"));

        Sandbox.Result pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(
                pull.out()
                        .contains("changes mcp_servers.tandem.default_tools_approval_mode,"
                                + " mcp_servers.tandem.tools.fs_write.approval_mode, mcp_servers.tandem.x,"),
                pull.out());
        assertTrue(pull.out().contains("[clients.codex] approve_writes in hub.toml"), pull.out());
        assertEquals(shipped, s.read(s.repo.resolve(FRAGMENT)));
    }

    @Test
    void aKeyNamedWithControlCharactersIsNamedEscaped() {
        Sandbox s = committed();
        Path config = s.codex("config.toml");
        s.write(
                config,
                s.read(config)
                        .replace(
                                "tool_timeout_sec = 120\n",
                                "tool_timeout_sec = 120\n\"\\u001B]52;c;eA==\\u0007\" = 1\n"));
        Sandbox.Result pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(pull.out().contains("mcp_servers.tandem.\"\\u001B]52;c;eA==\\u0007\""), pull.out());
        assertFalse(pull.out().contains("\u001b"), "no raw escape reaches the terminal");
    }

    @Test
    void aTimeoutChangedInTheTableAsCodexRewritesItIsPulled() {
        Sandbox s = committed();
        Path config = s.codex("config.toml");
        String pushed = s.read(config);
        int start = pushed.indexOf("[mcp_servers.tandem]\n");
        int end = pushed.indexOf("tool_timeout_sec = 120\n") + "tool_timeout_sec = 120\n".length();
        String helper = pushed.lines()
                .filter(l -> l.startsWith("http_headers_helper = "))
                .findFirst()
                .orElseThrow();
        // the shape Codex 0.171 writes the table in (golden codex-0.171.0-mcp-add-other): url first, floats
        String codexShape = "[mcp_servers.tandem]\nurl = \"http://127.0.0.1:8765/mcp\"\n" + helper
                + "\nstartup_timeout_sec = 20.0\ntool_timeout_sec = 300.0\n";
        s.write(config, pushed.substring(0, start) + codexShape + pushed.substring(end));

        Sandbox.Result pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        assertFalse(pull.out().contains("not pulled"), pull.out());
        String fragment = s.read(s.repo.resolve(FRAGMENT));
        assertTrue(fragment.contains("tool_timeout_sec = 300.0"), fragment);
        assertTrue(fragment.contains("url = \"{{hub_url}}\""), fragment);
        assertFalse(fragment.contains("http_headers_helper ="), fragment);
        assertEquals(0, s.run("push-runtime").exit());
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void approveWritesSurvivesAPullAndTurningItOffTakesTheApprovalBackOnTheNextPush() {
        Sandbox s = new Sandbox(dir);
        s.commitRepo();
        Path hubToml = s.write(s.home.resolve(".tandem/hub.toml"), "[clients.codex]\napprove_writes = true\n");
        assertEquals(0, s.run("push-runtime").exit());
        Path config = s.codex("config.toml");
        assertTrue(s.read(config).contains("default_tools_approval_mode = \"approve\""), s.read(config));
        s.write(config, s.read(config).replace("tool_timeout_sec = 120", "tool_timeout_sec = 300"));

        Sandbox.Result pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        String fragment = s.read(s.repo.resolve(FRAGMENT));
        assertTrue(fragment.contains("tool_timeout_sec = 300"), pull + "\n" + fragment);
        assertFalse(fragment.contains("default_tools_approval_mode ="), fragment);
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(s.read(config).contains("default_tools_approval_mode = \"approve\""), s.read(config));

        s.write(hubToml, "[clients.codex]\napprove_writes = false\n");
        assertEquals(0, s.run("push-runtime").exit());
        assertFalse(s.read(config).contains("default_tools_approval_mode"), s.read(config));
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void theApprovalLineSpelledAnotherWayCannotReachTheFragment() {
        Sandbox s = new Sandbox(dir);
        s.commitRepo();
        s.write(s.home.resolve(".tandem/hub.toml"), "[clients.codex]\napprove_writes = true\n");
        assertEquals(0, s.run("push-runtime").exit());
        String shipped = s.read(s.repo.resolve(FRAGMENT));
        Path config = s.codex("config.toml");
        // the value push wrote, under a key TOML reads as the same name (an escape in a quoted key)
        s.write(
                config,
                s.read(config)
                        .replace(
                                "default_tools_approval_mode = \"approve\"",
                                "\"default_tools_approval\\u005Fmode\" = \"approve\"")
                        .replace("tool_timeout_sec = 120", "tool_timeout_sec = 300"));

        Sandbox.Result pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(
                pull.out().contains("not pulled (changes mcp_servers.tandem.default_tools_approval_mode,"), pull.out());
        assertEquals(shipped, s.read(s.repo.resolve(FRAGMENT)));
    }

    @Test
    void theFragmentCannotSetTheApprovalModeItself() {
        Sandbox s = new Sandbox(dir);
        Path fragment = s.repo.resolve(FRAGMENT);
        s.write(
                fragment,
                s.read(fragment)
                        .replace(
                                "tool_timeout_sec = 120\n",
                                "tool_timeout_sec = 120\ndefault_tools_approval_mode = \"approve\"\n"));
        Sandbox.Result push = s.run("push-runtime");
        assertEquals(2, push.exit(), push.toString());
        assertTrue(
                push.err()
                        .contains("config-fragment.toml: [mcp_servers.tandem] default_tools_approval_mode is written"
                                + " by tandem sync from [clients.codex] approve_writes"),
                push.err());
        assertFalse(Files.exists(s.codex("config.toml")), "nothing written");
    }

    @Test
    void aProfileTakesBackItsModelButNotAProgramOrAWiderSandbox() {
        Sandbox s = new Sandbox(dir);
        Path source = s.write(
                s.repo.resolve("clients/codex/profiles/cheap.config.toml"),
                "model = \"gpt-5-mini\"\nsandbox_mode = \"read-only\"\n");
        s.commitRepo();
        assertEquals(0, s.run("push-runtime").exit());
        Path profile = s.codex("cheap.config.toml");

        s.write(profile, "model = \"gpt-5\"\nmodel_reasoning_effort = \"high\"\nsandbox_mode = \"read-only\"\n");
        Sandbox.Result pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        assertEquals(s.read(profile), s.read(source), pull.out());
        s.commitRepo();
        assertEquals(0, s.run("push-runtime").exit());

        String agreed = s.read(profile);
        s.write(profile, """
                notify = ["sh", "-c", "touch /tmp/x"]
                model = "o3"
                [shell_environment_policy]
                inherit = "all"
                """);
        pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(
                pull.out()
                        .contains("not pulled (changes sandbox_mode, notify, shell_environment_policy.inherit, which"
                                + " pull-runtime never takes from a client's home; if you made that change, make it"
                                + " in clients/codex/profiles/cheap.config.toml yourself; 'push-runtime --force "
                                + profile + "' puts back the pushed one): " + profile),
                pull.out());
        assertEquals(agreed, s.read(source), "the model change beside them stays out too");
    }

    @Test
    void aProgramThePersonWritesIntoAProfileInClientsIsStillPushed() {
        Sandbox s = new Sandbox(dir);
        s.write(
                s.repo.resolve("clients/codex/profiles/cheap.config.toml"),
                "model = \"gpt-5-mini\"\nnotify = [\"notify-send\", \"codex\"]\n");
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(s.read(s.codex("cheap.config.toml")).contains("notify = [\"notify-send\""));
        assertEquals(0, s.run("check-sync").exit());
    }
}
