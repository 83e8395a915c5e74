package dev.tandem.sync.runtime;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.Drift;
import dev.tandem.sync.engine.Target;
import dev.tandem.sync.text.TomlBlock;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The managed block of Codex's {@code config.toml}; drift is judged on parsed values of the managed tables.
 *
 * @param remove whether to remove the block instead of writing it
 * @param created whether Tandem created the file (removal then deletes it when nothing else is left)
 */
record TomlTarget(Path path, TomlBlock.Fragment fragment, boolean remove, boolean created) implements Target {
    @Override
    public Optional<byte[]> render(Optional<byte[]> actual) {
        Optional<String> text = Contents.text(actual);
        if (remove) {
            if (text.isEmpty()) {
                return actual;
            }
            String rest = TomlBlock.remove(path, text.get(), fragment);
            return created && rest.isBlank() ? Optional.empty() : Optional.of(Contents.bytes(rest));
        }
        return Optional.of(Contents.bytes(TomlBlock.apply(path, text, fragment)));
    }

    @Override
    public List<Drift> drift(Optional<byte[]> actual, Optional<byte[]> desired) {
        if (remove) {
            return Target.super.drift(actual, desired);
        }
        return TomlBlock.drift(path, Contents.text(actual), fragment).stream()
                .map(d -> new Drift(path, d.key(), d.expected(), d.actual()))
                .toList();
    }
}
