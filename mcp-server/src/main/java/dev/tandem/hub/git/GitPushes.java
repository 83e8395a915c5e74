package dev.tandem.hub.git;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.BranchConfig;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/** Pushes a branch over file, https (hub tokens) or ssh (the person's {@code ~/.ssh}) and explains refusals. */
final class GitPushes implements AutoCloseable {
    private final HubCredentialsProvider credentials;
    private final File home;
    private SshdSessionFactory ssh;

    GitPushes(GitSettings settings) {
        this.credentials = new HubCredentialsProvider(settings.credentials());
        this.home = settings.home().toFile();
    }

    PushReport push(Repository repo, Optional<String> remoteArg, boolean force) throws IOException {
        String branch = GitService.branch(repo)
                .orElseThrow(() -> new GitException("HEAD is detached; check out a branch before pushing"));
        if (repo.resolve(Constants.HEAD) == null) {
            throw new GitException("branch '" + branch + "' has no commits yet; commit before pushing");
        }
        BranchConfig config = new BranchConfig(repo.getConfig(), branch);
        String remote = remoteArg.orElseGet(() -> Optional.ofNullable(config.getRemote())
                .filter(r -> !r.equals("."))
                .orElse(Constants.DEFAULT_REMOTE_NAME));
        Set<String> remotes = repo.getRemoteNames();
        if (!remotes.contains(remote)) {
            throw new GitException("no remote named '" + remote + "'; configured remotes: "
                    + (remotes.isEmpty() ? "none" : String.join(", ", new TreeSet<>(remotes))));
        }
        String source = Constants.R_HEADS + branch;
        String destination =
                remote.equals(config.getRemote()) && config.getMerge() != null ? config.getMerge() : source;
        RefSpec spec = new RefSpec(source + ":" + destination).setForceUpdate(force);
        String url = url(repo, remote);
        Iterable<PushResult> results;
        try (Git git = new Git(repo)) {
            results = git.push()
                    .setRemote(remote)
                    .setRefSpecs(spec)
                    .setForce(force)
                    .setCredentialsProvider(credentials)
                    .setTransportConfigCallback(transportConfig())
                    .call();
        } catch (GitAPIException e) {
            throw new GitException(
                    "push to '" + remote + "' (" + url + ") failed: " + Redaction.redact(e.getMessage()), e);
        }
        return report(remote, url, source, destination, force, results);
    }

    private static PushReport report(
            String remote, String url, String source, String destination, boolean force, Iterable<PushResult> results) {
        List<String> messages = new ArrayList<>();
        String status = "ok";
        for (PushResult r : results) {
            if (!r.getMessages().isBlank()) {
                messages.add(r.getMessages().strip());
            }
            for (RemoteRefUpdate u : r.getRemoteUpdates()) {
                status = switch (u.getStatus()) {
                    case OK -> "ok";
                    case UP_TO_DATE -> "up_to_date";
                    case REJECTED_NONFASTFORWARD ->
                        throw rejected(
                                remote,
                                u,
                                "it is not a fast-forward: the remote "
                                        + "has commits this branch lacks; fetch and merge or rebase, then push again");
                    case REJECTED_REMOTE_CHANGED ->
                        throw rejected(
                                remote, u, "the remote branch changed during " + "the push; fetch and try again");
                    case REJECTED_NODELETE -> throw rejected(remote, u, "the remote does not allow deleting refs");
                    case REJECTED_OTHER_REASON ->
                        throw rejected(
                                remote,
                                u,
                                Optional.ofNullable(u.getMessage())
                                        .map(Redaction::redact)
                                        .orElse("the remote refused it"));
                    case NON_EXISTING -> throw rejected(remote, u, "the remote ref does not exist");
                    case NOT_ATTEMPTED, AWAITING_REPORT ->
                        throw rejected(remote, u, "the remote did not report a " + "result (" + u.getStatus() + ")");
                };
            }
        }
        return new PushReport(remote, url, source, destination, status, force, String.join("\n", messages));
    }

    private static GitException rejected(String remote, RemoteRefUpdate u, String why) {
        return new GitException("push to '" + remote + "' rejected: " + Repository.shortenRefName(u.getSrcRef())
                + " -> " + Repository.shortenRefName(u.getRemoteName()) + ": " + why);
    }

    private static String url(Repository repo, String remote) {
        try {
            RemoteConfig rc = new RemoteConfig(repo.getConfig(), remote);
            List<URIish> uris = rc.getPushURIs().isEmpty() ? rc.getURIs() : rc.getPushURIs();
            return uris.isEmpty() ? "" : uris.get(0).setUser(null).setPass(null).toString();
        } catch (java.net.URISyntaxException e) {
            throw new GitException("remote '" + remote + "' has an invalid URL", e);
        }
    }

    private TransportConfigCallback transportConfig() {
        return transport -> {
            if (transport instanceof SshTransport s) {
                s.setSshSessionFactory(sshFactory());
            }
        };
    }

    /** Returns the ssh client: Apache MINA sshd with the person's keys, {@code known_hosts} and ssh config. */
    private synchronized SshdSessionFactory sshFactory() {
        if (ssh == null) {
            ssh = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(home)
                    .setSshDirectory(new File(home, ".ssh"))
                    .build(new JGitKeyCache());
        }
        return ssh;
    }

    @Override
    public synchronized void close() {
        if (ssh != null) {
            ssh.close();
        }
    }
}
