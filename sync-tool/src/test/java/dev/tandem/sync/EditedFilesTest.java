package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.hash.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push-runtime never overwrites an edit silently: a deployed file edited since the last push is left as it is and
 * named with how to keep it (pull-runtime) or replace it ({@code push-runtime --force FILE}); pull-runtime lists the
 * skills and commands the person made in the clients' own folders and {@code --new} adopts them.
 */
class EditedFilesTest {
    @TempDir
    Path dir;

    private Sandbox pushed() {
        Sandbox s = new Sandbox(dir);
        s.commitRepo();
        assertEquals(0, s.run("push-runtime").exit());
        return s;
    }

    private static String edit(Sandbox s, Path file) {
        String edited = s.read(file).replace("# Recall shared memory", "# Recall shared memory (mine)");
        s.write(file, edited);
        return edited;
    }

    @Test
    void pushLeavesAnEditedSkillAsItIsExitsOneAndSaysHowToKeepOrReplaceIt() {
        Sandbox s = pushed();
        Path skill = s.claude("skills/recall/SKILL.md");
        String edited = edit(s, skill);
        Path command = s.repo.resolve("clients/shared/commands/handoff.md");
        s.write(command, s.read(command) + "One more step.\n");
        Sandbox.Result r = s.run("push-runtime");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertEquals(edited, s.read(skill));
        assertTrue(
                r.out()
                        .contains("tandem: " + skill + ": edited since the last push, so push-runtime left it as it is;"
                                + " keep the edit with 'tandem sync pull-runtime' (it takes a changed description but no"
                                + " other front-matter change, and a line Claude Code runs as a shell command only with"
                                + " --accept: make those in clients/ yourself), or replace it with"
                                + " 'tandem sync"
                                + " push-runtime --force " + skill + "'"),
                r.out());
        assertTrue(s.read(s.claude("commands/handoff.md")).contains("One more step."), "the rest is written");
    }

    @Test
    void anEditedFileStaysAConflictUntilItIsSettled() {
        Sandbox s = pushed();
        Path skill = s.claude("skills/recall/SKILL.md");
        String edited = edit(s, skill);
        assertEquals(1, s.run("push-runtime").exit());
        assertEquals(1, s.run("push-runtime").exit());
        assertEquals(1, s.run("check-sync").exit());
        assertEquals(edited, s.read(skill));
    }

    @Test
    void anEditKeptByPullRuntimeReachesBothClientsWithTheNextPush() {
        Sandbox s = pushed();
        Path skill = s.claude("skills/recall/SKILL.md");
        String edited = edit(s, skill);
        assertEquals(0, s.run("pull-runtime").exit());
        Sandbox.Result push = s.run("push-runtime");
        assertEquals(0, push.exit(), push.out());
        assertEquals(edited, s.read(skill));
        assertTrue(s.read(s.codex("skills/recall/SKILL.md")).contains("(mine)"));
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void dryRunNamesTheEditedFileAndWritesNothing() {
        Sandbox s = pushed();
        Path skill = s.claude("skills/recall/SKILL.md");
        String edited = edit(s, skill);
        Sandbox.Result r = s.run("push-runtime", "--dry-run");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("tandem: " + skill + ": edited since the last push"), r.out());
        assertEquals(edited, s.read(skill));
    }

    @Test
    void forceRefusesAFileTandemDidNotDeploy() {
        Sandbox s = pushed();
        Path mine = s.write(s.home.resolve("notes.md"), "mine\n");
        Sandbox.Result r = s.run("push-runtime", "--force", mine.toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("tandem: " + mine + ": not a file tandem sync deployed"), r.err());
    }

    @Test
    void pullListsSkillsAndCommandsMadeInTheClientsFoldersWithoutTakingThem() {
        Sandbox s = pushed();
        Path skill =
                s.write(s.claude("skills/deploy/SKILL.md"), "---\nname: deploy\ndescription: Ship it.\n---\nShip.\n");
        Path command = s.write(s.claude("commands/standup.md"), "Write my standup.\n");
        Path codexSkill = s.write(s.codex("skills/lint/SKILL.md"), "---\nname: lint\ndescription: Lint.\n---\nLint.\n");
        s.write(s.codex("skills/.system/x/SKILL.md"), "Codex's own\n");
        Sandbox.Result r = s.run("pull-runtime");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("new skill: " + skill.getParent() + " -> clients/shared/skills/deploy"), r.out());
        assertTrue(r.out().contains("new command: " + command + " -> clients/shared/commands/standup.md"), r.out());
        assertTrue(r.out().contains("new skill: " + codexSkill.getParent()), r.out());
        assertTrue(r.out().contains("pull-runtime --new"), r.out());
        assertFalse(r.out().contains(".system"), r.out());
        assertFalse(Files.exists(s.repo.resolve("clients/shared/skills/deploy")));
    }

    @Test
    void pullNewAdoptsThemAndTheNextPushDeploysThemToBothClients() throws Exception {
        Sandbox s = pushed();
        String deploy = "---\nname: deploy\ndescription: Ship it.\n---\nShip.\n";
        s.write(s.claude("skills/deploy/SKILL.md"), deploy);
        Path script = s.write(s.claude("skills/deploy/run.sh"), "#!/bin/sh\necho ship\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        s.write(s.claude("commands/standup.md"), "Write my standup.\n");
        // a skill's script is adopted only when the person names it (PullSkillScriptTest)
        Sandbox.Result pull = s.run(
                "pull-runtime",
                "--new",
                "--accept",
                script + "@" + Sha256.hex(s.read(script)).substring(0, 32));
        assertEquals(0, pull.exit(), pull.out() + pull.err());
        assertEquals(deploy, s.read(s.repo.resolve("clients/shared/skills/deploy/SKILL.md")));
        // a script adopted from one client's folder is not made a program the other client runs
        assertFalse(Files.isExecutable(s.repo.resolve("clients/shared/skills/deploy/run.sh")));
        assertTrue(pull.out().contains("adopted without its executable bit: " + script + " (chmod +x"), pull.out());
        assertEquals("Write my standup.\n", s.read(s.repo.resolve("clients/shared/commands/standup.md")));
        Sandbox.Result push = s.run("push-runtime");
        assertEquals(0, push.exit(), push.out() + push.err());
        assertTrue(s.read(s.codex("skills/deploy/SKILL.md")).startsWith(deploy));
        assertTrue(s.read(s.claude("skills/deploy/SKILL.md")).contains("tandem:footer"));
        assertTrue(s.read(s.codex("skills/standup/SKILL.md")).contains("Write my standup."));
        assertEquals(0, s.run("check-sync").exit());
        assertEquals(0, s.run("clean-runtime", "--remove").exit());
        assertEquals(deploy, s.read(s.claude("skills/deploy/SKILL.md")), "given back as the person made it");
        assertEquals("Write my standup.\n", s.read(s.claude("commands/standup.md")));
        assertFalse(Files.exists(s.codex("skills/deploy")));
    }

    @Test
    void pullNewRefusesNothingButNamesAClashWithASkillInClients() {
        Sandbox s = pushed();
        s.write(s.codex("skills/handoff2/SKILL.md"), "x\n");
        s.write(s.claude("commands/recall.md"), "Mine.\n");
        Sandbox.Result r = s.run("pull-runtime", "--new");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("not adoptable: " + s.claude("commands/recall.md")), r.out());
        assertEquals("Mine.\n", s.read(s.claude("commands/recall.md")));
        assertTrue(Files.exists(s.repo.resolve("clients/shared/skills/handoff2/SKILL.md")));
    }
}
