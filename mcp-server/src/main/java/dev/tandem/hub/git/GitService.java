package dev.tandem.hub.git;

import dev.tandem.core.fs.RegularFiles;
import dev.tandem.core.git.NoExecFS;
import dev.tandem.hub.fs.DenyList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LogCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.EmptyCommitException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.BranchTrackingStatus;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.IndexDiff;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.submodule.SubmoduleWalk.IgnoreSubmoduleMode;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.RawParseUtils;
import org.eclipse.jgit.util.SystemReader;

/**
 * Git for the hub's tools, through JGit only: status, diff, log, commit and push inside the roots.
 *
 * <p>Repositories are opened through {@link WorkTrees} (their git data must lie inside the roots) with {@link
 * NoExecFS} (nothing a repository names is ever run), and the work tree is read through {@link
 * CheckedTreeIterator}. Files on the hub's deny list ({@link DenyList}, {@code [fs] deny}) are named but their
 * content is never shown, committed or pushed ({@link DeniedPaths}). Whatever JGit throws, checked or not, leaves
 * as a one-line {@link GitException} naming the folder, with secrets removed.
 */
public final class GitService implements AutoCloseable {
    private final WorkTrees workTrees;
    private final GitSettings settings;
    private final GitPushes pushes;
    private final DenyList deny;

    /** Creates the service with no deny list: for tests and benchmarks of repositories holding no secrets. */
    public GitService(List<Path> roots, GitSettings settings) {
        this(roots, settings, DenyList.NONE);
    }

    /**
     * Creates the service.
     *
     * @param deny what the fs tools never serve; the git tools never show, commit or push its content either
     */
    public GitService(List<Path> roots, GitSettings settings, DenyList deny) {
        NoExecFS.sealed();
        this.workTrees = new WorkTrees(roots);
        this.settings = settings;
        this.pushes = new GitPushes(settings, workTrees.bounds());
        this.deny = deny;
    }

    public GitSettings settings() {
        return settings;
    }

    /** Returns the status of the work tree holding {@code dir}, each list cut at {@code maxEntries}. */
    public StatusReport status(Optional<String> dir, int maxEntries) {
        return withRepo("status", dir, (repo, denied) -> {
            Status s = status(repo);
            Limit limit = new Limit(maxEntries);
            List<FileChange> staged = limit.changes(s.getAdded(), s.getChanged(), s.getRemoved());
            List<FileChange> unstaged = limit.changes(Set.of(), s.getModified(), s.getMissing());
            List<String> untracked = limit.paths(s.getUntracked());
            List<String> conflicting = limit.paths(s.getConflicting());
            Optional<String> branch = branch(repo);
            Optional<BranchTrackingStatus> tracking = branch.isEmpty()
                    ? Optional.empty()
                    : Optional.ofNullable(BranchTrackingStatus.of(repo, branch.get()));
            return new StatusReport(
                    repo.getWorkTree().toPath().toString(),
                    branch,
                    Optional.ofNullable(repo.resolve(Constants.HEAD))
                            .map(id -> id.abbreviate(7).name()),
                    tracking.map(t -> Repository.shortenRefName(t.getRemoteTrackingBranch())),
                    tracking.map(BranchTrackingStatus::getAheadCount).orElse(0),
                    tracking.map(BranchTrackingStatus::getBehindCount).orElse(0),
                    staged,
                    unstaged,
                    untracked,
                    conflicting,
                    limit.truncated);
        });
    }

    /** Returns a unified diff; see {@link DiffRequest} for what is compared. */
    public DiffReport diff(Optional<String> dir, DiffRequest request) {
        return withRepo("diff", dir, (repo, denied) -> {
            AttributeRules.checkIndexAndHead(repo);
            return GitDiffs.diff(repo, request, workTree(repo), denied);
        });
    }

    /** Returns up to {@code n} commits reachable from HEAD, newest first, touching {@code path} if given. */
    public List<LogEntry> log(Optional<String> dir, int n, Optional<String> path) {
        return withRepo("log", dir, (repo, denied) -> {
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head == null) {
                return List.of();
            }
            try (Git git = new Git(repo)) {
                LogCommand log = git.log().add(head).setMaxCount(n);
                path.map(GitDiffs::repoPath).filter(p -> !p.isEmpty()).ifPresent(log::addPath);
                List<LogEntry> out = new ArrayList<>();
                for (RevCommit c : log.call()) {
                    PersonIdent a = c.getAuthorIdent();
                    out.add(new LogEntry(c.name(), a.getName(), a.getEmailAddress(), a.getWhenAsInstant(), subject(c)));
                }
                return out;
            }
        });
    }

    /**
     * Stages everything ({@code add -A}, removals included) and commits it; an empty commit is refused. Hooks are
     * not run and the commit is not signed, whatever the repository's config says.
     *
     * <p>A commit that would record new content for a path on the deny list (a new or changed file, whether {@code
     * add -A} would stage it or it is staged already) is refused naming the paths, before anything is staged;
     * removing such a file is allowed.
     */
    public CommitResult commit(Optional<String> dir, String message) {
        if (message.isBlank()) {
            throw new GitException("message is empty; say what the commit does");
        }
        return withRepo("commit", dir, (repo, denied) -> {
            Status before = status(repo);
            Set<String> conflicting = before.getConflicting();
            if (!conflicting.isEmpty()) {
                throw new GitException("cannot commit: unresolved conflicts in "
                        + String.join(", ", new TreeSet<>(conflicting)) + "; resolve them first");
            }
            Set<String> recorded = new TreeSet<>();
            recorded.addAll(before.getUntracked());
            recorded.addAll(before.getModified());
            recorded.addAll(before.getAdded());
            recorded.addAll(before.getChanged());
            refuseSecrets(dir, denied.of(recorded));
            try (Git git = new Git(repo)) {
                git.add()
                        .addFilepattern(".")
                        .setAll(true)
                        .setWorkingTreeIterator(workTree(repo))
                        .call();
                // Checked again on what was staged: a file that appeared since the status above is caught here.
                refuseSecrets(dir, SecretContent.staged(repo, denied));
                if (repo.resolve(Constants.HEAD) == null && repo.readDirCache().getEntryCount() == 0) {
                    throw nothingToCommit(dir);
                }
                PersonIdent who = CommitAuthor.resolve(repo.getConfig(), settings);
                RevCommit c = git.commit()
                        .setMessage(message)
                        .setAuthor(who)
                        .setCommitter(who)
                        .setAllowEmpty(false)
                        .setNoVerify(true)
                        .setSign(false)
                        .call();
                return new CommitResult(c.name(), branch(repo), who.getName(), who.getEmailAddress(), subject(c));
            } catch (EmptyCommitException e) {
                throw nothingToCommit(dir);
            }
        });
    }

    /**
     * Pushes the current branch to its upstream, or to {@code remote}'s branch of the same name.
     *
     * @param force rewrite the remote branch; refused unless {@code [git] allow_force = true}
     */
    public PushReport push(Optional<String> dir, Optional<String> remote, boolean force) {
        if (force && !settings.allowForce()) {
            throw new GitException("force push is disabled; set [git] allow_force = true in hub.toml to allow it");
        }
        return withRepo("push", dir, (repo, denied) -> pushes.push(repo, remote, force, denied));
    }

    private CheckedTreeIterator workTree(Repository repo) {
        return new CheckedTreeIterator(repo, workTrees.bounds(), excludes(repo));
    }

    /**
     * Returns the ignore files below the work tree's own {@code .gitignore} files, as JGit finds them: {@code
     * core.excludesFile} (default {@code $XDG_CONFIG_HOME/git/ignore}), then the repository's {@code info/exclude}.
     */
    private static List<Path> excludes(Repository repo) {
        FS fs = repo.getFS();
        List<Path> out = new ArrayList<>();
        Path configured = repo.getConfig()
                .getPath(
                        ConfigConstants.CONFIG_CORE_SECTION,
                        null,
                        ConfigConstants.CONFIG_KEY_EXCLUDESFILE,
                        fs,
                        null,
                        null);
        if (configured != null) {
            out.add(configured);
        } else {
            Path xdg = SystemReader.getInstance().getXdgConfigDirectory(fs);
            if (xdg != null) {
                out.add(xdg.resolve("git").resolve("ignore"));
            }
        }
        out.add(fs.resolve(repo.getCommonDirectory(), Constants.INFO_EXCLUDE).toPath());
        return out;
    }

    /** Returns what {@code git status} reports, through the checked work tree, nested repositories included. */
    private Status status(Repository repo) throws IOException {
        AttributeRules.checkIndexAndHead(repo);
        workTrees.bounds().checkModules(repo.getWorkTree().toPath(), "the work tree");
        IndexDiff diff = new IndexDiff(repo, Constants.HEAD, workTree(repo));
        // set here, JGit never reads .gitmodules itself (it would, after the walk, following its includes unchecked)
        diff.setIgnoreSubmoduleMode(submoduleIgnore(repo.getWorkTree().toPath()));
        diff.setWorkingTreeItFactory(this::workTree);
        diff.diff(() -> workTrees.bounds().builder("a nested repository"));
        return new Status(diff);
    }

    /**
     * Returns the {@code submodule.*.ignore} mode of the work tree's {@code .gitmodules} as the hub reads it: a
     * regular file of at most 1 MiB opened without blocking, its includes not followed (git does not follow them in
     * {@code .gitmodules} either). One mode when every submodule names the same, else {@code none}: every change of
     * a nested repository is shown, never fewer than git would show.
     */
    static IgnoreSubmoduleMode submoduleIgnore(Path workTree) {
        Config c = new Config();
        try {
            byte[] bytes = RegularFiles.read(workTree.resolve(Constants.DOT_GIT_MODULES), Optional.empty(), 1 << 20);
            c.fromText(RawParseUtils.decode(bytes));
        } catch (IOException | ConfigInvalidException e) {
            return IgnoreSubmoduleMode.NONE;
        }
        Set<IgnoreSubmoduleMode> modes = new HashSet<>();
        for (String name : c.getSubsections(ConfigConstants.CONFIG_SUBMODULE_SECTION)) {
            try {
                modes.add(
                        c.getEnum(ConfigConstants.CONFIG_SUBMODULE_SECTION, name, "ignore", IgnoreSubmoduleMode.NONE));
            } catch (IllegalArgumentException e) {
                modes.add(IgnoreSubmoduleMode.NONE);
            }
        }
        return modes.size() == 1 ? modes.iterator().next() : IgnoreSubmoduleMode.NONE;
    }

    private static void refuseSecrets(Optional<String> dir, List<String> secrets) {
        if (!secrets.isEmpty()) {
            throw new GitException("git commit in '" + dir.orElse(".") + "' refused: it would record the content of "
                    + DeniedPaths.show(secrets) + ", on the hub's deny list of secrets ([fs] deny, see docs/fs.md);"
                    + " commit such files with git yourself, or list them in .gitignore");
        }
    }

    /** Work on one repository; the body may throw anything. */
    private interface RepoWork<T> {
        T apply(Repository repo, DeniedPaths denied) throws IOException, GitAPIException;
    }

    /**
     * Opens the repository holding {@code dir} and runs {@code work} on it, after refusing a {@code dir} or a work
     * tree that is itself on the deny list (a repository inside {@code ~/.password-store}, {@code dir: .ssh}).
     */
    private <T> T withRepo(String what, Optional<String> dir, RepoWork<T> work) {
        try (Repository repo = workTrees.open(dir)) {
            DeniedPaths denied = new DeniedPaths(deny, repo.getWorkTree().toPath());
            if (denied.wholeTreeDenied() || deny.denied(workTrees.realDir(dir))) {
                throw new GitException("dir '" + dir.orElse(".") + "' is refused: it is on the hub's deny list of"
                        + " secrets (its own state and credentials; [fs] deny, see docs/fs.md)");
            }
            return work.apply(repo, denied);
        } catch (GitException e) {
            throw e;
        } catch (IOException | GitAPIException | RuntimeException e) {
            throw failure(what, dir, e);
        }
    }

    static Optional<String> branch(Repository repo) throws IOException {
        String full = repo.getFullBranch();
        return full != null && full.startsWith(Constants.R_HEADS)
                ? Optional.of(full.substring(Constants.R_HEADS.length()))
                : Optional.empty();
    }

    private static String subject(RevCommit c) {
        return c.getShortMessage();
    }

    private static GitException nothingToCommit(Optional<String> dir) {
        return new GitException("nothing to commit in '" + dir.orElse(".") + "': the work tree matches HEAD");
    }

    private GitException failure(String what, Optional<String> dir, Exception e) {
        return new GitException(
                "git " + what + " in '" + dir.orElse(".") + "' failed: " + GitFailure.describe(e, settings.secrets()),
                e);
    }

    @Override
    public void close() {
        pushes.close();
    }

    /** Cuts lists at a maximum and remembers whether it did. */
    private static final class Limit {
        private final int max;
        private boolean truncated;

        Limit(int max) {
            this.max = max;
        }

        List<String> paths(Set<String> paths) {
            List<String> sorted = new ArrayList<>(new TreeSet<>(paths));
            if (sorted.size() > max) {
                truncated = true;
                return sorted.subList(0, max);
            }
            return sorted;
        }

        List<FileChange> changes(Set<String> added, Set<String> modified, Set<String> deleted) {
            List<FileChange> out = new ArrayList<>();
            added.forEach(p -> out.add(new FileChange(p, "added")));
            modified.forEach(p -> out.add(new FileChange(p, "modified")));
            deleted.forEach(p -> out.add(new FileChange(p, "deleted")));
            out.sort(java.util.Comparator.comparing(FileChange::path));
            if (out.size() > max) {
                truncated = true;
                return out.subList(0, max);
            }
            return out;
        }
    }
}
