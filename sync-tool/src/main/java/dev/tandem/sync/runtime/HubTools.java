package dev.tandem.sync.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's tools with their {@code readOnlyHint}, as the hub declares them (the sync tool does not load the hub's
 * classes; a hub test keeps this catalog equal to what a running hub lists). It decides which tools the approval
 * settings let run without asking.
 */
public final class HubTools {
    private static final Map<String, Boolean> CATALOG = load();

    private HubTools() {}

    /** Returns every tool name, each with whether it is read-only, in name order. */
    public static Map<String, Boolean> catalog() {
        return CATALOG;
    }

    /** Returns the tools that declare {@code readOnlyHint: true}. */
    public static List<String> readOnly() {
        return CATALOG.entrySet().stream()
                .filter(Map.Entry::getValue)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Returns the text of the catalog file for {@code tools} (name to read-only), for the test's message. */
    public static String text(Map<String, Boolean> tools) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(tools)
                .forEach((name, ro) -> sb.append(name)
                        .append('\t')
                        .append(ro ? "read-only" : "writes")
                        .append('\n'));
        return sb.toString();
    }

    private static Map<String, Boolean> load() {
        try (InputStream in = HubTools.class.getResourceAsStream("hub-tools.tsv")) {
            if (in == null) {
                throw new IllegalStateException("hub-tools.tsv is missing from the sync tool's jar");
            }
            Map<String, Boolean> out = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t", -1);
                out.put(parts[0], parts.length > 1 && parts[1].equals("read-only"));
            }
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new UncheckedIOException("hub-tools.tsv: cannot read", e);
        }
    }
}
