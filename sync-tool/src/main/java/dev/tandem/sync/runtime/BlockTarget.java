package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.text.Lines;
import dev.tandem.sync.text.MarkerBlock;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A managed block in a text file the person owns ({@code AGENTS.md}, {@code CLAUDE.md}, a shell rc file).
 *
 * @param body the block's lines, or empty to remove the block
 * @param created whether Tandem created the file (removal then deletes it when nothing else is left)
 */
record BlockTarget(Path path, MarkerBlock markers, Optional<List<String>> body, boolean created) implements Target {
    @Override
    public Optional<byte[]> render(Optional<byte[]> actual) {
        Lines doc = Lines.parse(Contents.text(actual).orElse(""));
        Optional<MarkerBlock.Span> span = markers.find(path, doc);
        if (body.isEmpty()) {
            if (span.isEmpty()) {
                return actual;
            }
            String rest = MarkerBlock.remove(doc, span.get()).text();
            return created && rest.isBlank() ? Optional.empty() : Optional.of(Contents.bytes(rest));
        }
        Lines out = span.map(s -> markers.replace(doc, s, body.get()))
                .orElseGet(() -> markers.insert(doc, doc.lines().size(), body.get()));
        return Optional.of(Contents.bytes(out.text()));
    }

    @Override
    public List<Drift> drift(Optional<byte[]> actual, Optional<byte[]> desired) {
        Lines doc = Lines.parse(Contents.text(actual).orElse(""));
        Optional<List<String>> got = markers.find(path, doc).map(s -> MarkerBlock.body(doc, s));
        if (got.equals(body)) {
            return List.of();
        }
        String expected = body.map(b -> b.size() + " lines").orElse("no block");
        String was = got.map(b -> b.size() + " lines, differing").orElse("no block");
        return List.of(new Drift(path, "managed block", expected, was));
    }
}
