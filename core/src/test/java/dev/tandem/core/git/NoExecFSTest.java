package dev.tandem.core.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.ProcessResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantee by construction: JGit, handed a repository opened with {@link NoExecFS}, cannot start a process
 * through any of the entry points it uses, even when a caller asks for one directly.
 */
class NoExecFSTest {
    @TempDir
    Path dir;

    private Path marker;
    private Path work;

    @BeforeEach
    void setUp() throws Exception {
        marker = dir.resolve("marker");
        work = dir.resolve("work");
        try (Git git =
                Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("a.txt"), "a\n");
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("first")
                    .setAuthor("A", "a@x")
                    .setSign(false)
                    .call();
        }
    }

    private Repository open() throws IOException {
        return new FileRepositoryBuilder()
                .setFS(NoExecFS.sealed())
                .setWorkTree(work.toFile())
                .build();
    }

    @Test
    void anInstalledHookIsReportedAbsentAndNotRun() throws Exception {
        Path hook = work.resolve(".git/hooks/pre-commit");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, "#!/bin/sh\ntouch " + marker + "\n");
        hook.toFile().setExecutable(true);
        try (Repository repo = open()) {
            ProcessResult r = repo.getFS().runHookIfPresent(repo, "pre-commit", new String[0]);
            assertEquals(ProcessResult.Status.NOT_PRESENT, r.getStatus());
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void noShellCommandCanBeStarted() {
        NoExecFS fs = NoExecFS.sealed();
        assertThrows(ProgramRefusedException.class, () -> fs.runInShell("touch " + marker, new String[0]));
        ProcessBuilder direct = new ProcessBuilder("touch", marker.toString());
        assertThrows(IOException.class, () -> fs.execute(direct, null));
        assertThrows(IOException.class, () -> fs.runProcess(direct, null, null, (String) null));
        assertFalse(Files.exists(marker));
    }

    @Test
    void aLocalTransportAskedForAReceivePackProgramRefuses() throws Exception {
        Path bare = dir.resolve("bare.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).call().close();
        try (Repository repo = open();
                Transport t = Transport.open(repo, new URIish(bare.toString()))) {
            t.setOptionReceivePack("touch " + marker + "; git-receive-pack");
            RemoteRefUpdate update = new RemoteRefUpdate(repo, "refs/heads/main", "refs/heads/main", false, null, null);
            assertThrows(ProgramRefusedException.class, () -> t.push(NullProgressMonitor.INSTANCE, List.of(update)));
        }
        assertFalse(Files.exists(marker));
    }
}
