package dev.tandem.hub.mcp;

import dev.tandem.hub.config.ConfigException;
import dev.tandem.hub.config.HubConfig;
import dev.tandem.hub.fs.DenyList;
import dev.tandem.hub.fs.FsException;
import dev.tandem.hub.fs.FsLister;
import dev.tandem.hub.fs.FsReader;
import dev.tandem.hub.fs.FsSearcher;
import dev.tandem.hub.fs.FsWriter;
import dev.tandem.hub.fs.Roots;
import io.modelcontextprotocol.server.McpServerFeatures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/** The fs capability: {@code fs_list}, {@code fs_read}, {@code fs_search}, {@code fs_write}, {@code fs_replace}. */
public final class FsCapability implements Capability {
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
     * replaces the built-in deny list, {@code [fs] deny_extra} adds to it ({@link #denyList}).
     */
    public static FsCapability create(HubConfig config) {
        TomlTable fs = config.section("fs");
        long threads =
                fs.getLong("search_threads", () -> (long) Runtime.getRuntime().availableProcessors());
        if (threads < 1 || threads > 64) {
            throw new ConfigException("[fs] search_threads must be between 1 and 64, got " + threads);
        }
        try {
            return new FsCapability(Roots.of(config.roots(), denyList(config)), (int) threads);
        } catch (FsException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /**
     * Returns what the fs tools never serve: the hub's own token file, configuration file and data folder (always),
     * and {@code [fs] deny} (default {@link DenyList#DEFAULTS}) plus {@code [fs] deny_extra}.
     */
    public static DenyList denyList(HubConfig config) {
        TomlTable fs = config.section("fs");
        List<String> entries = new ArrayList<>(strings(config, fs, "deny").orElse(DenyList.DEFAULTS));
        entries.addAll(strings(config, fs, "deny_extra").orElse(List.of()));
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
            throw new ConfigException(config.file() + ": [fs] deny: " + e.getMessage(), e);
        }
    }

    private static Optional<List<String>> strings(HubConfig config, TomlTable fs, String key) {
        if (!fs.contains(key)) {
            return Optional.empty();
        }
        TomlArray array = fs.isArray(key) ? fs.getArrayOrEmpty(key) : null;
        List<String> out = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            if (array.get(i) instanceof String s) {
                out.add(s);
            }
        }
        if (array == null || out.size() != array.size()) {
            var at = fs.inputPositionOf(key);
            throw new ConfigException(config.file() + (at == null ? "" : ":" + at.line()) + ": [fs] " + key
                    + " must be an array of strings");
        }
        return Optional.of(out);
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
