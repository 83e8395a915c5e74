package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What pull-runtime does not carry from one client's folder into {@code clients/} (and so into the other client and
 * every home pushed from it): front matter beyond a description, and files that are symlinks; and push-runtime never
 * writes through a link where a file it owns goes.
 */
class PullSkillSafetyTest {
    @TempDir
    Path dir;

    private Sandbox committed() {
        return Sandbox.pushed(dir);
    }

    private static void assertRefused(Sandbox.Result r, Path named, String... words) {
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains(named + ": "), r.toString());
        for (String w : words) {
            assertTrue(r.err().contains(w), w + " in " + r);
        }
    }

    @Test
    void pullRefusesHooksAddedToAClaudeSkillsFrontMatterAndNamesTheFile() {
        Sandbox s = committed();
        Path source = s.repo.resolve("clients/shared/skills/recall/SKILL.md");
        String before = s.read(source);
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.write(deployed, s.read(deployed).replace("name: recall\n", "name: recall\nhooks:\n  Stop: []\n"));
        Sandbox.Result pull = s.run("pull-runtime");
        assertRefused(pull, deployed, "front matter was changed beyond the description", source.toString());
        assertEquals(before, s.read(source), "the source is left as it was");
    }

    @Test
    void pullStillTakesADescriptionChangedInASkillsFrontMatter() {
        Sandbox s = committed();
        Path deployed = s.codex("skills/recall/SKILL.md");
        String text = s.read(deployed);
        int from = text.indexOf("description: ");
        s.write(
                deployed,
                text.substring(0, from) + "description: Recall first." + text.substring(text.indexOf('\n', from)));
        Sandbox.Result pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(s.read(s.repo.resolve("clients/shared/skills/recall/SKILL.md"))
                .contains("description: Recall first.\n"));
    }

    @Test
    void pullRefusesFrontMatterGivenToAClaudeCommandThatHadNone() {
        Sandbox s = new Sandbox(dir);
        Path source = s.write(s.repo.resolve("clients/shared/commands/standup.md"), "Write a stand-up note.\n");
        s.commitRepo();
        assertEquals(0, s.run("push-runtime").exit());
        Path deployed = s.claude("commands/standup.md");
        s.write(deployed, "---\nallowed-tools: Bash(*)\n---\n" + s.read(deployed));
        Sandbox.Result pull = s.run("pull-runtime");
        assertRefused(pull, deployed, "front matter was changed beyond the description");
        assertEquals("Write a stand-up note.\n", s.read(source));
    }

    @Test
    void pullRefusesACodexSkillWhoseBodyWouldOpenTheCommandWithFrontMatter() {
        Sandbox s = new Sandbox(dir);
        Path source = s.write(s.repo.resolve("clients/shared/commands/standup.md"), "Write a stand-up note.\n");
        s.commitRepo();
        assertEquals(0, s.run("push-runtime").exit());
        Path deployed = s.codex("skills/standup/SKILL.md");
        String text = s.read(deployed);
        int bodyAt = text.indexOf("\n---\n", 4) + "\n---\n".length();
        s.write(deployed, text.substring(0, bodyAt) + "---\nhooks: {}\n---\n" + text.substring(bodyAt));
        Sandbox.Result pull = s.run("pull-runtime");
        assertRefused(pull, deployed, "starts with a '---' line", "front matter in " + source);
        assertEquals("Write a stand-up note.\n", s.read(source));
    }

    @Test
    void pullRefusesADeployedSkillFileThatIsALinkAndNamesIt() throws Exception {
        Sandbox s = committed();
        Path secret = s.write(dir.resolve("elsewhere/notes.txt"), "private\n");
        Path deployed = s.claude("skills/recall/SKILL.md");
        Files.delete(deployed);
        Files.createSymbolicLink(deployed, secret);
        Sandbox.Result pull = s.run("pull-runtime");
        assertRefused(pull, deployed, "is a symlink (to " + secret + ")", "delete the link");
        assertFalse(
                s.read(s.repo.resolve("clients/shared/skills/recall/SKILL.md")).contains("private"));
    }

    @Test
    void pullRefusesASkillFolderThatIsALink() throws Exception {
        Sandbox s = committed();
        Path folder = s.claude("skills/recall");
        Path elsewhere = dir.resolve("elsewhere/recall");
        Files.createDirectories(elsewhere.getParent());
        Files.move(folder, elsewhere);
        s.write(elsewhere.resolve("SKILL.md"), "---\nname: recall\ndescription: x\n---\nprivate\n");
        Files.createSymbolicLink(folder, elsewhere);
        Sandbox.Result pull = s.run("pull-runtime");
        assertRefused(pull, folder, "is a symlink (to " + elsewhere + ")");
    }

    @Test
    void pullNewDoesNotAdoptASkillHoldingALinkAndSaysWhy() throws Exception {
        Sandbox s = committed();
        Path secret = s.write(dir.resolve("elsewhere/credentials"), "SECRET\n");
        Path skill = s.codex("skills/deploy");
        s.write(skill.resolve("SKILL.md"), "---\nname: deploy\ndescription: Deploy.\n---\nRun make deploy.\n");
        Files.createSymbolicLink(skill.resolve("reference.txt"), secret);
        Sandbox.Result pull = s.run("pull-runtime", "--new");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(
                pull.out()
                        .contains("not adoptable: " + skill + " (" + skill.resolve("reference.txt") + " is a symlink"),
                pull.out());
        assertFalse(Files.exists(s.repo.resolve("clients/shared/skills/deploy")));
    }

    @Test
    void pushRefusesALinkWhereADeployedFileGoesAndLeavesItsTargetAlone() throws Exception {
        Sandbox s = committed();
        Path rc = s.write(dir.resolve("elsewhere/.bashrc"), "export PATH\n");
        Path deployed = s.claude("skills/recall/SKILL.md");
        Files.delete(deployed);
        Files.createSymbolicLink(deployed, rc);
        Sandbox.Result push = s.run("push-runtime", "--force", deployed.toString());
        assertRefused(push, deployed, "is a symlink (to " + rc + ")", "never writes through a link");
        assertEquals("export PATH\n", s.read(rc));
        assertTrue(Files.isSymbolicLink(deployed));
    }

    @Test
    void aSkillsFolderLinkedIntoADotfilesCheckoutIsStillPushedAndPulled() throws Exception {
        Sandbox s = new Sandbox(dir);
        s.commitRepo();
        Path dotfiles = Files.createDirectories(dir.resolve("dotfiles/claude-skills"));
        Files.createDirectories(s.claude(""));
        Files.createSymbolicLink(s.claude("skills"), dotfiles);
        assertEquals(0, s.run("push-runtime").exit());
        assertTrue(Files.exists(dotfiles.resolve("recall/SKILL.md")));
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.write(deployed, s.read(deployed).replace("# Recall shared memory\n", "# Recall shared memory\n\nTip.\n"));
        Sandbox.Result pull = s.run("pull-runtime");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(
                s.read(s.repo.resolve("clients/shared/skills/recall/SKILL.md")).contains("\nTip.\n"));
    }
}
