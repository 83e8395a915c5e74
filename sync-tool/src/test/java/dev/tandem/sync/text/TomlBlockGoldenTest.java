package dev.tandem.sync.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.sync.engine.InputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases under {@code src/test/resources/splice/<case>/}: {@code before.toml} + {@code fragment.toml} gives
 * {@code after.toml} (or the message in {@code error.txt}); pushing again changes nothing; removing the block
 * gives back {@code before.toml} (or {@code removed.toml} when Codex had rewritten the file).
 */
class TomlBlockGoldenTest {
    private static final Path CONFIG = Path.of("config.toml");

    static Stream<String> cases() throws IOException, URISyntaxException {
        Path root = Path.of(Objects.requireNonNull(TomlBlockGoldenTest.class.getResource("/splice"))
                .toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            List<String> names = dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void spliceMatchesGoldenFiles(String name) throws Exception {
        Path dir = Path.of(Objects.requireNonNull(getClass().getResource("/splice/" + name))
                .toURI());
        String before = read(dir.resolve("before.toml"));
        TomlBlock.Fragment fragment = TomlBlock.fragment(Path.of("fragment.toml"), read(dir.resolve("fragment.toml")));
        if (Files.exists(dir.resolve("error.txt"))) {
            InputException e =
                    assertThrows(InputException.class, () -> TomlBlock.apply(CONFIG, Optional.of(before), fragment));
            assertEquals(read(dir.resolve("error.txt")).strip(), e.getMessage());
            return;
        }
        String after = read(dir.resolve("after.toml"));
        assertEquals(after, TomlBlock.apply(CONFIG, Optional.of(before), fragment), "push");
        assertEquals(after, TomlBlock.apply(CONFIG, Optional.of(after), fragment), "second push");
        assertEquals(List.of(), TomlBlock.drift(CONFIG, Optional.of(after), fragment), "drift after push");
        Path removed = dir.resolve("removed.toml");
        String expectedRemoved = Files.exists(removed) ? read(removed) : before;
        assertEquals(expectedRemoved, TomlBlock.remove(CONFIG, after, fragment), "remove");
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
