package dev.tandem.hub.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LogCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.EmptyCommitException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.BranchTrackingStatus;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/** Git for the hub's tools, through JGit only: status, diff, log, commit and push inside the roots. */
public final class GitService implements AutoCloseable {
    private final WorkTrees workTrees;
    private final GitSettings settings;
    private final GitPushes pushes;

    public GitService(List<Path> roots, GitSettings settings) {
        this.workTrees = new WorkTrees(roots);
        this.settings = settings;
        this.pushes = new GitPushes(settings);
    }

    public GitSettings settings() {
        return settings;
    }

    /** Returns the status of the work tree holding {@code dir}, each list cut at {@code maxEntries}. */
    public StatusReport status(Optional<String> dir, int maxEntries) {
        try (Repository repo = workTrees.open(dir);
                Git git = new Git(repo)) {
            Status s = git.status().call();
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
        } catch (GitAPIException | IOException e) {
            throw failure("status", dir, e);
        }
    }

    /** Returns a unified diff; see {@link DiffRequest} for what is compared. */
    public DiffReport diff(Optional<String> dir, DiffRequest request) {
        try (Repository repo = workTrees.open(dir)) {
            return GitDiffs.diff(repo, request);
        } catch (IOException e) {
            throw failure("diff", dir, e);
        }
    }

    /** Returns up to {@code n} commits reachable from HEAD, newest first, touching {@code path} if given. */
    public List<LogEntry> log(Optional<String> dir, int n, Optional<String> path) {
        try (Repository repo = workTrees.open(dir);
                Git git = new Git(repo)) {
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head == null) {
                return List.of();
            }
            LogCommand log = git.log().add(head).setMaxCount(n);
            path.map(GitDiffs::repoPath).filter(p -> !p.isEmpty()).ifPresent(log::addPath);
            List<LogEntry> out = new ArrayList<>();
            for (RevCommit c : log.call()) {
                PersonIdent a = c.getAuthorIdent();
                out.add(new LogEntry(c.name(), a.getName(), a.getEmailAddress(), a.getWhenAsInstant(), subject(c)));
            }
            return out;
        } catch (GitAPIException | IOException e) {
            throw failure("log", dir, e);
        }
    }

    /** Stages everything ({@code add -A}, removals included) and commits it; an empty commit is refused. */
    public CommitResult commit(Optional<String> dir, String message) {
        if (message.isBlank()) {
            throw new GitException("message is empty; say what the commit does");
        }
        try (Repository repo = workTrees.open(dir);
                Git git = new Git(repo)) {
            Set<String> conflicting = git.status().call().getConflicting();
            if (!conflicting.isEmpty()) {
                throw new GitException("cannot commit: unresolved conflicts in "
                        + String.join(", ", new TreeSet<>(conflicting)) + "; resolve them first");
            }
            git.add().addFilepattern(".").setAll(true).call();
            if (repo.resolve(Constants.HEAD) == null && repo.readDirCache().getEntryCount() == 0) {
                throw nothingToCommit(dir);
            }
            PersonIdent who = CommitAuthor.resolve(repo.getConfig(), settings);
            RevCommit c = git.commit()
                    .setMessage(message)
                    .setAuthor(who)
                    .setCommitter(who)
                    .setAllowEmpty(false)
                    .call();
            return new CommitResult(c.name(), branch(repo), who.getName(), who.getEmailAddress(), subject(c));
        } catch (EmptyCommitException e) {
            throw nothingToCommit(dir);
        } catch (GitAPIException | IOException e) {
            throw failure("commit", dir, e);
        }
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
        try (Repository repo = workTrees.open(dir)) {
            return pushes.push(repo, remote, force);
        } catch (IOException e) {
            throw failure("push", dir, e);
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

    private static GitException failure(String what, Optional<String> dir, Exception e) {
        return new GitException(
                "git " + what + " in '" + dir.orElse(".") + "' failed: " + Redaction.redact(e.getMessage()), e);
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
