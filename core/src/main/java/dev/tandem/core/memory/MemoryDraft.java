package dev.tandem.core.memory;

import java.util.List;
import java.util.Objects;

/** What a store writes: validated text, title, summary, tags and scope; the repository adds id and times. */
public record MemoryDraft(String content, String title, String summary, List<String> tags, Scope scope) {
    public MemoryDraft {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(summary, "summary");
        tags = List.copyOf(tags);
        Objects.requireNonNull(scope, "scope");
    }
}
