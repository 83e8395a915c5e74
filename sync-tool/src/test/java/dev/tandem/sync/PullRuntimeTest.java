package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PullRuntimeTest {
    @TempDir
    Path dir;

    private Sandbox committed() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.commitRepo();
        s.run("push-runtime");
        return s;
    }

    @Test
    void skillEditedInClaudeIsPulledBackWithoutFooterAndWithPlaceholders() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.write(deployed, s.read(deployed).replace("# Recall shared memory\n", "# Recall shared memory\n\nNew tip.\n"));
        Sandbox.Result r = s.run("pull-runtime");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("pull " + deployed + " -> clients/shared/skills/recall/SKILL.md"), r.out());
        String source = s.read(s.repo.resolve("clients/shared/skills/recall/SKILL.md"));
        assertTrue(source.contains("# Recall shared memory\n\nNew tip.\n"), source);
        assertTrue(source.contains("{{tool_prefix}}memory_search"), source);
        assertTrue(source.contains("You are running in {{engine}}."), source);
        assertTrue(!source.contains("tandem:footer"), source);
        assertEquals(0, s.run("check-sync", "--engine", "claude").exit());
    }

    @Test
    void codexBlockEditIsPulledIntoTheFragment() throws Exception {
        Sandbox s = committed();
        Path config = s.codex("config.toml");
        s.write(config, s.read(config).replace("tool_timeout_sec = 120", "tool_timeout_sec = 300"));
        assertEquals(0, s.run("pull-runtime").exit());
        String fragment = s.read(s.repo.resolve("clients/codex/config-fragment.toml"));
        assertTrue(fragment.contains("tool_timeout_sec = 300"), fragment);
        assertTrue(fragment.contains("url = \"{{hub_url}}\""), fragment);
        assertTrue(!fragment.contains("http_headers_helper = "), fragment);
    }

    @Test
    void codexCommandSkillIsPulledBackAsACommand() throws Exception {
        Sandbox s = committed();
        Path deployed = s.codex("skills/handoff/SKILL.md");
        s.write(deployed, s.read(deployed).replace("Write a handoff for", "Write a short handoff for"));
        assertEquals(0, s.run("pull-runtime").exit());
        String source = s.read(s.repo.resolve("clients/shared/commands/handoff.md"));
        assertTrue(source.startsWith("---\ndescription: Write a handoff note"), source);
        assertTrue(source.contains("Write a short handoff for"), source);
        assertTrue(source.contains("$ARGUMENTS"), source);
    }

    @Test
    void refusesToOverwriteARepoFileWithUncommittedChanges() throws Exception {
        Sandbox s = committed();
        Path source = s.repo.resolve("clients/shared/skills/recall/SKILL.md");
        s.write(source, s.read(source) + "uncommitted\n");
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.write(deployed, s.read(deployed).replace("Recall", "Remind"));
        Sandbox.Result r = s.run("pull-runtime");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(source + ": has uncommitted changes"), r.err());
        assertTrue(s.read(source).endsWith("uncommitted\n"));
        assertEquals(0, s.run("pull-runtime", "--force").exit());
        assertTrue(s.read(source).contains("Remind"));
    }

    @Test
    void nothingChangedPullsNothing() throws Exception {
        Sandbox s = committed();
        Sandbox.Result r = s.run("pull-runtime");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("nothing to write"), r.out());
    }

    @Test
    void readingTheCheckoutsStatusRunsNoFilterItsGitConfigNames() throws Exception {
        Sandbox s = committed();
        Path marker = dir.resolve("marker");
        Files.writeString(
                s.repo.resolve(".git/config"),
                "[filter \"evil\"]\n\tclean = \"touch " + marker + "; cat\"\n",
                StandardOpenOption.APPEND);
        Files.writeString(s.repo.resolve(".gitattributes"), "* filter=evil\n");
        // same size, newer time: a status walk would read this file through the clean filter to compare it
        Path base = s.repo.resolve("clients/shared/AGENTS.md");
        Files.setLastModifiedTime(
                base, FileTime.fromMillis(Files.getLastModifiedTime(base).toMillis() + 60_000));
        Path source = s.repo.resolve("clients/shared/skills/recall/SKILL.md");
        FileTime before = Files.getLastModifiedTime(source);
        s.write(source, s.read(source).replace("Recall", "Rekall"));
        Files.setLastModifiedTime(source, FileTime.fromMillis(before.toMillis() + 5_000));
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.write(deployed, s.read(deployed).replace("Recall", "Remind"));
        Sandbox.Result r = s.run("pull-runtime");
        assertFalse(Files.exists(marker), "pull-runtime ran a filter program named by the checkout's git config");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(source + ": has uncommitted changes"), r.err());
    }

    @Test
    void aTrackedFileReplacedByAFifoDoesNotBlockPullRuntime() throws Exception {
        Sandbox s = committed();
        // an empty tracked file: same length as the FIFO, so git must read the content to compare
        Path source = s.repo.resolve("clients/empty.txt");
        Files.writeString(source, "");
        try (Git git = Git.open(s.repo.toFile())) {
            git.add().addFilepattern("clients/empty.txt").call();
            git.commit()
                    .setMessage("empty")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call();
        }
        Files.delete(source);
        assertEquals(0, new ProcessBuilder("mkfifo", source.toString()).start().waitFor());
        try {
            Sandbox.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> s.run("pull-runtime"));
            assertTrue(r.exit() == 0 || r.exit() == 2, r.err());
        } finally {
            Thread.ofPlatform().daemon().start(() -> {
                try (var out = Files.newOutputStream(source)) {
                    out.write('x');
                } catch (java.io.IOException e) {
                    // nobody was blocked on it
                }
            });
        }
    }
}
