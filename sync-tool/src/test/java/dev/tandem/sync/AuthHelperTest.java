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
        String command = s.home.resolve(".tandem/bin/auth-header").toString();
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
}
