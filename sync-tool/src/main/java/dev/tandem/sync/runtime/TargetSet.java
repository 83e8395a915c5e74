package dev.tandem.sync.runtime;

import dev.tandem.core.hash.Sha256;
import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.engine.RegularFile;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.runtime.JsonTarget.Managed;
import dev.tandem.sync.runtime.Manifest.Entry;
import dev.tandem.sync.text.JsonText;
import dev.tandem.sync.text.MarkerBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/** The targets of a command being built, and the manifest entries they will leave behind. */
final class TargetSet {
    final Manifest old;
    final Map<Path, Target> targets = new LinkedHashMap<>();
    final Map<String, Entry> next = new LinkedHashMap<>();
    final List<String> warnings = new ArrayList<>();
    /** What the person should know that is neither drift nor a warning of the plan (stderr). */
    final List<String> notices = new ArrayList<>();
    /** Files Tandem wrote that the person edited since: left as they are, with their old manifest entries. */
    final List<Drift> conflicts = new ArrayList<>();

    private final Path originals;
    private final Predicate<Path> replaceEdited;
    /** Whether a document that became a symlink since push first wrote its section is accepted (--force FILE). */
    private final Predicate<Path> acceptLink;
    /** The clients' folders ({@code ~/.claude}, {@code $CODEX_HOME}), below which no deployed file may be a link. */
    private final List<Path> roots;

    /**
     * @param originals where the bytes of a file from before the first push are kept ({@code ~/.tandem/state/originals})
     * @param roots the clients' folders ({@link Links})
     * @param replaceEdited whether a file edited since the last push is replaced anyway (clean-runtime, or
     *     {@code push-runtime --force FILE})
     * @param acceptLink whether {@code AGENTS.md} or {@code CLAUDE.md}, become a symlink (or linked elsewhere) since
     *     push first wrote its managed section, is written through it anyway ({@code push-runtime --force FILE})
     */
    TargetSet(
            Manifest old, Path originals, List<Path> roots, Predicate<Path> replaceEdited, Predicate<Path> acceptLink) {
        this.old = old;
        this.acceptLink = acceptLink;
        this.roots = List.copyOf(roots);
        this.originals = originals;
        this.replaceEdited = replaceEdited;
    }

    void put(Path path, Target target) {
        targets.put(path, target);
    }

    void file(String engine, Path path, String text, String source, boolean executable) {
        file(engine, path, Contents.bytes(text), source, executable);
    }

    void file(String engine, Path path, byte[] content, String source, boolean executable) {
        Runnable guard = () -> Links.refuse(
                roots,
                path,
                "where tandem deploys a file it owns, and it never writes through a link there: delete the link and"
                        + " run the command again");
        guard.run();
        Optional<Entry> before = old.get(path);
        // a home copied with 'cp -al' shares Tandem's own files with the copy: those bytes are no one else's, and
        // push replaces such a file by rename (DiskWriter), never writing into or chmodding the shared inode; the
        // strict read refuses a link put there since the guard, and decides from the bytes it read
        Optional<byte[]> now = Links.readOwned(
                path,
                before.flatMap(Entry::sha256),
                "where tandem deploys a file it owns, and its bytes are not the ones push-runtime wrote there, so it"
                        + " neither reads nor keeps it: break the link by copying if its bytes are an edit of yours"
                        + " ('cp " + path + " " + path + ".tmp && mv " + path + ".tmp " + path + "'), or else delete"
                        + " it, and run the command again");
        if (keepEdited(path, now, Optional.of(content), source)) {
            next.put(path.toString(), before.orElseThrow());
            return;
        }
        boolean skillFile =
                path.getParent().getParent().getFileName().toString().equals("skills");
        targets.put(
                path,
                new FileTarget(
                        path,
                        content,
                        before.isPresent(),
                        executable,
                        skillFile,
                        Optional.of(guard),
                        before.flatMap(Entry::sha256)));
        boolean created = before.map(Entry::created).orElse(now.isEmpty());
        Optional<String> original = before.isPresent()
                ? before.get().original()
                : now.filter(b -> !created).map(this::keepOriginal);
        next.put(path.toString(), Entry.file(engine, content, source, created, original));
    }

    /**
     * Returns whether a whole file Tandem wrote was edited since the last push (its sha256 is no longer the
     * manifest's) and this command would replace or delete it: then it is left as it is and named as a conflict,
     * unless the command replaces edits ({@code --force FILE}, clean-runtime). A generated file (the auth helper),
     * which pull-runtime cannot keep, is replaced with a warning instead.
     */
    boolean keepEdited(Path path, Optional<byte[]> now, Optional<byte[]> replacement, String source) {
        Optional<String> pushed = old.get(path).flatMap(Entry::sha256);
        if (pushed.isEmpty() || now.isEmpty() || Contents.same(now, replacement)) {
            return false;
        }
        String actual = Sha256.hex(now.get());
        if (actual.equals(pushed.get())) {
            return false;
        }
        if (source.startsWith("(") || replaceEdited.test(path)) {
            warnings.add(path + " was changed since the last push; it is "
                    + (replacement.isPresent() ? "replaced" : "deleted") + " (a copy goes to the backups)");
            return false;
        }
        conflicts.add(new Drift(
                path,
                "edited since the last push",
                pushed.get().substring(0, PullModel.SHA_SHOWN),
                actual.substring(0, PullModel.SHA_SHOWN),
                Drift.Kind.CONFLICT,
                source));
        return true;
    }

    /** Keeps a file's bytes from before the first push, so removal can give them back; returns their sha256. */
    private String keepOriginal(byte[] bytes) {
        String sha = Sha256.hex(bytes);
        Path file = originals.resolve(sha);
        targets.put(file, new GeneratedTarget(file, Optional.of(bytes.clone())));
        return sha;
    }

    /** Returns the bytes kept for {@code entry} from before the first push, if any. */
    Optional<byte[]> original(Entry entry) {
        return entry.original().flatMap(sha -> Contents.read(originals.resolve(sha)));
    }

    /** Returns where the bytes kept for {@code entry} lie, if it has any. */
    Optional<Path> originalFile(Entry entry) {
        return entry.original().map(originals::resolve);
    }

    void block(String engine, Path path, MarkerBlock markers, List<String> body) {
        targets.put(path, new BlockTarget(path, markers, Optional.of(body), false));
        managedBlock(engine, path);
    }

    /** The names of the files a link in place of an agent document is taken to without --force, as on disk. */
    private static final List<String> AGENT_DOCS = List.of("AGENTS.md", "CLAUDE.md");

    void agents(String engine, Path path, List<AgentSection> sections) {
        Optional<Entry> before = old.get(path);
        boolean created = before.map(Entry::created).orElseGet(() -> !Files.exists(path));
        targets.put(path, linkChecked(path, before, new AgentDocTarget(path, sections, created)));
        String link = linkedTo(path);
        if (!link.isEmpty() && before.flatMap(Entry::link).isEmpty()) {
            // a first push, or the first since an older Tandem that recorded no link: a link planted before it (to
            // ~/.bashrc) would get the section, memory lines included; only one to an agent document (a dotfiles
            // checkout's) is taken without the person's word
            String name = Path.of(link).getFileName().toString();
            if (!AGENT_DOCS.contains(name) && !acceptLink.test(path)) {
                throw InputException.of(
                        path,
                        "is a symlink to " + link + ", a file not named " + String.join(" or ", AGENT_DOCS)
                                + ", and push-runtime writes its managed section (memory included) through a link it"
                                + " has not recorded only to an agent document; nothing was written: remove the link"
                                + " (push-runtime then writes a file of its own), or, if you made it, accept it with"
                                + " 'tandem sync push-runtime --force " + path + "'");
            }
            // the person sees what is taken
            notices.add(path + " is a symlink to " + link + ", which the manifest does not record yet; push-runtime"
                    + " writes the managed section there, records the link, and from then on refuses "
                    + path.getFileName() + " linked anywhere else (until --force FILE)");
        }
        next.put(path.toString(), Entry.of(engine, "agents", created).withLink(link));
    }

    /**
     * Returns {@code doc}, a change to the agent document at {@code path}, refused when the document is a link other
     * than the one {@code entry} recorded (unless {@code --force FILE} accepts it), now and again right before the
     * write: a link put in place after this plan is refused the same way. Push and removal (clean-runtime, a stale
     * document) alike.
     */
    Target linkChecked(Path path, Optional<Entry> entry, Target doc) {
        String link = linkedTo(path);
        Optional<String> recorded = entry.flatMap(Entry::link);
        if (recorded.isPresent() && !acceptLink.test(path)) {
            refuseNewLink(path, recorded.get(), link, true);
        }
        Target guard = new Target() {
            @Override
            public Path path() {
                return path;
            }

            @Override
            public Optional<byte[]> render(Optional<byte[]> actual) {
                return actual;
            }

            @Override
            public void checkPath() {
                refuseNewLink(path, link, linkedTo(path), entry.isPresent());
            }
        };
        return guard.then(doc);
    }

    /**
     * Refuses a document that is a link other than {@code expected} ({@code ""}: none) now; a link replaced by a file
     * of its own is fine.
     *
     * @param deployed whether the manifest has the document (then {@code --force FILE} accepts the link); a document
     *     a first push is writing has nothing to accept yet: the next push records the link it finds, and says so
     */
    private static void refuseNewLink(Path path, String expected, String link, boolean deployed) {
        if (link.isEmpty() || expected.equals(link)) {
            return;
        }
        String now = expected.isEmpty()
                ? "has become a symlink (to " + link + ")"
                : "is a symlink to " + link + " now, not to " + expected;
        throw InputException.of(
                path,
                deployed
                        ? now + " since push-runtime first wrote its managed section there, and tandem sync neither"
                                + " writes nor removes that section through a link it did not find there: put the file"
                                + " back; or, if you made the link, accept it with 'tandem sync push-runtime --force "
                                + path + "'"
                        : now + " since this command looked at it, and tandem sync does not write through a link put"
                                + " there meanwhile; nothing was written: put the file back, or, if you made the link,"
                                + " run the command again (a first push writes through the link it finds, and names"
                                + " it)");
    }

    /**
     * Returns the file the chain of symlinks at {@code path} ends at, or {@code ""} when {@code path} is no link
     * (or nothing is there).
     */
    private static String linkedTo(Path path) {
        if (!Files.isSymbolicLink(path)) {
            return "";
        }
        return RegularFile.resolve(path)
                .map(p -> p.toAbsolutePath().normalize().toString())
                .orElse("");
    }

    void managedBlock(String engine, Path path) {
        managedBlock(engine, path, List.of());
    }

    /** Records a managed block and, for TOML, the key paths of the tables Tandem writes into it. */
    void managedBlock(String engine, Path path, List<List<String>> tables) {
        boolean created = old.get(path).map(Entry::created).orElseGet(() -> !Files.exists(path));
        next.put(path.toString(), Entry.block(engine, created, tables));
    }

    /**
     * Writes {@code managed} into a JSON file, taking back what earlier pushes put there and this one no longer
     * writes, and records exactly what Tandem owns there afterwards.
     */
    void json(Path path, List<Managed> managed) {
        Optional<byte[]> bytes = Contents.read(path);
        ObjectNode root = JsonText.parseObject(path, Contents.text(bytes).orElse(""));
        Optional<Entry> before = old.get(path);
        JsonOwnership owned =
                before.map(Entry::json).orElseGet(JsonOwnership::none).migrate(managed);
        boolean created = before.map(Entry::created).orElse(bytes.isEmpty());
        targets.put(path, new JsonTarget(path, managed, owned, false, created, Optional.empty(), Target.PRIVATE));
        Optional<String> original = before.isPresent() ? before.get().original() : bytes.map(this::keepOriginal);
        next.put(
                path.toString(),
                new Entry(
                        "claude",
                        "json",
                        Optional.empty(),
                        Optional.empty(),
                        created,
                        JsonOwnership.after(root, managed, owned),
                        original,
                        List.of(),
                        Optional.empty()));
    }
}
