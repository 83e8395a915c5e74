package dev.tandem.hub.git;

import dev.tandem.core.git.NoExecFS;
import dev.tandem.hub.fs.HooksPaths;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.util.SystemReader;

/**
 * The files JGit reads as a repository's git configuration, checked before it reads them: JGit reads a config file
 * and each file it includes whole, with a blocking open and no limit, so an {@code include.path} naming {@code
 * /dev/zero} would fill the memory and one naming a FIFO or {@code /dev/tty} would block the tool forever.
 *
 * <p>Checked are the repository's {@code config} (in its common git dir) and {@code config.worktree}, the person's
 * {@code ~/.gitconfig}, {@code $XDG_CONFIG_HOME/git/config} and {@code $XDG_CONFIG_HOME/jgit/config}, the system's
 * {@code /etc/gitconfig} (or {@code $GIT_CONFIG_SYSTEM}), and every file they include, whatever the condition of an
 * {@code includeIf}: each must be a regular file of at most 1 MiB, includes nested at most 10 deep ({@link
 * HooksPaths#read}, the reader the fs tools use). So must the files {@code core.excludesFile} and {@code
 * core.attributesFile} name, and the repository's {@code info/exclude} and {@code info/attributes}. A file that
 * does not exist is fine, as in git. Otherwise the call is refused naming the file, never quoting it.
 */
final class ConfigFiles {
    static final long MAX_BYTES = 1 << 20;

    private final Path home;
    private final Path xdg;
    private final HooksPaths reader;

    ConfigFiles() {
        NoExecFS fs = NoExecFS.sealed();
        File userHome = fs.userHome();
        this.home = userHome == null ? Path.of("/") : userHome.toPath();
        Path x = SystemReader.getInstance().getXdgConfigDirectory(fs);
        this.xdg = x == null ? home.resolve(".config") : x;
        this.reader = HooksPaths.of(home, xdg);
    }

    /** Throws, naming the file, unless every configuration file JGit would read for this repository is safe to. */
    void check(Path gitDir, Path commonDir, String shown) {
        List<Path> files = new ArrayList<>();
        files.add(commonDir.resolve(Constants.CONFIG));
        files.add(gitDir.resolve("config.worktree"));
        files.add(home.resolve(".gitconfig"));
        files.add(xdg.resolve("git").resolve(Constants.CONFIG));
        files.add(xdg.resolve("jgit").resolve(Constants.CONFIG));
        systemConfig().ifPresent(files::add);
        List<HooksPaths.ConfigFile> read = reader.read(
                files,
                (file, problem) -> new GitException(shown + ": git's configuration " + file + " cannot be read ("
                        + problem + "); the git tools open no repository whose configuration they cannot read"
                        + " safely"));
        for (HooksPaths.ConfigFile c : read) {
            for (Path p : c.excludesFiles()) {
                requireSmallFile(p, shown, "core.excludesFile in " + c.file());
            }
            for (Path p : c.attributesFiles()) {
                requireSmallFile(p, shown, "core.attributesFile in " + c.file());
            }
        }
        requireSmallFile(commonDir.resolve(Constants.INFO_EXCLUDE), shown, "the repository's ignore rules");
        requireSmallFile(commonDir.resolve(Constants.INFO_ATTRIBUTES), shown, "the repository's attributes");
    }

    /**
     * Throws, naming the file, unless the work tree's {@code .gitmodules} (which JGit reads as a config file,
     * includes and all, when a status meets a nested repository) and what it includes are safe to read.
     */
    void checkModules(Path workTree, String shown) {
        reader.read(
                List.of(workTree.resolve(Constants.DOT_GIT_MODULES)),
                (file, problem) -> new GitException(shown + ": " + file + " (.gitmodules or a file it includes)"
                        + " cannot be read (" + problem + "); the git tools read no list of nested repositories they"
                        + " cannot read safely"));
    }

    /** Returns the system configuration JGit reads, as {@link NoExecFS} finds it. */
    private static Optional<Path> systemConfig() {
        SystemReader sr = SystemReader.getInstance();
        String no = sr.getenv(Constants.GIT_CONFIG_NOSYSTEM_KEY);
        if (no != null && !no.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(NoExecFS.sealed().getGitSystemConfig()).map(File::toPath);
    }

    /** Throws unless {@code p} (links followed) is missing or a regular file of at most {@value #MAX_BYTES} bytes. */
    private static void requireSmallFile(Path p, String shown, String what) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p.toAbsolutePath().toRealPath(), BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new GitException(shown + ": " + p + " (" + what + ") cannot be read", e);
        }
        if (!a.isRegularFile()) {
            throw new GitException(shown + ": " + p + " (" + what + ") is not a regular file; the git tools read"
                    + " only regular files named by git's configuration");
        }
        if (a.size() > MAX_BYTES) {
            throw new GitException(shown + ": " + p + " (" + what + ") is larger than " + MAX_BYTES
                    + " bytes; the git tools read no ignore or attributes file that large");
        }
    }
}
