package dev.tandem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.sync.engine.Backups;
import dev.tandem.sync.engine.DiskWriter;
import dev.tandem.sync.engine.FileTransaction;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.Plan;
import dev.tandem.sync.engine.Planner;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.runtime.Engine;
import dev.tandem.sync.runtime.Manifest;
import dev.tandem.sync.runtime.RuntimeModel;
import dev.tandem.sync.runtime.Settings;
import dev.tandem.sync.runtime.Sources;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file push-runtime deploys (a skill) swapped for a symlink after the plan checked it: the write never goes
 * through the link. The plan is made, the file is swapped, then the plan is written, as a racing agent would.
 */
class PushLinkRaceTest {
    private static final String BASHRC = "export PATH=/usr/bin\n";

    @TempDir
    Path dir;

    @Test
    void aSkillFileSwappedForALinkBetweenPlanAndWriteIsRefusedAndItsTargetUntouched() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        Path bashrc = s.write(s.home.resolve(".bashrc"), BASHRC);
        Settings settings = settings(s, Engine.CLAUDE);
        Plan plan = planWritingTheRecallSkill(s, settings);
        Path deployed = s.claude("skills/recall/SKILL.md");
        s.link(deployed, bashrc);

        DiskWriter writer = writer(s, settings);
        InputException e = assertThrows(InputException.class, () -> writer.apply(plan));

        assertTrue(e.getMessage().contains(deployed + ": is a symlink (to " + bashrc + ")"), e.getMessage());
        assertEquals(BASHRC, s.read(bashrc));
        assertTrue(Files.isSymbolicLink(deployed), "nothing was written: the link is left for the person to see");
    }

    @Test
    void anAgentsMdSwappedForALinkBetweenPlanAndWriteIsRefusedAndItsTargetUntouched() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        Path bashrc = s.write(s.home.resolve(".bashrc"), BASHRC);
        Path agents = s.codex("AGENTS.md");
        s.write(agents, "# Mine\n" + s.read(agents));
        Settings settings = settings(s, Engine.CODEX);
        RuntimeModel.Build build = modelAfterTheLastPush(s, settings);
        Plan plan = Planner.plan(build.targets(), build.warnings());
        assertTrue(plan.changes().stream().anyMatch(c -> c.path().equals(agents)), "the plan writes AGENTS.md");
        s.link(agents, bashrc);

        DiskWriter writer = writer(s, settings);
        InputException e = assertThrows(InputException.class, () -> writer.apply(plan));

        assertTrue(e.getMessage().contains(agents + ": has become a symlink (to " + bashrc + ")"), e.getMessage());
        assertEquals(BASHRC, s.read(bashrc));
    }

    @Test
    void aLinkPutInPlaceOfADocumentAFirstPushIsWritingSuggestsRunningAgainNotForce() throws Exception {
        Sandbox s = Sandbox.committed(dir);
        Path bashrc = s.write(s.home.resolve(".bashrc"), BASHRC);
        Settings settings = settings(s, Engine.CODEX);
        RuntimeModel.Build build = RuntimeModel.push(settings, Sources.load(settings.clients()), Manifest.empty());
        Plan plan = Planner.plan(build.targets(), build.warnings());
        Path agents = s.link(s.codex("AGENTS.md"), bashrc);

        DiskWriter writer = writer(s, settings);
        InputException e = assertThrows(InputException.class, () -> writer.apply(plan));

        assertTrue(e.getMessage().contains(agents + ": has become a symlink (to " + bashrc + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("run the command again"), e.getMessage());
        assertFalse(e.getMessage().contains("--force"), "the manifest has no AGENTS.md to force: " + e.getMessage());
        assertEquals(BASHRC, s.read(bashrc));
    }

    @Test
    void aLinkPutInPlaceAfterStagingIsReplacedNotWrittenThrough() throws Exception {
        Path bashrc = Files.writeString(dir.resolve(".bashrc"), BASHRC);
        Path skill = Files.createDirectories(dir.resolve("skills/recall")).resolve("SKILL.md");
        Files.writeString(skill, "old\n");
        Backups backups = new Backups(dir.resolve("backups"), dir, 5, Clock.systemUTC());
        try (FileTransaction tx = new FileTransaction(backups, line -> {})) {
            tx.replace(
                    skill,
                    Optional.of("old\n".getBytes(StandardCharsets.UTF_8)),
                    "new\n".getBytes(StandardCharsets.UTF_8),
                    Target.PUBLIC,
                    false,
                    false);
            Files.delete(skill);
            Files.createSymbolicLink(skill, bashrc);
            tx.commit();
        }
        assertEquals(BASHRC, Files.readString(bashrc));
        assertFalse(Files.isSymbolicLink(skill), "the link itself was replaced");
        assertEquals("new\n", Files.readString(skill));
    }

    @Test
    void aPersonsDocumentLinkedFromADotfilesCheckoutIsStillWrittenThrough() throws Exception {
        Path real = Files.writeString(dir.resolve("dotfiles-AGENTS.md"), "# Mine\n");
        Path doc = dir.resolve("AGENTS.md");
        Files.createSymbolicLink(doc, real);
        Backups backups = new Backups(dir.resolve("backups"), dir, 5, Clock.systemUTC());
        try (FileTransaction tx = new FileTransaction(backups, line -> {})) {
            tx.replace(
                    doc,
                    Optional.of("# Mine\n".getBytes(StandardCharsets.UTF_8)),
                    "# Mine\nmore\n".getBytes(StandardCharsets.UTF_8),
                    Target.PUBLIC,
                    false,
                    true);
            tx.commit();
        }
        assertTrue(Files.isSymbolicLink(doc));
        assertEquals("# Mine\nmore\n", Files.readString(real));
    }

    @Test
    void aScriptSwappedForALinkBetweenStagingAndItsChmodIsRefusedAndTheLinkTargetKeepsItsMode() throws Exception {
        Path key = Files.writeString(dir.resolve("id_ed25519"), "secret\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path script = Files.createDirectories(dir.resolve("skills/recall")).resolve("run.sh");
        Files.writeString(script, "echo hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        Backups backups = new Backups(dir.resolve("backups"), dir, 5, Clock.systemUTC());
        try (FileTransaction tx = new FileTransaction(backups, line -> {})) {
            tx.chmod(script, Target.EXECUTABLE);
            Files.delete(script);
            Files.createSymbolicLink(script, key);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, tx::commit);
            assertTrue(e.getMessage().contains(script + ": is a symbolic link"), e.getMessage());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.isSymbolicLink(script), "the link is left for the person to see");
    }

    @Test
    void aSkillFileSwappedForAHardLinkToASecretBetweenPlanAndWriteIsRefusedAndNeverBackedUp() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        String secret = "-----BEGIN OPENSSH PRIVATE KEY----- not for backups\n";
        Path key = s.write(s.home.resolve(".ssh/id_ed25519"), secret);
        Settings settings = settings(s, Engine.CLAUDE);
        Plan plan = planWritingTheRecallSkill(s, settings);
        Path deployed = s.claude("skills/recall/SKILL.md");
        Files.delete(deployed);
        Files.createLink(deployed, key);

        DiskWriter writer = writer(s, settings);
        InputException e = assertThrows(InputException.class, () -> writer.apply(plan));

        assertTrue(e.getMessage().startsWith(deployed + ": has 2 hard links"), e.getMessage());
        assertEquals(secret, s.read(key));
        try (Stream<Path> files = Files.walk(s.home.resolve(".tandem"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains("not for backups"), f + " holds the secret");
            }
        }
    }

    @Test
    void aDeployedScriptThatLostItsExecutableBitIsReplacedByRenameNeverChmoddedInPlace() throws Exception {
        Sandbox s = new Sandbox(dir);
        Path script = s.write(s.repo.resolve("clients/shared/skills/recall/scripts/check.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(0, s.run("push-runtime").exit());
        Path deployed = s.claude("skills/recall/scripts/check.sh");
        Files.setPosixFilePermissions(deployed, PosixFilePermissions.fromString("rw-r--r--"));
        Object inode = Files.readAttributes(deployed, BasicFileAttributes.class).fileKey();

        Sandbox.Result push = s.run("push-runtime");

        assertEquals(0, push.exit(), push.err());
        assertTrue(Files.isExecutable(deployed));
        assertNotEquals(
                inode,
                Files.readAttributes(deployed, BasicFileAttributes.class).fileKey(),
                "a new file was renamed into place: a hard link put there before the write keeps its mode");
    }

    @Test
    void aSkillFileSwappedForAHardLinkToASecretBetweenModelAndPlanIsRefusedByThePlan() throws Exception {
        Sandbox s = Sandbox.pushed(dir);
        Path key = s.write(s.home.resolve(".ssh/id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        editRecallSkillSource(s);
        Settings settings = settings(s, Engine.CLAUDE);
        RuntimeModel.Build build = modelAfterTheLastPush(s, settings);
        Path deployed = s.claude("skills/recall/SKILL.md");
        Files.delete(deployed);
        Files.createLink(deployed, key);

        InputException e = assertThrows(InputException.class, () -> Planner.plan(build.targets(), build.warnings()));

        assertTrue(e.getMessage().startsWith(deployed + ": has 2 hard links"), e.getMessage());
    }

    /** Adds a line to the recall skill's source in the repo, so that a push has its deployed copies to write. */
    private static void editRecallSkillSource(Sandbox s) {
        Path source = s.repo.resolve("clients/shared/skills/recall/SKILL.md");
        s.write(source, s.read(source) + "\nOne more line.\n");
    }

    /** Edits the recall skill's source and returns push's plan, asserting that it writes Claude Code's copy. */
    private static Plan planWritingTheRecallSkill(Sandbox s, Settings settings) {
        editRecallSkillSource(s);
        RuntimeModel.Build build = modelAfterTheLastPush(s, settings);
        Plan plan = Planner.plan(build.targets(), build.warnings());
        Path deployed = s.claude("skills/recall/SKILL.md");
        assertTrue(plan.changes().stream().anyMatch(c -> c.path().equals(deployed)), "the plan writes the skill");
        return plan;
    }

    private static Settings settings(Sandbox s, Engine engine) {
        return Settings.load(s.home, s.repo, Map.of(), engine, Optional.empty());
    }

    /** Returns what push-runtime would deploy now, against the manifest the last push left in the home. */
    private static RuntimeModel.Build modelAfterTheLastPush(Sandbox s, Settings settings) {
        Manifest manifest = Manifest.load(settings.manifest(), s.home);
        return RuntimeModel.push(settings, Sources.load(settings.clients()), manifest);
    }

    /** Returns the writer push-runtime applies a plan with, its output thrown away. */
    private static DiskWriter writer(Sandbox s, Settings settings) {
        return new DiskWriter(
                new Backups(settings.backups(), s.home, 5, Clock.systemUTC()), new PrintWriter(new StringWriter()));
    }
}
