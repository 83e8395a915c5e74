package dev.tandem.hub.git;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.UserConfig;

/** Picks a commit's author: the repository's config (with the user's global one), else the hub's, else a default. */
final class CommitAuthor {
    private CommitAuthor() {}

    /** Returns the identity for a commit made now in a repository configured by {@code config}. */
    static PersonIdent resolve(Config config, GitSettings settings) {
        UserConfig user = config.get(UserConfig.KEY);
        String name = user.isAuthorNameImplicit()
                ? settings.authorName().orElse(GitSettings.DEFAULT_AUTHOR_NAME)
                : user.getAuthorName();
        String email = user.isAuthorEmailImplicit()
                ? settings.authorEmail().orElse(GitSettings.DEFAULT_AUTHOR_EMAIL)
                : user.getAuthorEmail();
        return new PersonIdent(name, email);
    }
}
