package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helper runs the way Codex runs it: {@code sh -c CMD} with only HOME and PATH in the environment. */
class AuthHelperTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private Run runHelper(Sandbox s) throws IOException, InterruptedException {
        return runHelper(s, s.home.resolve(".tandem/bin/auth-header").toString());
    }

    private Run runHelper(Sandbox s, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("HOME", s.home.toString());
        env.put("PATH", "/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void helperPrintsTheAuthorizationHeaderWithOnlyHomeAndPathSet() throws Exception {
        Sandbox s = new Sandbox(dir);
        String token = "0123456789abcdef".repeat(4);
        Path tokenFile = s.write(s.home.resolve(".tandem/token"), token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        s.run("push-runtime");
        Run run = runHelper(s);
        assertEquals(0, run.exit(), run.err());
        assertEquals("{\"Authorization\":\"Bearer " + token + "\"}\n", run.out());
    }

    @Test
    void helperReadsATokenFileWithoutFinalNewline() throws Exception {
        Sandbox s = new Sandbox(dir);
        String token = "ab".repeat(32);
        s.write(s.home.resolve(".tandem/token"), token);
        s.run("push-runtime");
        assertEquals(
                "{\"Authorization\":\"Bearer " + token + "\"}\n", runHelper(s).out());
    }

    @Test
    void helperReadsARelativeTokenFileWhereTheHubDoes() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.write(s.home.resolve(".tandem/hub.toml"), "[hub]\ntoken_file = \"keys/token\"\n");
        String token = "cd".repeat(32);
        s.write(s.home.resolve(".tandem/keys/token"), token + "\n");
        assertEquals(0, s.run("push-runtime").exit());
        Run run = runHelper(s);
        assertEquals("{\"Authorization\":\"Bearer " + token + "\"}\n", run.out(), run.err());
    }

    @Test
    void helperReadsTheTokenFileTheEnvironmentNames() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path tokenFile = s.write(dir.resolve("elsewhere/token"), "ef".repeat(32) + "\n");
        s.env.put("TANDEM_TOKEN_FILE", tokenFile.toString());
        assertEquals(0, s.run("push-runtime").exit());
        assertEquals(
                "{\"Authorization\":\"Bearer " + "ef".repeat(32) + "\"}\n",
                runHelper(s).out());
    }

    @Test
    void helperFailsLoudlyWithoutATokenFile() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        Run run = runHelper(s);
        assertEquals(1, run.exit());
        assertEquals("", run.out());
        assertTrue(run.err().contains("run 'tandem token'"), run.err());
    }

    @Test
    void helperSeesTokenRotationOnTheNextRun() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.write(s.home.resolve(".tandem/token"), "aa".repeat(32) + "\n");
        s.run("push-runtime");
        s.write(s.home.resolve(".tandem/token"), "bb".repeat(32) + "\n");
        assertTrue(runHelper(s).out().contains("bb".repeat(32)));
    }

    // ---- each engine on its own credential ------------------------------------------------------------------

    @Test
    void pushGivesEachEngineItsOwnPrivateCredentialBesideThePersonsToken() throws Exception {
        Sandbox s = new Sandbox(dir);
        String person = "aa".repeat(32);
        s.write(s.home.resolve(".tandem/token"), person + "\n");
        assertEquals(0, s.run("push-runtime").exit());
        Path codex = s.home.resolve(".tandem/tokens/codex");
        Path claude = s.home.resolve(".tandem/tokens/claude");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(codex)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(claude)));
        String c = Files.readString(codex).strip();
        String l = Files.readString(claude).strip();
        assertTrue(c.matches("[0-9a-f]{64}") && l.matches("[0-9a-f]{64}"));
        assertTrue(!c.equals(l) && !c.equals(person) && !l.equals(person));
        assertEquals(person, Files.readString(s.home.resolve(".tandem/token")).strip(), "the person's stays");
    }

    @Test
    void eachEnginesConfiguredHelperPrintsItsOwnCredential() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.write(s.home.resolve(".tandem/token"), "aa".repeat(32) + "\n");
        s.run("push-runtime");
        String codexCommand = org.tomlj.Toml.parse(s.read(s.codex("config.toml")))
                .getString("mcp_servers.tandem.http_headers_helper");
        String claudeCommand = dev.tandem.sync.text.JsonText.parseObject(
                        s.home.resolve(".claude.json"), s.read(s.home.resolve(".claude.json")))
                .path("mcpServers")
                .path("tandem")
                .path("headersHelper")
                .asString();
        String codex = Files.readString(s.home.resolve(".tandem/tokens/codex")).strip();
        String claude =
                Files.readString(s.home.resolve(".tandem/tokens/claude")).strip();
        assertEquals(
                "{\"Authorization\":\"Bearer " + codex + "\"}\n",
                runHelper(s, codexCommand).out());
        assertEquals(
                "{\"Authorization\":\"Bearer " + claude + "\"}\n",
                runHelper(s, claudeCommand).out());
    }

    @Test
    void secondPushKeepsTheEngineCredentials() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        String codex = Files.readString(s.home.resolve(".tandem/tokens/codex"));
        s.run("push-runtime");
        assertEquals(codex, Files.readString(s.home.resolve(".tandem/tokens/codex")));
    }

    @Test
    void dryRunMakesNoCredential() {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime", "--dry-run");
        assertTrue(!Files.exists(s.home.resolve(".tandem/tokens/codex")));
    }

    @Test
    void helperOfARevokedEngineFailsAndNeverFallsBackToThePersonsToken() throws Exception {
        Sandbox s = new Sandbox(dir);
        String person = "aa".repeat(32);
        s.write(s.home.resolve(".tandem/token"), person + "\n");
        s.run("push-runtime");
        Files.delete(s.home.resolve(".tandem/tokens/codex"));
        Run run = runHelper(s, s.home.resolve(".tandem/bin/auth-header") + " codex");
        assertEquals(1, run.exit());
        assertEquals("", run.out());
        assertTrue(run.err().contains("run 'tandem sync push-runtime'"), run.err());
        assertTrue(!run.err().contains(person));
    }

    @Test
    void pushAfterRevocationMakesANewCredential() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.run("push-runtime");
        String old = Files.readString(s.home.resolve(".tandem/tokens/claude"));
        Files.delete(s.home.resolve(".tandem/tokens/claude"));
        s.run("push-runtime");
        String fresh = Files.readString(s.home.resolve(".tandem/tokens/claude"));
        assertTrue(!fresh.equals(old));
        assertEquals(old.length(), fresh.length());
    }
}
