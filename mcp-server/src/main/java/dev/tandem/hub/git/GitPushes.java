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
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.transport.HttpTransport;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Pushes a branch over file, https (hub tokens) or ssh (the person's {@code ~/.ssh}) and explains refusals.
 *
 * <p>Each transport is checked once JGit has resolved the remote's URL (rewrites included) and before it connects:
 * a local target must be a repository whose git data lies inside the roots ({@link RepoBounds}); https
 * connections are bound to the URL's origin ({@link OriginBoundConnections}); other transports are refused. A
 * local push runs JGit's receive-pack inside the hub ({@code remote.*.receivepack} is never run).
 */
final class GitPushes implements AutoCloseable {
    private final HubCredentialsProvider credentials;
    private final GitSettings settings;
    private final RepoBounds bounds;
    private final File home;
    private SshdSessionFactory ssh;

    GitPushes(GitSettings settings, RepoBounds bounds) {
        this.credentials = new HubCredentialsProvider(settings.credentials());
        this.settings = settings;
        this.bounds = bounds;
        this.home = settings.home().toFile();
    }

    /**
     * Pushes the current branch.
     *
     * @param denied paths whose new content no pushed commit may carry; see {@link SecretContent#toSend}
     */
    PushReport push(Repository repo, Optional<String> remoteArg, boolean force, DeniedPaths denied) throws IOException {
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
        List<String> secrets = SecretContent.toSend(repo, repo.resolve(source), remote, denied);
        if (!secrets.isEmpty()) {
            throw new GitException("push to '" + remote + "' refused: the commits it would send record the content of "
                    + DeniedPaths.show(secrets) + ", on the hub's deny list of secrets ([fs] deny, see docs/fs.md);"
                    + " push them with git yourself");
        }
        Iterable<PushResult> results;
        try (Git git = new Git(repo)) {
            results = git.push()
                    .setRemote(remote)
                    .setRefSpecs(spec)
                    .setForce(force)
                    .setCredentialsProvider(credentials)
                    .setTransportConfigCallback(transportConfig(repo, remote))
                    .call();
        } catch (GitException e) {
            throw e;
        } catch (GitAPIException | RuntimeException e) {
            throw new GitException(
                    "push to '" + remote + "' (" + url + ") failed: " + GitFailure.describe(e, settings.secrets()), e);
        }
        return report(remote, url, source, destination, force, results, settings.secrets());
    }

    private static PushReport report(
            String remote,
            String url,
            String source,
            String destination,
            boolean force,
            Iterable<PushResult> results,
            List<String> secrets) {
        List<String> messages = new ArrayList<>();
        String status = "ok";
        for (PushResult r : results) {
            if (!r.getMessages().isBlank()) {
                messages.add(Redaction.redactLines(r.getMessages().strip(), secrets));
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
                                        .map(m -> Redaction.redact(m, secrets))
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
            return uris.isEmpty()
                    ? ""
                    : Redaction.redact(uris.get(0).setUser(null).setPass(null).toString());
        } catch (java.net.URISyntaxException e) {
            throw new GitException("remote '" + remote + "' has an invalid URL", e);
        }
    }

    private TransportConfigCallback transportConfig(Repository repo, String remote) {
        return transport -> {
            URIish uri = transport.getURI();
            if (transport instanceof SshTransport s) {
                s.setSshSessionFactory(sshFactory());
            } else if (transport instanceof TransportHttp http) {
                http.setHttpConnectionFactory(new OriginBoundConnections(
                        HttpTransport.getConnectionFactory(), UrlScope.origin(uri), credentials.covers(uri)));
            } else if (isLocal(uri)) {
                requireInsideRoots(repo, remote, uri);
            } else {
                throw new GitException("remote '" + remote + "' uses " + uri.getScheme() + "://, which the hub does"
                        + " not push over; it pushes to local repositories, http(s) and ssh");
            }
        };
    }

    /** Returns whether JGit takes {@code uri} for a local path (a folder, a {@code file://} URL or a bundle). */
    private static boolean isLocal(URIish uri) {
        return (uri.getScheme() == null || uri.getScheme().equals("file")) && uri.getHost() == null;
    }

    /** Resolves a local target as JGit's local transport does and refuses one whose git data is outside. */
    private void requireInsideRoots(Repository repo, String remote, URIish uri) {
        String shown = "remote '" + remote + "'";
        File path = repo.getFS().resolve(repo.getWorkTree(), uri.getPath());
        File gitDir = RepositoryCache.FileKey.resolve(path, repo.getFS());
        if (gitDir == null) {
            if (bounds.rootOf(path.toPath().toAbsolutePath().normalize()).isEmpty()) {
                throw new GitException(shown + ": " + uri.getPath() + " leads outside the roots");
            }
            return; // JGit reports that no repository is there
        }
        try {
            // opening it checks its git dir, common dir and object stores
            bounds.builder(shown).setGitDir(gitDir).setMustExist(true).build().close();
        } catch (IOException e) {
            throw new GitException(shown + ": cannot open " + uri.getPath() + ": " + GitFailure.describe(e), e);
        }
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
