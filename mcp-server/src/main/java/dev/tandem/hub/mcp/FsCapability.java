package dev.tandem.hub.mcp;

import dev.tandem.core.config.ConfigException;
import dev.tandem.core.config.HubConfig;
import dev.tandem.core.config.Section;
import dev.tandem.hub.fs.DenyList;
import dev.tandem.hub.fs.FsException;
import dev.tandem.hub.fs.FsLister;
import dev.tandem.hub.fs.FsReader;
import dev.tandem.hub.fs.FsSearcher;
import dev.tandem.hub.fs.FsWriter;
import dev.tandem.hub.fs.HooksPaths;
import dev.tandem.hub.fs.Roots;
import dev.tandem.hub.usage.UsageSettings;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/** The fs capability: {@code fs_list}, {@code fs_read}, {@code fs_search}, {@code fs_write}, {@code fs_replace}. */
public final class FsCapability implements Capability {
    private static final Logger LOG = Logger.getLogger(FsCapability.class.getName());
    private static final String CHECKOUT_REASON = "is in Tandem's own checkout, whose scripts and build the launcher"
            + " runs; the fs tools may read it but never write it";
    private static final String SKILLS_REASON = "is in the shared skills folder ([skills] dir), which the hub serves to"
            + " every engine; the fs tools may read it but never write it";
    private static final String SOURCE_REASON = "is in Tandem's source folder ([source] dir), which tandem sync"
            + " installs into the engines' folders; the fs tools may read it but never write it";

    private final Roots roots;
    private final FsSearcher searcher;
    private final List<McpServerFeatures.SyncToolSpecification> tools;

    private FsCapability(Roots roots, int searchThreads) {
        this.roots = roots;
        this.searcher = new FsSearcher(roots, searchThreads);
        FsWriter writer = new FsWriter(roots);
        String note = rootsNote(roots);
        this.tools = List.of(
                new FsListTool(new FsLister(roots)).specification(note),
                new FsReadTool(new FsReader(roots)).specification(note),
                new FsSearchTool(searcher).specification(note),
                new FsWriteTool(writer).specification(note),
                new FsReplaceTool(writer).specification(note));
    }

    /**
     * Creates the capability for the configured roots, each resolved to its real path now, once.
     *
     * <p>{@code [fs] search_threads} bounds the search pool (default: the number of processors); {@code [fs] deny}
     * replaces the built-in deny list, {@code [fs] deny_extra} adds to it ({@link #denyList}); {@code [fs]
     * write_deny} and {@code write_deny_extra} do the same for what {@code fs_write} and {@code fs_replace} refuse
     * ({@link #writeDenyList}).
     */
    public static FsCapability create(HubConfig config) {
        return create(config, checkout());
    }

    /** Creates the capability as {@link #create(HubConfig)} does, for the launcher's checkout {@code checkout}. */
    public static FsCapability create(HubConfig config, Optional<Path> checkout) {
        long threads = config.reader("fs")
                .whole(
                        "search_threads",
                        1,
                        64,
                        Math.min(64, Runtime.getRuntime().availableProcessors()));
        writeDenyWarning(config).ifPresent(LOG::warning);
        try {
            Roots roots =
                    Roots.of(config.roots(), denyList(config), writeDenyList(config, checkout), hooksPaths(config));
            return new FsCapability(roots, (int) threads);
        } catch (FsException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /**
     * Returns the Tandem checkout the launcher runs from: {@code -Dtandem.repo}, which {@code bin/tandem} passes;
     * empty for a jar started by hand, and in tests.
     */
    public static Optional<Path> checkout() {
        String repo = System.getProperty("tandem.repo", "").strip();
        return repo.isEmpty()
                ? Optional.empty()
                : Optional.of(Path.of(repo).toAbsolutePath().normalize());
    }

    /**
     * Returns what the fs tools never serve: the hub's own token file, configuration file and data folder (always),
     * and {@code [fs] deny} (default {@link DenyList#DEFAULTS}) plus {@code [fs] deny_extra}.
     */
    public static DenyList denyList(HubConfig config) {
        Section fs = config.reader("fs");
        List<String> entries = new ArrayList<>(fs.strings("deny").orElse(DenyList.DEFAULTS));
        entries.addAll(fs.strings("deny_extra").orElse(List.of()));
        try {
            return DenyList.of(
                    config.home(),
                    List.of(
                            config.tokenFile(),
                            config.file(),
                            config.dataDir(),
                            config.home().resolve(".tandem")),
                    entries);
        } catch (IllegalArgumentException | FsException e) {
            throw fs.error(fs.contains("deny") ? "deny" : "deny_extra", "has a bad entry: " + e.getMessage());
        }
    }

    /**
     * Returns what {@code fs_write} and {@code fs_replace} refuse besides {@link #denyList}, for the launcher's
     * checkout ({@link #checkout()}).
     */
    public static DenyList writeDenyList(HubConfig config) {
        return writeDenyList(config, checkout());
    }

    /**
     * Returns what {@code fs_write} and {@code fs_replace} refuse besides {@link #denyList}: {@code [fs] write_deny}
     * (default {@link DenyList#WRITE_DEFAULTS}) plus {@code [fs] write_deny_extra}, and, whatever those say, Tandem's
     * own files that run or are installed into the engines: {@code checkout} (the launcher sources its scripts and
     * rebuilds from its sources), the {@code [skills] dir} and the {@code [source] dir}; and the engines' folders
     * wherever they are ({@code CODEX_HOME}, {@code CLAUDE_CONFIG_DIR} or {@code [usage]}, as {@link
     * UsageSettings#from} finds them; a Codex home's {@code worktrees} are ordinary projects). The hub's token,
     * configuration and data need no entry here: the deny list, which no setting empties of them, already keeps
     * every fs tool off them.
     */
    public static DenyList writeDenyList(HubConfig config, Optional<Path> checkout) {
        Section fs = config.reader("fs");
        List<String> base = fs.strings("write_deny").orElse(DenyList.WRITE_DEFAULTS);
        List<String> extra = fs.strings("write_deny_extra").orElse(List.of());
        List<String> entries = new ArrayList<>(base);
        entries.addAll(extra);
        requireEntries(config, fs, "write_deny", base);
        requireEntries(config, fs, "write_deny_extra", extra);
        DenyList list = DenyList.of(config.home(), List.of(), entries, DenyList.WRITE_REASON);
        if (checkout.isPresent()) {
            list = list.with(checkout.get(), CHECKOUT_REASON);
        }
        list = list.with(config.skillsDir(), SKILLS_REASON).with(config.sourceDir(), SOURCE_REASON);
        UsageSettings engines = UsageSettings.from(config);
        for (Path codexHome : engines.codexHomes()) {
            list = list.withExcept(codexHome, List.of("worktrees"), DenyList.WRITE_REASON);
        }
        for (Path claudeDir : engines.claudeDirs()) {
            list = list.with(claudeDir, DenyList.WRITE_REASON);
        }
        return list;
    }

    /**
     * Returns what finds the folders git runs hooks from for the person: {@code ~/.gitconfig} and {@code
     * $XDG_CONFIG_HOME/git/config} (default {@code ~/.config/git/config}) besides each repository's own.
     */
    public static HooksPaths hooksPaths(HubConfig config) {
        Path xdg = config.sections()
                .env("XDG_CONFIG_HOME")
                .map(Path::of)
                .filter(Path::isAbsolute)
                .orElse(config.home().resolve(".config"));
        return HooksPaths.of(config.home(), xdg);
    }

    /**
     * Returns the warning for an {@code [fs] write_deny} that leaves out built-in entries, naming them: the
     * setting replaces the list, so a person who meant to add one file ({@code write_deny = ["Makefile"]}) opens
     * every file the built-in list guards.
     */
    public static Optional<String> writeDenyWarning(HubConfig config) {
        Section fs = config.reader("fs");
        Optional<List<String>> given = fs.strings("write_deny");
        if (given.isEmpty()) {
            return Optional.empty();
        }
        List<String> left = DenyList.WRITE_DEFAULTS.stream()
                .filter(d -> !given.get().contains(d))
                .toList();
        if (left.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(fs.where("write_deny") + ": [fs] write_deny replaces the built-in write deny list and"
                + " leaves out " + left.size() + " of its entries, which fs_write and fs_replace may now write: "
                + String.join(", ", left) + "; put back those you want, or use write_deny_extra, which adds to the"
                + " built-in list (docs/fs.md)");
    }

    /** Refuses a bad entry of {@code key}, naming the key. */
    private static void requireEntries(HubConfig config, Section fs, String key, List<String> entries) {
        try {
            DenyList.of(config.home(), List.of(), entries);
        } catch (IllegalArgumentException | FsException e) {
            throw fs.error(key, "has a bad entry: " + e.getMessage());
        }
    }

    /** Returns the sentence that tells the model which roots there are; it ends every fs tool's description. */
    static String rootsNote(Roots roots) {
        List<String> paths = roots.paths().stream().map(Object::toString).toList();
        return " Roots: " + String.join(", ", paths) + "; a relative path is resolved against " + paths.get(0) + ".";
    }

    /** Returns the roots, as resolved at start. */
    public Roots roots() {
        return roots;
    }

    @Override
    public String name() {
        return "fs";
    }

    @Override
    public List<McpServerFeatures.SyncToolSpecification> tools() {
        return tools;
    }

    @Override
    public void close() {
        searcher.close();
    }
}
