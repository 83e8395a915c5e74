package dev.tandem.core.git;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.treewalk.FileTreeIterator.FileEntry;
import org.eclipse.jgit.treewalk.FileTreeIterator.FileModeStrategy;
import org.eclipse.jgit.treewalk.WorkingTreeIterator.Entry;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.FS_POSIX;
import org.eclipse.jgit.util.ProcessResult;
import org.eclipse.jgit.util.SystemReader;

/**
 * JGit's file system layer for every repository the hub or the sync tool opens: POSIX, except that it starts no
 * process and never opens a file that is not a regular file.
 *
 * <p>JGit runs programs only through its {@link FS}: clean and smudge filters ({@code WorkingTreeIterator},
 * {@code DirCacheCheckout}, {@code PatchApplier}), hooks ({@code Hooks} via {@link #runHookIfPresent}), a local
 * remote's {@code receivepack}/{@code uploadpack} ({@code TransportLocal}), {@code gpg.ssh.defaultKeyCommand}
 * ({@code SshSigner}), diff and merge tools, and {@code git} itself to find the system config. Here each of those
 * entry points refuses, so whatever a repository's config, attributes or hooks name, nothing runs: hooks are
 * reported absent, everything else throws. {@link #sealed()} also makes JGit read the system config without
 * asking a {@code git} program where it is.
 *
 * <p>Work tree listings ({@link #list}) keep FIFOs, sockets and devices as {@link NotRegular} entries whose
 * content cannot be opened (a FIFO would block the reader until a writer comes); regular files are checked again
 * right before they are opened.
 */
public final class NoExecFS extends FS_POSIX {
    private static final NoExecFS INSTANCE = new NoExecFS();
    private static final AtomicBoolean SEALED = new AtomicBoolean();
    private static final Entry[] NO_ENTRIES = {};

    private NoExecFS() {
        // git's default; JGit would otherwise run "sh -c umask" the first time it sets an executable bit
        setUmask(0022);
    }

    private NoExecFS(NoExecFS src) {
        super(src);
    }

    /** Returns the file system layer, after making JGit's system config reader use it too (once per process). */
    public static NoExecFS sealed() {
        if (SEALED.compareAndSet(false, true)) {
            SystemReader.setInstance(new SealedSystemReader(SystemReader.getInstance()));
        }
        return INSTANCE;
    }

    @Override
    public FS newInstance() {
        return new NoExecFS(this);
    }

    @Override
    public ProcessBuilder runInShell(String cmd, String[] args) {
        throw refused(cmd);
    }

    @Override
    public int runProcess(
            ProcessBuilder processBuilder, OutputStream outRedirect, OutputStream errRedirect, InputStream inRedirect)
            throws IOException {
        throw new IOException(
                refused(String.join(" ", processBuilder.command())).getMessage());
    }

    @Override
    public int runProcess(
            ProcessBuilder processBuilder, OutputStream outRedirect, OutputStream errRedirect, String stdinArgs)
            throws IOException {
        throw new IOException(
                refused(String.join(" ", processBuilder.command())).getMessage());
    }

    @Override
    public ExecutionResult execute(ProcessBuilder pb, InputStream in) throws IOException {
        throw new IOException(refused(String.join(" ", pb.command())).getMessage());
    }

    /** Hooks never run: to JGit every hook is absent, as with {@code git commit --no-verify}, post-commit too. */
    @Override
    public ProcessResult runHookIfPresent(
            Repository repository,
            String hookName,
            String[] args,
            OutputStream outRedirect,
            OutputStream errRedirect,
            String stdinArgs) {
        return new ProcessResult(ProcessResult.Status.NOT_PRESENT);
    }

    @Override
    protected File discoverGitExe() {
        return null;
    }

    /** Returns {@code $GIT_CONFIG_SYSTEM}, else {@code /etc/gitconfig}: where git looks, without running git. */
    @Override
    protected File discoverGitSystemConfig() {
        String configured = SystemReader.getInstance().getenv("GIT_CONFIG_SYSTEM");
        return new File(configured == null || configured.isEmpty() ? "/etc/gitconfig" : configured);
    }

    @Override
    public Entry[] list(File directory, FileModeStrategy fileModeStrategy) {
        File[] all = directory.listFiles();
        if (all == null) {
            return NO_ENTRIES;
        }
        Entry[] result = new Entry[all.length];
        for (int i = 0; i < all.length; i++) {
            Attributes attributes = getAttributes(all[i]);
            result[i] = isOther(attributes)
                    ? new NotRegular(all[i], this, attributes, fileModeStrategy)
                    : new CheckedEntry(all[i], this, attributes, fileModeStrategy);
        }
        return result;
    }

    /** Returns whether the entry exists and is neither a regular file, a folder nor a symbolic link. */
    private static boolean isOther(Attributes a) {
        return !a.isRegularFile()
                && !a.isDirectory()
                && !a.isSymbolicLink()
                && Files.exists(a.getFile().toPath(), LinkOption.NOFOLLOW_LINKS);
    }

    private static ProgramRefusedException refused(String command) {
        return new ProgramRefusedException(
                "Tandem runs no programs named by a repository's git config or hooks (asked to run '"
                        + oneLine(command, 80) + "')");
    }

    /** Returns {@code text} on one line (white space and control characters as one space), cut at {@code max}. */
    private static String oneLine(String text, int max) {
        String one = text.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max) + "…";
    }

    /** A regular file, folder or link; a file is looked at again, without following links, before it is opened. */
    static final class CheckedEntry extends FileEntry {
        private final boolean symlink;

        CheckedEntry(File f, FS fs, Attributes attributes, FileModeStrategy strategy) {
            super(f, fs, attributes, strategy);
            this.symlink = attributes.isSymbolicLink();
        }

        @Override
        public InputStream openInputStream() throws IOException {
            if (symlink) {
                return super.openInputStream();
            }
            File f = getFile();
            if (!Files.isRegularFile(f.toPath(), LinkOption.NOFOLLOW_LINKS)) {
                throw NotRegular.refusal(f.getName());
            }
            return new FileInputStream(f);
        }
    }

    /** A FIFO, socket or device in a work tree: it has a name, a size and a time, but no content git could read. */
    public static final class NotRegular extends FileEntry {
        NotRegular(File f, FS fs, Attributes attributes, FileModeStrategy strategy) {
            super(f, fs, attributes, strategy);
        }

        /** Returns the error for reading {@code name}: it is not a regular file. */
        public static IOException refusal(String name) {
            return new IOException("'" + name + "' is not a regular file (a FIFO, socket or device); git stores only"
                    + " regular files, symbolic links and folders");
        }

        @Override
        public FileMode getMode() {
            return FileMode.REGULAR_FILE;
        }

        @Override
        public InputStream openInputStream() throws IOException {
            throw refusal(getName());
        }
    }

    /** Opens the system, user and JGit configs through {@link NoExecFS}, so finding them runs no {@code git}. */
    private static final class SealedSystemReader extends SystemReader.Delegate {
        SealedSystemReader(SystemReader delegate) {
            super(delegate);
        }

        @Override
        public FileBasedConfig openSystemConfig(Config parent, FS fs) {
            return super.openSystemConfig(parent, INSTANCE);
        }

        @Override
        public FileBasedConfig openUserConfig(Config parent, FS fs) {
            return super.openUserConfig(parent, INSTANCE);
        }

        @Override
        public FileBasedConfig openJGitConfig(Config parent, FS fs) {
            return super.openJGitConfig(parent, INSTANCE);
        }
    }
}
