package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
        // same size, newer time: git must read the file's content, through the clean filter, to tell
        Path base = s.repo.resolve("clients/shared/AGENTS.md");
        java.nio.file.Files.setLastModifiedTime(
                base, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
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
    void pullRunsNoProgramTheCheckoutsGitConfigNames() throws Exception {
        Sandbox s = committed();
        Path ran = dir.resolve("filter-ran");
        s.write(s.repo.resolve(".gitattributes"), "* filter=x\n");
        s.write(
                s.repo.resolve(".git/config"),
                s.read(s.repo.resolve(".git/config")) + "[filter \"x\"]\n\tclean = \"touch " + ran + "; cat\"\n");
        // same size, newer time: git must read the file's content, through the clean filter, to tell
        Path base = s.repo.resolve("clients/shared/AGENTS.md");
        java.nio.file.Files.setLastModifiedTime(
                base, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Path source = s.repo.resolve("clients/shared/skills/recall/SKILL.md");
        s.write(source, s.read(source) + "uncommitted\n");
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.write(deployed, s.read(deployed).replace("Recall", "Remind"));
        Sandbox.Result r = s.run("pull-runtime");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains(source + ": has uncommitted changes"), r.err());
        assertTrue(java.nio.file.Files.notExists(ran), "the clean filter ran");
    }
}
