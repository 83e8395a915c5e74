package dev.tandem.hub.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.Section;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tomlj.Toml;
import org.tomlj.TomlTable;

class GitSettingsTest {
    @TempDir
    Path dir;

    private GitSettings parse(String toml) {
        TomlTable git = Toml.parse(toml).getTable("git");
        return GitSettings.from(
                Section.of(dir.resolve("hub.toml"), "git", git, dir.resolve("home")), dir.resolve("home"));
    }

    @Test
    void readsAuthorForceAndDiffCap() {
        GitSettings s = parse("""
                [git]
                author_name = "Hub"
                author_email = "hub@example.org"
                allow_force = true
                max_diff_bytes = 1024
                """);
        assertEquals(Optional.of("Hub"), s.authorName());
        assertTrue(s.allowForce());
        assertEquals(1024, s.maxDiffBytes());
    }

    @Test
    void wrongTypeNamesTheFileLineAndKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                [git]
                allow_force = "yes"
                """));
        assertTrue(e.getMessage().startsWith(dir.resolve("hub.toml") + ":2:"), e.getMessage());
        assertTrue(e.getMessage().contains("[git] allow_force"), e.getMessage());
    }

    @Test
    void unknownKeyIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("[git]\nallow_forse = true\n"));
        assertTrue(e.getMessage().contains("allow_forse"), e.getMessage());
    }

    @Test
    void credentialNeedsExactlyOneOfTokenAndTokenFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                [git.credentials."https://git.example.org"]
                username = "me"
                """));
        assertTrue(e.getMessage().contains("[git.credentials.\"https://git.example.org\"]"), e.getMessage());
    }

    @Test
    void credentialsAnswerForTheLongestMatchingPrefixAndReadTokenFilesAtUse() throws Exception {
        Files.writeString(dir.resolve("acme.token"), "acme-secret\n");
        GitSettings s = parse("""
                [git.credentials."https://git.example.org"]
                token = "general"
                [git.credentials."https://git.example.org/acme/"]
                username = "bot"
                token_file = "acme.token"
                """);
        HubCredentialsProvider p = new HubCredentialsProvider(s.credentials());
        CredentialItem.Username user = new CredentialItem.Username();
        CredentialItem.Password pass = new CredentialItem.Password();
        assertTrue(p.get(new URIish("https://git.example.org/acme/app.git"), user, pass));
        assertEquals("bot", user.getValue());
        assertEquals("acme-secret", new String(pass.getValue()));
        assertTrue(p.get(new URIish("https://git.example.org/other.git"), user, pass));
        assertEquals(HttpsCredential.DEFAULT_USERNAME, user.getValue());
        assertEquals("general", new String(pass.getValue()));
        assertFalse(p.get(new URIish("https://elsewhere.example.org/x.git"), user, pass));
        assertFalse(p.get(new URIish("ssh://git.example.org/acme/app.git"), user, pass));
    }

    @Test
    void credentialsDoNotPrintTheirToken() {
        GitSettings s = parse("[git.credentials.\"https://h\"]\ntoken = \"s3cret\"\n");
        assertFalse(s.toString().contains("s3cret"), s.toString());
    }

    @Test
    void authorFallsBackToTheHubWhenTheRepositoryNamesNone() {
        GitSettings hub = parse("[git]\nauthor_name = \"Hub\"\nauthor_email = \"hub@example.org\"\n");
        PersonIdent who = CommitAuthor.resolve(new Config(), hub);
        assertEquals("Hub", who.getName());
        assertEquals("hub@example.org", who.getEmailAddress());
    }

    @Test
    void authorFallsBackToTheDefaultWhenNobodyNamesOne() {
        PersonIdent who = CommitAuthor.resolve(new Config(), GitSettings.defaults(dir));
        assertEquals(GitSettings.DEFAULT_AUTHOR_NAME, who.getName());
        assertEquals(GitSettings.DEFAULT_AUTHOR_EMAIL, who.getEmailAddress());
    }

    @Test
    void repositoryAuthorWinsOverTheHub() {
        Config repo = new Config();
        repo.setString("user", null, "name", "Repo");
        repo.setString("user", null, "email", "repo@example.org");
        PersonIdent who = CommitAuthor.resolve(repo, parse("[git]\nauthor_name = \"Hub\"\n"));
        assertEquals("Repo", who.getName());
    }

    @Test
    void redactionDropsUserInfoFromUrls() {
        assertEquals(
                "cannot reach https://git.example.org/x.git",
                Redaction.redact("cannot reach https://me:tok@git.example.org/x.git"));
    }
}
