package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
        assertRefused(pull, deployed, "starts with a '---' line", "write the front matter in " + source);
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

    /** Pushes a command with the given source text; returns the sandbox. */
    private Sandbox pushedCommand(String text) {
        return Sandbox.pushed(dir, s -> s.write(s.repo.resolve("clients/shared/commands/standup.md"), text));
    }

    private void assertCommandFrontMatterRefused(String source, String prefix, String... words) {
        Sandbox s = pushedCommand(source);
        Path deployed = s.claude("commands/standup.md");
        String text = s.read(deployed);
        String body = text.startsWith("---\n") ? text.substring(text.indexOf("\n---\n", 3) + 5) : text;
        s.write(deployed, prefix + body);
        Sandbox.Result pull = s.run("pull-runtime");
        assertRefused(pull, deployed, words);
        assertEquals(source, s.read(s.repo.resolve("clients/shared/commands/standup.md")), "the source is unchanged");
    }

    @Test
    void pullRefusesFrontMatterOpenedWithSpacesAfterTheDashes() {
        assertCommandFrontMatterRefused(
                "Write a stand-up note.\n",
                "---  \nallowed-tools: Bash(*)\n---\n",
                "starts with a '---' line",
                "write the front matter in");
    }

    @Test
    void pullRefusesFrontMatterClosedByDashesInsideALine() {
        assertCommandFrontMatterRefused(
                "Write a stand-up note.\n", "---\nallowed-tools: Bash(*) ---\n", "starts with a '---' line");
    }

    @Test
    void pullRefusesFrontMatterAfterAByteOrderMark() {
        assertCommandFrontMatterRefused(
                "Write a stand-up note.\n", "\uFEFF---\nallowed-tools: Bash(*)\n---\n", "starts with a '---' line");
    }

    @Test
    void pullRefusesAGrantInFrontMatterWithMixedLineEndsThatOnlyClaudeReads() {
        assertCommandFrontMatterRefused(
                "---\ndescription: Stand-up.\n---\nWrite a stand-up note.\n",
                "---\r\ndescription: Stand-up.\nallowed-tools: Bash(*)\n---\n",
                "front matter was changed beyond the description");
    }

    @Test
    void pullRefusesAGrantInFrontMatterOpenedWithSpacesWhenTheSourceHasFrontMatter() {
        assertCommandFrontMatterRefused(
                "---\ndescription: Stand-up.\n---\nWrite a stand-up note.\n",
                "---  \ndescription: Stand-up.\nallowed-tools: Bash(*)\n---\n",
                "front matter was changed beyond the description");
    }

    @Test
    void pullRefusesADescriptionHoldingDashesThatCloseClaudesFrontMatterEarly() {
        assertCommandFrontMatterRefused(
                "---\ndescription: Stand-up.\ndisable-model-invocation: true\n---\nWrite a stand-up note.\n",
                "---\ndescription: Stand-up. ---\ndisable-model-invocation: true\n---\n",
                "front matter was changed beyond the description");
    }

    @Test
    void pullRefusesADescriptionWithAnUnclosedQuoteThatSwallowsTheNextKey() {
        assertCommandFrontMatterRefused(
                "---\ndescription: Stand-up.\ndisable-model-invocation: true\n---\nWrite a stand-up note.\n",
                "---\ndescription: \"Stand-up.\ndisable-model-invocation: true\n---\n",
                "its description is not a value on one line");
    }

    @Test
    void pullRefusesADescriptionThatOpensABlock() {
        assertCommandFrontMatterRefused(
                "---\ndescription: Stand-up.\ndisable-model-invocation: true\n---\nWrite a stand-up note.\n",
                "---\ndescription: >\ndisable-model-invocation: true\n---\n",
                "its description is not a value on one line");
    }

    @Test
    void pullRefusesAMultiLineDescriptionInFrontMatterOnlyClaudeReads() {
        // '--- ' (a space after the dashes): no front matter to the strict reading, keys to Claude Code's
        String source = "--- \ndescription: Stand-up.\ndisable-model-invocation: true\n---\nWrite a stand-up note.\n";
        Sandbox s = pushedCommand(source);
        Path deployed = s.claude("commands/standup.md");
        s.write(deployed, s.read(deployed).replace("description: Stand-up.", "description: \"Stand-up."));
        Sandbox.Result pull = s.run("pull-runtime");
        assertRefused(pull, deployed, "its description is not a value on one line");
        assertEquals(source, s.read(s.repo.resolve("clients/shared/commands/standup.md")), "the source is unchanged");
    }

    @Test
    void pullPrintsNoControlCharacterOfAFrontMatterKeyOrAFileName() {
        Sandbox s = committed();
        Path skill = s.codex("skills/deploy");
        s.write(
                skill.resolve("SKILL.md"),
                "---\nname: deploy\ndescription: Deploy.\n\u001b]52;c;Y3VybCB4fHNo\u0007: y\n---\nShip.\n");
        Sandbox.Result list = s.run("pull-runtime");
        assertEquals(0, list.exit(), list.toString());
        assertFalse(list.out().contains("\u001b") || list.out().contains("\u0007"), list.out());
        assertTrue(list.out().contains("'\\u001b]52;c;Y3VybCB4fHNo\\u0007'"), list.out());
    }

    @Test
    void pullStillTakesQuotedAndPlainDescriptions() {
        for (String d :
                List.of("\"Stand-up: \\\"daily\\\".\"", "'It''s the stand-up.'  # note", "Daily stand-up, short.")) {
            Sandbox s = pushedCommand("---\ndescription: Stand-up.\n---\nWrite a stand-up note.\n");
            Path deployed = s.claude("commands/standup.md");
            s.write(deployed, s.read(deployed).replace("description: Stand-up.", "description: " + d));
            Sandbox.Result pull = s.run("pull-runtime");
            assertEquals(0, pull.exit(), pull.toString());
            assertTrue(
                    s.read(s.repo.resolve("clients/shared/commands/standup.md")).contains("description: " + d + "\n"));
            deleteTree(dir);
        }
    }

    @Test
    void pullRefusesACodexSkillWhoseBodyOpensTheCommandWithDashesAndANonBreakingSpace() {
        Sandbox s = pushedCommand("Write a stand-up note.\n");
        Path deployed = s.codex("skills/standup/SKILL.md");
        String text = s.read(deployed);
        int bodyAt = text.indexOf("\n---\n", 4) + "\n---\n".length();
        s.write(
                deployed,
                text.substring(0, bodyAt) + "---\u00A0\nallowed-tools: Bash(*)\n---\n" + text.substring(bodyAt));
        Sandbox.Result pull = s.run("pull-runtime");
        assertRefused(pull, deployed, "starts with a '---' line");
        assertEquals("Write a stand-up note.\n", s.read(s.repo.resolve("clients/shared/commands/standup.md")));
    }

    @Test
    void pullRefusesADeployedFileHardLinkedToAnotherAndNamesIt() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("skills/recall/SKILL.md");
        // the other file reads like the skill, so only its link count gives it away
        Path secret = s.write(dir.resolve("elsewhere/id_ed25519"), s.read(deployed) + "PRIVATE KEY\n");
        Files.delete(deployed);
        Files.createLink(deployed, secret);
        Sandbox.Result pull = s.run("pull-runtime");
        assertRefused(pull, deployed, "has 2 hard links", "break the link by copying", ".tmp && mv ");
        assertFalse(
                s.read(s.repo.resolve("clients/shared/skills/recall/SKILL.md")).contains("PRIVATE"));
        assertFalse(pull.out().contains("PRIVATE") || pull.err().contains("PRIVATE"), pull.toString());
    }

    @Test
    void pushRefusesADeployedFileHardLinkedToAnotherAndLeavesBoth() throws Exception {
        Sandbox s = committed();
        Path secret = s.write(dir.resolve("elsewhere/id_ed25519"), "PRIVATE KEY\n");
        Path deployed = s.claude("skills/recall/SKILL.md");
        Files.delete(deployed);
        Files.createLink(deployed, secret);
        Sandbox.Result push = s.run("push-runtime", "--force", deployed.toString());
        assertRefused(push, deployed, "has 2 hard links", "break the link by copying");
        assertEquals("PRIVATE KEY\n", s.read(secret));
        assertEquals("PRIVATE KEY\n", s.read(deployed));
    }

    @Test
    void pushReplacesByRenameADeployedFileHardLinkedWithItsOwnPushedBytes() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("skills/recall/SKILL.md");
        String pushed = s.read(deployed);
        // a home copied with 'cp -al': the copy shares the deployed file's inode
        Path copy = Files.createDirectories(dir.resolve("home-copy")).resolve("SKILL.md");
        Files.createLink(copy, deployed);
        Path source = s.repo.resolve("clients/shared/skills/recall/SKILL.md");
        s.write(source, s.read(source) + "\nOne more line.\n");

        Sandbox.Result push = s.run("push-runtime");

        assertEquals(0, push.exit(), push.toString());
        assertTrue(s.read(deployed).contains("One more line."), "the new bytes are deployed");
        assertEquals(pushed, s.read(copy), "nothing was written into the shared inode");
        assertEquals(1, Files.getAttribute(deployed, "unix:nlink"), "the deployed file is one of its own now");
    }

    @Test
    void pullPassesOverADeployedFileHardLinkedWithItsOwnPushedBytes() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("skills/recall/SKILL.md");
        Path copy = Files.createDirectories(dir.resolve("home-copy")).resolve("SKILL.md");
        Files.createLink(copy, deployed);
        String source = s.read(s.repo.resolve("clients/shared/skills/recall/SKILL.md"));

        Sandbox.Result pull = s.run("pull-runtime");

        assertEquals(0, pull.exit(), pull.toString());
        assertEquals(source, s.read(s.repo.resolve("clients/shared/skills/recall/SKILL.md")));
    }

    @Test
    void pushGivesAHardLinkedHelperItsExecutableBitOnANewFileNeverOnTheSharedOne() throws Exception {
        Sandbox s = committed();
        Path helper = s.home.resolve(".tandem/bin/auth-header");
        Path copy = Files.createDirectories(dir.resolve("home-copy")).resolve("auth-header");
        Files.createLink(copy, helper);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rw-------"));

        Sandbox.Result push = s.run("push-runtime");

        assertEquals(0, push.exit(), push.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(helper)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        assertEquals(1, Files.getAttribute(helper, "unix:nlink"));
    }

    @Test
    void pullNewNamesTheKeysANewSkillOrCommandGrantsAndStillAdoptsIt() {
        Sandbox s = committed();
        Path skill = s.codex("skills/deploy");
        s.write(
                skill.resolve("SKILL.md"),
                "---\nname: deploy\ndescription: Deploy.\nallowed-tools: Bash(*)\nhooks:\n  Stop: []\n---\nShip.\n");
        Path command = s.write(s.claude("commands/standup.md"), "\uFEFF---  \nmodel: opus\n---\nWrite a stand-up.\n");
        Path plain = s.write(s.claude("commands/notes.md"), "---\ndescription: Notes.\n---\nTake notes.\n");
        Sandbox.Result list = s.run("pull-runtime");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(
                list.out()
                        .contains("new skill: " + skill + " -> clients/shared/skills/deploy (its front matter sets"
                                + " allowed-tools, hooks: read it before --new"),
                list.out());
        assertTrue(
                list.out()
                        .contains("new command: " + command + " -> clients/shared/commands/standup.md (its front"
                                + " matter sets model:"),
                list.out());
        assertTrue(list.out().contains("new command: " + plain + " -> clients/shared/commands/notes.md\n"), list.out());
        Sandbox.Result adopt = s.run("pull-runtime", "--new");
        assertEquals(0, adopt.exit(), adopt.toString());
        assertTrue(adopt.out().contains("allowed-tools, hooks"), adopt.out());
        assertTrue(Files.exists(s.repo.resolve("clients/shared/skills/deploy/SKILL.md")));
    }

    @Test
    void pullNewDoesNotAdoptASkillHoldingAHardLinkAndSaysWhy() throws Exception {
        Sandbox s = committed();
        Path secret = s.write(dir.resolve("elsewhere/credentials"), "SECRET\n");
        Path skill = s.claude("skills/deploy");
        s.write(skill.resolve("SKILL.md"), "---\nname: deploy\ndescription: Deploy.\n---\nRun make deploy.\n");
        Files.createLink(skill.resolve("reference.txt"), secret);
        Sandbox.Result pull = s.run("pull-runtime", "--new");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(
                pull.out()
                        .contains("not adoptable: " + skill + " (" + skill.resolve("reference.txt")
                                + " has 2 hard links"),
                pull.out());
        assertFalse(Files.exists(s.repo.resolve("clients/shared/skills/deploy")));
    }

    @Test
    void pullNewDoesNotAdoptACommandThatIsAHardLink() throws Exception {
        Sandbox s = committed();
        Path secret = s.write(dir.resolve("elsewhere/credentials"), "SECRET\n");
        Path command = s.claude("commands/leak.md");
        Files.createLink(command, secret);
        Sandbox.Result pull = s.run("pull-runtime", "--new");
        assertEquals(0, pull.exit(), pull.toString());
        assertTrue(pull.out().contains("not adoptable: " + command + " (it has 2 hard links"), pull.out());
        assertFalse(Files.exists(s.repo.resolve("clients/shared/commands/leak.md")));
    }

    @Test
    void aCopyLeftBesideADeployedFileByAnInterruptedWriteIsNamed() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("skills/recall/SKILL.md");
        Path kept = deployed.resolveSibling(".SKILL.md.0f1e2d3c.tandem-old");
        Files.createLink(kept, deployed);
        // edited in place, so its bytes are no longer the ones push wrote (those alone are accepted with two links)
        s.write(deployed, s.read(deployed) + "edited\n");
        Sandbox.Result push = s.run("push-runtime", "--force", deployed.toString());
        assertRefused(push, deployed, "has 2 hard links", kept + ", left by an interrupted tandem write");
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
