package dev.tandem.hub.mcp;

import dev.tandem.core.config.HubConfig;
import dev.tandem.hub.git.GitService;
import dev.tandem.hub.git.GitSettings;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.util.List;

/** The git tools: {@code git_status}, {@code git_diff}, {@code git_log}, {@code git_commit}, {@code git_push}. */
public final class GitCapability implements Capability {
    /** Schema of the optional {@code dir} argument every git tool takes. */
    static final String DIR_PROPERTY = "\"dir\":{\"type\":\"string\",\"description\":"
            + "\"Folder inside the repository, absolute or relative to the first root (default: the first root)\"}";

    private final GitService git;

    public GitCapability(GitService git) {
        this.git = git;
    }

    /**
     * Creates the capability from {@code [git]} of the configuration, confined to its roots, with the fs tools' deny
     * list ({@link FsCapability#denyList}): what those never serve, the git tools never show, commit or push.
     */
    public static GitCapability create(HubConfig config) {
        GitSettings settings = GitSettings.from(config.reader("git"), config.home());
        return new GitCapability(new GitService(config.roots(), settings, FsCapability.denyList(config)));
    }

    @Override
    public String name() {
        return "git";
    }

    @Override
    public List<McpServerFeatures.SyncToolSpecification> tools() {
        return List.of(
                new GitStatusTool(git).specification(),
                new GitDiffTool(git).specification(),
                new GitLogTool(git).specification(),
                new GitCommitTool(git).specification(),
                new GitPushTool(git).specification());
    }

    @Override
    public void close() {
        git.close();
    }
}
