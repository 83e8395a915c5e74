package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped OpenRouter provider and role profiles: commented out they deploy nothing; uncommented they are
 * deployed (the provider in the managed block, each profile as {@code $CODEX_HOME/<role>.config.toml}, the file
 * {@code codex -p <role>} reads) and check-sync reports drift in them. Keys stay in environment variables.
 */
class ProvidersAndProfilesTest {
    private static final List<String> ROLES = List.of("planner", "tools", "agentic", "cheap");

    @TempDir
    Path tmp;

    private static String uncomment(String text) {
        return text.lines()
                .map(l -> l.matches("# ?(\\[[a-z_.]+]|[a-z_]+ = .*)") ? l.replaceFirst("^# ?", "") : l)
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void openRouterProviderShipsCommentedOutAndOnceUncommentedIsDeployedAndChecked() {
        Sandbox s = new Sandbox(tmp);
        Path fragment = s.repo.resolve("clients/codex/config-fragment.toml");
        String shipped = s.read(fragment);
        assertTrue(shipped.contains("# [model_providers.openrouter]"), shipped);
        assertTrue(shipped.contains("# env_key = \"OPENROUTER_API_KEY\""), shipped);
        s.write(fragment, shipped.replace("# default_tools_approval_mode", "#- default_tools_approval_mode"));
        s.write(fragment, uncomment(s.read(fragment)));

        assertEquals(0, s.run("push-runtime").exit());
        Path config = s.codex("config.toml");
        String pushed = s.read(config);
        assertTrue(pushed.contains("[model_providers.openrouter]\nname = \"OpenRouter\""), pushed);
        assertEquals(0, s.run("check-sync").exit());

        s.write(config, pushed.replace("https://openrouter.ai/api/v1", "https://elsewhere.example/v1"));
        Sandbox.Result check = s.run("check-sync");
        assertEquals(1, check.exit(), check.out());
        assertTrue(check.out().contains("model_providers.openrouter.base_url"), check.out());
    }

    @Test
    void roleProfilesShipCommentedOutAndDeployNothingUntilUncommented() {
        Sandbox s = new Sandbox(tmp);
        for (String role : ROLES) {
            Path source = s.repo.resolve("clients/codex/profiles/" + role + ".config.toml");
            assertTrue(Files.exists(source), source + " is shipped");
        }

        assertEquals(0, s.run("push-runtime").exit());

        for (String role : ROLES) {
            assertFalse(Files.exists(s.codex(role + ".config.toml")), role + " is not deployed while commented out");
        }
    }

    @Test
    void uncommentedProfileIsDeployedWhereCodexReadsItAndDriftIsReported() {
        Sandbox s = new Sandbox(tmp);
        Path source = s.repo.resolve("clients/codex/profiles/cheap.config.toml");
        s.write(source, uncomment(s.read(source)));

        assertEquals(0, s.run("push-runtime").exit());
        Path deployed = s.codex("cheap.config.toml");
        assertEquals(s.read(source), s.read(deployed));
        assertEquals(0, s.run("check-sync").exit());

        s.write(deployed, s.read(deployed).replace("openai/gpt-5-mini", "something/else"));
        Sandbox.Result check = s.run("check-sync");
        assertEquals(1, check.exit(), check.out());
        assertTrue(check.out().contains("edited: " + deployed), check.out());

        s.write(source, "# commented out again\n");
        assertEquals(1, s.run("push-runtime").exit(), "the edited profile is not deleted silently");
        assertTrue(Files.exists(deployed));
        assertEquals(0, s.run("push-runtime", "--force", deployed.toString()).exit());
        assertFalse(Files.exists(deployed), "a profile commented out again is removed");
    }

    @Test
    void profilesTableInTheFragmentIsRefusedWithWhereItBelongs() {
        Sandbox s = new Sandbox(tmp);
        Path fragment = s.repo.resolve("clients/codex/config-fragment.toml");
        s.write(fragment, s.read(fragment) + "\n[profiles.planner]\nmodel = \"o3\"\n");

        Sandbox.Result push = s.run("push-runtime");

        assertEquals(2, push.exit(), push.out());
        assertTrue(push.err().contains("clients/codex/profiles/planner.config.toml"), push.err());
        assertFalse(Files.exists(s.codex("config.toml")));
    }

    @Test
    void providerKeyWrittenIntoTheFragmentIsRefusedAndNotEchoed() {
        Sandbox s = new Sandbox(tmp);
        Path fragment = s.repo.resolve("clients/codex/config-fragment.toml");
        s.write(
                fragment,
                s.read(fragment)
                        + "\n[model_providers.openrouter]\nbase_url = \"https://openrouter.ai/api/v1\"\n"
                        + "experimental_bearer_token = \"sk-or-secret-123\"\n");

        Sandbox.Result push = s.run("push-runtime");

        assertEquals(2, push.exit(), push.out());
        assertTrue(push.err().contains("env_key"), push.err());
        assertFalse((push.out() + push.err()).contains("sk-or-secret-123"));
    }

    @Test
    void claudeSettingsEnvHoldingAKeyIsRefused() {
        Sandbox s = new Sandbox(tmp);
        s.write(
                s.repo.resolve("clients/claude/settings-fragment.json"),
                "{\"model\": \"claude-opus-4-1\", \"env\": {\"ANTHROPIC_BASE_URL\": \"https://openrouter.ai/api\","
                        + " \"ANTHROPIC_AUTH_TOKEN\": \"sk-or-secret-456\"}}\n");

        Sandbox.Result push = s.run("push-runtime");

        assertEquals(2, push.exit(), push.out());
        assertTrue(push.err().contains("env.ANTHROPIC_AUTH_TOKEN"), push.err());
        assertFalse((push.out() + push.err()).contains("sk-or-secret-456"));
        assertFalse(Files.exists(s.claude("settings.json")));
    }
}
