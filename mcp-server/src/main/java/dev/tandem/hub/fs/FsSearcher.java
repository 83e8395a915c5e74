package dev.tandem.hub.fs;

import dev.tandem.core.fs.RegularFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Searches file contents under a folder inside the roots, in parallel on a bounded pool.
 *
 * <p>Like ripgrep by default: {@code .gitignore} files are honoured, hidden files and {@code .git} are skipped (and
 * always what the {@link DenyList} names),
 * a NUL byte in the first 8 KiB marks a file binary and skips it, symbolic links are not followed. Each file is
 * read once; a literal is found by a byte search, a regular expression by one precompiled RE2 pattern, in time
 * linear in the text. Files are opened without blocking and must still be the regular files the walk saw ({@link
 * RegularFiles}). The search stops soon after the calling thread is interrupted (its deadline passed), also inside
 * a file ({@link LineMatcher}), and then ends in an {@link FsException}.
 */
public final class FsSearcher implements AutoCloseable {
    static final int MAX_LINE_CHARS = 300;
    /** Files larger than this are skipped. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** Progress is reported after every this many files. */
    public static final int PROGRESS_EVERY = 1000;

    private static final int BATCH = 16;
    /** Read buffers up to this size are kept per worker thread, so reading does not allocate per file. */
    private static final int MAX_KEPT_BUFFER = 4 * 1024 * 1024;

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

    /** The first {@code length} bytes of {@code array} hold a file's content. */
    @SuppressWarnings("ArrayRecordComponent") // a view of a reused buffer: never compared or kept
    private record Content(byte[] array, int length) {}

    private final Roots roots;
    private final ForkJoinPool pool;

    /** Creates a searcher whose pool has {@code threads} workers. */
    public FsSearcher(Roots roots, int threads) {
        this.roots = roots;
        this.pool = new ForkJoinPool(threads);
    }

    /** Runs {@code request}; {@code progress} gets the number of files scanned so far, now and then. */
    public SearchResult search(SearchRequest request, IntConsumer progress) {
        Path start = roots.existing(request.path());
        LineMatcher m = LineMatcher.of(request);
        Optional<Glob> glob = request.glob().map(Glob::of);
        Run run = new Run(m, glob, request, progress, roots.denied());
        if (Files.isDirectory(start)) {
            Object key =
                    Roots.attributes(start).map(BasicFileAttributes::fileKey).orElse(null);
            awaitOrCancel(pool.submit(new DirTask(run, start, key, "", "", GitIgnores.NONE)), run);
        } else {
            Optional<BasicFileAttributes> attrs = Roots.attributes(start);
            run.searchFile(
                    start,
                    start.getFileName().toString(),
                    attrs.map(BasicFileAttributes::size).orElse(0L),
                    attrs.map(BasicFileAttributes::fileKey));
        }
        if (run.cancelled()) {
            throw new FsException("fs_search: stopped before the end: the call was cancelled (its deadline passed)");
        }
        List<SearchMatch> found = new ArrayList<>(run.matches);
        found.sort(Comparator.comparing(SearchMatch::path).thenComparingInt(SearchMatch::line));
        if (found.size() > request.maxResults()) {
            found = found.subList(0, request.maxResults());
        }
        return new SearchResult(start, found, run.scanned.get(), run.truncated.get());
    }

    /**
     * Waits for the walk; an interrupt of the waiting thread stops it. (Not {@code pool.invoke}: its wait takes the
     * interrupt and gives it back only when the walk is done, so the workers would never see it.)
     */
    private static void awaitOrCancel(ForkJoinTask<Void> walk, Run run) {
        try {
            walk.get();
        } catch (InterruptedException e) {
            run.cancel();
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static final class Run {
        final LineMatcher matcher;
        final Optional<Glob> glob;
        final boolean globOnPath;
        final SearchRequest request;
        final IntConsumer progress;
        final AtomicInteger scanned = new AtomicInteger();
        final AtomicInteger found = new AtomicInteger();
        final AtomicBoolean truncated = new AtomicBoolean();
        /** Set when the caller was interrupted while it waited for the workers. */
        private final AtomicBoolean cancelled = new AtomicBoolean();

        final ConcurrentLinkedQueue<SearchMatch> matches = new ConcurrentLinkedQueue<>();
        /** The thread that asked for the search; it is interrupted when the call's deadline passes. */
        final Thread caller = Thread.currentThread();

        final DenyList.Resolved denied;

        Run(
                LineMatcher matcher,
                Optional<Glob> glob,
                SearchRequest request,
                IntConsumer progress,
                DenyList.Resolved denied) {
            this.denied = denied;
            this.matcher = matcher;
            this.glob = glob;
            this.globOnPath = request.glob().map(g -> g.contains("/")).orElse(false);
            this.request = request;
            this.progress = progress;
        }

        boolean stopped() {
            return truncated.get() || cancelled();
        }

        boolean cancelled() {
            return cancelled.get() || caller.isInterrupted();
        }

        void cancel() {
            cancelled.set(true);
        }

        boolean globAccepts(String rel, String name) {
            return glob.isEmpty() || glob.get().matches(globOnPath ? rel : name);
        }

        void searchFile(Path file, String rel, long size, Optional<Object> key) {
            Optional<Content> read = read(file, size, key);
            if (read.isEmpty()
                    || TextFiles.looksBinary(read.get().array(), read.get().length())) {
                return;
            }
            int n = scanned.incrementAndGet();
            if (n % PROGRESS_EVERY == 0) {
                progress.accept(n);
            }
            matcher.search(
                    read.get().array(), read.get().length(), (line, text) -> add(rel, line, text), this::stopped);
        }

        private boolean add(String rel, int line, String text) {
            if (found.getAndIncrement() >= request.maxResults()) {
                truncated.set(true);
                return false;
            }
            String t = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            matches.add(new SearchMatch(rel, line, t.length() > MAX_LINE_CHARS ? t.substring(0, MAX_LINE_CHARS) : t));
            return true;
        }

        /**
         * Reads a file of the size the walk saw into this thread's reusable buffer (a file that grew meanwhile is
         * searched up to that size); empty when it cannot be read. The content is valid until the next read.
         */
        private static Optional<Content> read(Path file, long size, Optional<Object> key) {
            if (size > MAX_FILE_BYTES) {
                return Optional.empty();
            }
            byte[] buf = BUFFER.get();
            if (buf.length < size) {
                buf = new byte[(int) Math.max(size, buf.length * 2L)];
                if (buf.length <= MAX_KEPT_BUFFER) {
                    BUFFER.set(buf);
                }
            }
            ByteBuffer view = ByteBuffer.wrap(buf, 0, (int) size);
            try (FileChannel ch = RegularFiles.open(file, key)) {
                while (view.hasRemaining() && ch.read(view) >= 0) {
                    // read until full or end of file
                }
                return Optional.of(new Content(buf, view.position()));
            } catch (IOException e) {
                return Optional.empty(); // unreadable files are skipped, as ripgrep does
            }
        }
    }

    /** Searches one folder's files in batches and forks a task per sub-folder. */
    private static final class DirTask extends RecursiveAction {
        private static final long serialVersionUID = 1L;

        private final transient Run run;
        private final transient Path dir;
        /** The folder's identity (device, inode) as the walk saw it; the opened folder must match it. */
        private final transient Object fileKey;

        private final transient String rel;
        private final transient String name;
        /** The rules of the parent folder; this folder's own {@code .gitignore} is added once it is listed. */
        private final transient GitIgnores parentIgnores;

        DirTask(Run run, Path dir, Object fileKey, String rel, String name, GitIgnores parentIgnores) {
            this.run = run;
            this.dir = dir;
            this.fileKey = fileKey;
            this.rel = rel;
            this.name = name;
            this.parentIgnores = parentIgnores;
        }

        @Override
        protected void compute() {
            if (run.stopped()) {
                return;
            }
            List<RecursiveAction> tasks = new ArrayList<>();
            List<Listed> files = new ArrayList<>();
            List<Path> listed = new ArrayList<>();
            try {
                RegularFiles.Folder folder = RegularFiles.list(dir); // never waits on a FIFO put in its place
                if (fileKey != null && !fileKey.equals(folder.fileKey())) {
                    return; // swapped (for a link, say) since the walk saw it: never search where it now leads
                }
                listed.addAll(folder.entries());
            } catch (IOException e) {
                return; // an unreadable folder is skipped, as ripgrep does
            }
            // the listing says whether a .gitignore is here: no failing stat per folder to find out
            Optional<Path> gitignore = listed.stream()
                    .filter(p -> p.getFileName().toString().equals(".gitignore"))
                    .findFirst();
            GitIgnores ignores = parentIgnores.child(name, gitignore);
            for (Path p : listed) {
                if (run.stopped()) {
                    return;
                }
                String entry = p.getFileName().toString();
                if (entry.equals(".git")
                        || (!run.request.includeHidden() && entry.startsWith("."))
                        || run.denied.deniedEntry(p)) {
                    continue;
                }
                Optional<BasicFileAttributes> attrs = Roots.attributes(p);
                if (attrs.isEmpty()) {
                    continue;
                }
                String childRel = rel.isEmpty() ? entry : rel + "/" + entry;
                if (attrs.get().isDirectory()) {
                    if (!ignores.ignored(entry, true)) {
                        tasks.add(new DirTask(run, p, attrs.get().fileKey(), childRel, entry, ignores));
                    }
                } else if (attrs.get().isRegularFile()
                        && !ignores.ignored(entry, false)
                        && run.globAccepts(childRel, entry)) {
                    files.add(new Listed(
                            p,
                            childRel,
                            attrs.get().size(),
                            Optional.ofNullable(attrs.get().fileKey())));
                    if (files.size() == BATCH) {
                        tasks.add(new FileBatch(run, List.copyOf(files)));
                        files.clear();
                    }
                }
            }
            if (!files.isEmpty()) {
                tasks.add(new FileBatch(run, files));
            }
            invokeAll(tasks);
        }
    }

    /** A file the walk listed: its path, path relative to the search, size and identity. */
    private record Listed(Path file, String rel, long size, Optional<Object> key) {}

    private static final class FileBatch extends RecursiveAction {
        private static final long serialVersionUID = 1L;

        private final transient Run run;
        private final transient List<Listed> files;

        FileBatch(Run run, List<Listed> files) {
            this.run = run;
            this.files = files;
        }

        @Override
        protected void compute() {
            for (int i = 0; i < files.size() && !run.stopped(); i++) {
                Listed f = files.get(i);
                run.searchFile(f.file(), f.rel(), f.size(), f.key());
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
