package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.hash.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the person writes is never dropped without a word: pull-runtime keeps it, or push says it replaces it. */
class NothingDroppedTest {
    @TempDir
    Path dir;

    private Sandbox committed() {
        return Sandbox.pushed(dir);
    }

    @Test
    void textAppendedAfterTheFooterOfASkillIsPulledIntoTheSource() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.write(deployed, s.read(deployed) + "\nAlso check the tags `handoff` and `todo`.\n");
        Sandbox.Result r = s.run("pull-runtime");
        assertEquals(0, r.exit(), r.err());
        String source = s.read(s.repo.resolve("clients/shared/skills/recall/SKILL.md"));
        assertTrue(source.endsWith("\nAlso check the tags `handoff` and `todo`.\n"), source);
        assertFalse(source.contains("tandem:footer"), source);
        assertFalse(source.contains("log_command"), source);
        assertEquals(0, s.run("push-runtime").exit());
        String pushed = s.read(deployed);
        assertTrue(
                pushed.indexOf("Also check the tags") < pushed.indexOf("<!-- tandem:footer -->"),
                "the kept text comes before the footer again: " + pushed);
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void textAppendedAfterTheFooterWithCrlfLineEndingsIsPulledIntoTheSource() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("commands/handoff.md");
        s.write(deployed, s.read(deployed).replace("\n", "\r\n") + "Mention open pull requests.\r\n");
        assertEquals(0, s.run("pull-runtime").exit());
        String source = s.read(s.repo.resolve("clients/shared/commands/handoff.md"));
        assertTrue(source.endsWith("Mention open pull requests.\r\n"), source);
        assertFalse(source.contains("tandem:footer"), source);
    }

    @Test
    void anEditedFooterStopsThePullNamingTheFileAndLine() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.write(deployed, s.read(deployed).replace("so the person sees which", "so that we all see which"));
        Path source = s.repo.resolve("clients/shared/skills/recall/SKILL.md");
        String before = s.read(source);
        Sandbox.Result r = s.run("pull-runtime");
        assertEquals(2, r.exit(), r.out());
        int line = (int) s.read(deployed)
                        .lines()
                        .takeWhile(l -> !l.equals("<!-- tandem:footer -->"))
                        .count()
                + 2;
        assertTrue(r.err().startsWith("tandem: " + deployed + ":" + line + ":1: "), r.err());
        assertTrue(r.err().contains("footer"), r.err());
        assertEquals(before, s.read(source));
    }

    @Test
    void descriptionEditedInTheCodexSkillOfACommandIsPulledIntoTheCommand() throws Exception {
        Sandbox s = committed();
        Path deployed = s.codex("skills/handoff/SKILL.md");
        s.write(
                deployed,
                s.read(deployed).replaceFirst("description: [^\n]*\n", "description: Hand the task over.\n")
                        + "Keep it under twenty lines.\n");
        assertEquals(0, s.run("pull-runtime").exit());
        String command = s.read(s.repo.resolve("clients/shared/commands/handoff.md"));
        assertTrue(command.startsWith("---\ndescription: Hand the task over.\nargument-hint: "), command);
        assertTrue(command.endsWith("Keep it under twenty lines.\n"), command);
        assertEquals(0, s.run("push-runtime").exit());
        assertEquals(0, s.run("check-sync").exit());
    }

    @Test
    void anEditedBinaryFileOfASkillNamedWithAcceptIsPulledByteForByte() throws Exception {
        Sandbox s = new Sandbox(dir);
        Files.write(s.repo.resolve("clients/shared/skills/recall/icon.bin"), new byte[] {1, 2, 3});
        Files.delete(s.repo.resolve("clients/shared/memory/working-agreements.md"));
        s.commitRepo();
        assertEquals(0, s.run("push-runtime", "--engine", "claude").exit());
        byte[] edited = {(byte) 0xff, (byte) 0xd8, (byte) 0xc3, 0, (byte) 0x80, '\n', 'x'};
        Path icon = Files.write(s.claude("skills/recall/icon.bin"), edited);
        // a skill's file that is not Markdown is taken only when named (PullSkillScriptTest)
        Sandbox.Result pull = s.run(
                "pull-runtime",
                "--engine",
                "claude",
                "--accept",
                icon + "@" + Sha256.hex(edited).substring(0, 32));
        assertEquals(0, pull.exit(), pull.toString());
        assertArrayEquals(edited, Files.readAllBytes(s.repo.resolve("clients/shared/skills/recall/icon.bin")));
    }

    @Test
    void forcedPushReplacesAManagedFileEditedSinceTheLastPushAndKeepsTheEditInTheBackups() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.write(deployed, s.read(deployed).replace("# Recall shared memory", "# Recall shared memory (mine)"));
        Sandbox.Result push = s.run("push-runtime", "--force", deployed.toString());
        assertEquals(0, push.exit(), push.out() + push.err());
        assertTrue(push.out().contains("warning: " + deployed + " was changed since the last push"), push.out());
        assertFalse(s.read(deployed).contains("(mine)"));
        try (var runs = Files.list(s.home.resolve(".tandem/backups"))) {
            assertTrue(runs.anyMatch(run -> Files.exists(run.resolve(".claude/skills/recall/SKILL.md"))
                    && s.read(run.resolve(".claude/skills/recall/SKILL.md")).contains("(mine)")));
        }
    }

    @Test
    void pushKeepsAManagedFileEditedSinceTheLastPushWhoseSourceIsGone() throws Exception {
        Sandbox s = committed();
        Path deployed = s.claude("commands/handoff.md");
        s.write(deployed, s.read(deployed) + "My own step.\n");
        Files.delete(s.repo.resolve("clients/shared/commands/handoff.md"));
        Sandbox.Result push = s.run("push-runtime");
        assertEquals(1, push.exit(), push.out() + push.err());
        assertTrue(push.out().contains("tandem: " + deployed + ": edited since the last push"), push.out());
        assertTrue(s.read(deployed).endsWith("My own step.\n"));
        assertFalse(Files.exists(s.codex("skills/handoff/SKILL.md")), "the unedited copy goes");
    }

    @Test
    void pullDoesNotOverwriteASourceThatWasNeverCommitted() throws Exception {
        Sandbox s = committed();
        Path source = s.write(
                s.repo.resolve("clients/shared/skills/review/SKILL.md"),
                "---\nname: review\ndescription: Review a change.\n---\nReview it.\n");
        assertEquals(0, s.run("push-runtime").exit());
        Path deployed = s.claude("skills/review/SKILL.md");
        s.write(deployed, s.read(deployed).replace("Review it.", "Review it twice."));
        s.write(source, s.read(source).replace("Review it.", "Review it, and say why."));
        Sandbox.Result r = s.run("pull-runtime");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains(source + ": has uncommitted changes"), r.err());
        assertTrue(s.read(source).contains("Review it, and say why."));
    }
}
