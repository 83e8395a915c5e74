package dev.tandem.hub.git;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;

/** Answers JGit's user name and password questions for https remotes from the hub's configured tokens. */
final class HubCredentialsProvider extends CredentialsProvider {
    private final List<HttpsCredential> credentials;

    HubCredentialsProvider(List<HttpsCredential> credentials) {
        this.credentials = List.copyOf(credentials);
    }

    /** Returns the credential for {@code uri}'s origin with the longest matching path prefix, if any. */
    Optional<HttpsCredential> find(URIish uri) {
        return credentials.stream()
                .filter(c -> c.matches(uri))
                .max(Comparator.comparingInt(c -> c.scope().path().length()));
    }

    /** Returns whether a configured credential applies to {@code uri}. */
    boolean covers(URIish uri) {
        return find(uri).isPresent();
    }

    @Override
    public boolean isInteractive() {
        return false;
    }

    @Override
    public boolean supports(CredentialItem... items) {
        for (CredentialItem item : items) {
            if (!(item instanceof CredentialItem.Username) && !(item instanceof CredentialItem.Password)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
        Optional<HttpsCredential> found = find(uri);
        if (found.isEmpty()) {
            return false;
        }
        for (CredentialItem item : items) {
            if (item instanceof CredentialItem.Username u) {
                u.setValue(found.get().username());
            } else if (item instanceof CredentialItem.Password p) {
                p.setValue(found.get().secret());
            } else {
                throw new UnsupportedCredentialItem(uri, item.getClass().getSimpleName() + ":" + item.getPromptText());
            }
        }
        return true;
    }
}
