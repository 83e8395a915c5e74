package dev.tandem.hub.git;

import dev.tandem.core.git.NoExecFS;
import dev.tandem.hub.fs.GitIgnores;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.attributes.AttributesNode;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.submodule.SubmoduleWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The work tree as the git tools see it: JGit's {@link FileTreeIterator} with its ignore and attribute rules read in
 * bounded time, plus three refusals.
 *
 * <ul>
 *   <li>A file whose {@code filter} attribute names a driver with a {@code clean} or {@code process} program (or
 *       {@code required}) cannot be read as git would without running that program: reading its content is refused
 *       with the path and the filter's name. (JGit alone would run {@code clean} and silently skip {@code
 *       process}, committing the raw file where git-lfs would have stored a pointer.)
 *   <li>FIFOs, sockets and devices ({@link NoExecFS.NotRegular}) count as ignored when untracked, as git leaves
 *       them out, and cannot be read when tracked.
 *   <li>A nested repository (submodule) is opened only through {@link RepoBounds}, so one whose git data lies
 *       outside the roots is refused instead of read.
 * </ul>
 *
 * <p>Ignore rules ({@code .gitignore}, {@code info/exclude}, {@code core.excludesFile}) are read by {@link
 * GitIgnores}, as the fs tools read them, never by JGit: a rule JGit would match in exponential time refuses the
 * call (left out, it would have {@code git_commit} record the files it ignores), as does an ignore file over 1 MiB. An
 * ignored folder's untracked files are ignored, as in git. Attribute rules in the work tree's {@code .gitattributes}
 * files are read by {@link AttributeRules}, which refuses the call over such a rule.
 */
final class CheckedTreeIterator extends FileTreeIterator {
    private final Shared shared;

    /** What the root iterator and every subtree iterator of one walk have in common. */
    private static final class Shared {
        private final RepoBounds bounds;
        private final List<Path> excludes;
        private final Path top;
        private TreeWalk walk;

        Shared(RepoBounds bounds, List<Path> excludes, Path top) {
            this.bounds = bounds;
            this.excludes = excludes;
            this.top = top;
        }
    }

    /** Whether this folder is ignored itself (or lies in an ignored folder): all it holds untracked is ignored. */
    private final boolean folderIgnored;
    /** This folder's ignore rules, read when first asked. */
    private GitIgnores ignores;
    /** This folder's {@code .gitattributes} rules, read when first asked; empty when it has none. */
    private Optional<AttributesNode> attributes;

    /**
     * Creates the iterator for the work tree of {@code repo}.
     *
     * @param excludes the ignore files below a work tree's own {@code .gitignore} files, lowest priority first
     *     ({@code core.excludesFile}, then {@code info/exclude})
     */
    CheckedTreeIterator(Repository repo, RepoBounds bounds, List<Path> excludes) {
        super(repo);
        this.shared =
                new Shared(bounds, List.copyOf(excludes), repo.getWorkTree().toPath());
        this.folderIgnored = false;
    }

    private CheckedTreeIterator(CheckedTreeIterator parent, File folder, boolean folderIgnored) {
        super(parent, folder, parent.fs, parent.fileModeStrategy);
        this.shared = parent.shared;
        this.folderIgnored = folderIgnored;
    }

    @Override
    protected AbstractTreeIterator enterSubtree() {
        return new CheckedTreeIterator(this, ((FileEntry) current()).getFile(), ignoredHere());
    }

    private GitIgnores ignores() {
        if (ignores == null) {
            Path gitignore = directory.toPath().resolve(Constants.DOT_GIT_IGNORE);
            if (parent instanceof CheckedTreeIterator up) {
                ignores = up.ignores().child(directory.getName(), Optional.of(gitignore));
            } else {
                ignores = GitIgnores.of(shared.excludes, gitignore, this::refuseIgnores);
            }
        }
        return ignores;
    }

    @Override
    public AttributesNode getEntryAttributesNode() throws IOException {
        if (attributes == null) {
            Path file = directory.toPath().resolve(Constants.DOT_GIT_ATTRIBUTES);
            String folder = repository
                    .getWorkTree()
                    .toPath()
                    .relativize(directory.toPath())
                    .toString();
            String shown = "'" + (folder.isEmpty() ? "" : folder + "/") + Constants.DOT_GIT_ATTRIBUTES + "'";
            attributes = AttributeRules.file(file, shown);
        }
        // null lets JGit fall back to the index's copy, which GitService checked before the walk
        return attributes.orElse(null);
    }

    @Override
    public void setDirCacheIterator(TreeWalk walk, int treeId) {
        super.setDirCacheIterator(walk, treeId);
        shared.walk = walk;
    }

    /**
     * The error for an ignore file the git tools cannot honour whole: leaving a rule out would make {@code
     * git_commit} record the files it ignores.
     */
    private GitException refuseIgnores(Path file, int line, String problem) {
        String shown = file.startsWith(shared.top) ? shared.top.relativize(file).toString() : file.toString();
        return new GitException(shown + (line > 0 ? " line " + line : "") + ": " + problem + "; the git tools"
                + " honour every ignore rule or none (a rule left out would have git_commit record the files it"
                + " ignores): simplify the rule or use git itself in this repository");
    }

    @Override
    public boolean isEntryIgnored() throws IOException {
        return ignoredHere();
    }

    private boolean ignoredHere() {
        if (Thread.currentThread().isInterrupted()) { // the call's deadline passed: the walk stops between names
            throw new GitException("stopped: the call's deadline passed while the work tree was read");
        }
        return current() instanceof NoExecFS.NotRegular
                || folderIgnored
                || ignores().ignored(current().getName(), FileMode.TREE.equals(getEntryFileMode()));
    }

    /** JGit's own ignore matching is never used: see the class comment. */
    @Override
    protected boolean isEntryIgnored(int pLen) throws IOException {
        return isEntryIgnored();
    }

    @Override
    public InputStream openEntryStream() throws IOException {
        if (current() instanceof NoExecFS.NotRegular) {
            throw NoExecFS.NotRegular.refusal(getEntryPathString());
        }
        return super.openEntryStream();
    }

    /** Called by JGit exactly when it is about to read the current file's content. */
    @Override
    public String getCleanFilterCommand() throws IOException {
        String command = super.getCleanFilterCommand();
        Optional<String> driver = filterDriver();
        if (command != null || driver.filter(this::runsAProgram).isPresent()) {
            String name = driver.orElse("?");
            throw new GitException("'" + getEntryPathString() + "' is stored through the git filter '" + name
                    + "' (filter." + name + " in the git config), whose program the hub never runs, so it cannot"
                    + " read this file as git would; use git itself for this change");
        }
        return null;
    }

    private Optional<String> filterDriver() {
        if (shared.walk == null) {
            return Optional.empty();
        }
        try {
            Attribute filter = shared.walk.getAttributes().get(Constants.ATTR_FILTER);
            return Optional.ofNullable(filter).map(Attribute::getValue);
        } catch (IllegalStateException e) {
            return Optional.empty(); // a walk without attributes: JGit applies no filter either
        }
    }

    private boolean runsAProgram(String driver) {
        Config config = repository.getConfig();
        String section = ConfigConstants.CONFIG_FILTER_SECTION;
        return config.getString(section, driver, Constants.ATTR_FILTER_TYPE_CLEAN) != null
                || config.getString(section, driver, "process") != null
                || config.getBoolean(section, driver, "required", false);
    }

    @Override
    protected byte[] idSubmodule(File directory, Entry e) {
        try (Repository sub = SubmoduleWalk.getSubmoduleRepository(
                directory,
                e.getName(),
                repository.getFS(),
                shared.bounds.builder("the nested repository '" + getEntryPathString() + "'"))) {
            ObjectId head = sub == null ? null : sub.resolve(Constants.HEAD);
            if (head == null) {
                return zeroid;
            }
            byte[] id = new byte[Constants.OBJECT_ID_LENGTH];
            head.copyRawTo(id, 0);
            return id;
        } catch (IOException ex) {
            return zeroid;
        }
    }
}
