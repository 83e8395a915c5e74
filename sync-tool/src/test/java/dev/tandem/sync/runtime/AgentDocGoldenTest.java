package dev.tandem.sync.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.sync.engine.Contents;
import dev.tandem.sync.engine.InputException;
import dev.tandem.sync.text.Lines;
import dev.tandem.sync.text.MarkerBlock;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases under {@code src/test/resources/agents/<case>/}: {@code before.md} and the section bodies
 * ({@code base.md}, {@code shared.md}, {@code skills.md}, {@code memories.md}; a missing one is kept as it is,
 * except the shared memory, which is removed) give {@code after.md}, or the message in {@code error.txt}. Pushing
 * again changes nothing and reports no drift; removing every section gives {@code removed.md} when present.
 */
class AgentDocGoldenTest {
    private static final Path DOC = Path.of("AGENTS.md");

    static Stream<String> cases() throws IOException, URISyntaxException {
        Path root = Path.of(Objects.requireNonNull(AgentDocGoldenTest.class.getResource("/agents"))
                .toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void spliceMatchesGoldenFiles(String name) throws Exception {
        Path dir = Path.of(Objects.requireNonNull(getClass().getResource("/agents/" + name))
                .toURI());
        AgentDocTarget push = new AgentDocTarget(DOC, sections(dir), false);
        Optional<byte[]> before = Optional.of(Files.readAllBytes(dir.resolve("before.md")));
        if (Files.exists(dir.resolve("error.txt"))) {
            InputException e = assertThrows(InputException.class, () -> push.render(before));
            assertEquals(read(dir.resolve("error.txt")).strip(), e.getMessage());
            return;
        }
        String after = read(dir.resolve("after.md"));
        Optional<byte[]> pushed = push.render(before);
        assertEquals(after, text(pushed), "push");
        assertEquals(after, text(push.render(pushed)), "second push");
        assertEquals(List.of(), push.drift(pushed, push.render(pushed)), "drift after push");
        Path removed = dir.resolve("removed.md");
        if (Files.exists(removed)) {
            AgentDocTarget clean = new AgentDocTarget(DOC, AgentDocs.removals(), false);
            assertEquals(read(removed), text(clean.render(pushed)), "remove");
        }
    }

    private static List<AgentSection> sections(Path dir) throws IOException {
        List<AgentSection> out = new ArrayList<>();
        out.add(section(dir, "base", AgentDocs.BASE, false));
        out.add(section(dir, "shared", MarkerBlock.HTML, true));
        out.add(section(dir, "skills", AgentDocs.SKILLS, false));
        out.add(section(dir, "memories", AgentDocs.MEMORIES, false));
        return out;
    }

    private static AgentSection section(Path dir, String name, MarkerBlock markers, boolean removeWhenMissing)
            throws IOException {
        Path file = dir.resolve(name + ".md");
        if (Files.exists(file)) {
            return AgentSection.write(name, markers, Lines.plain(read(file)));
        }
        return removeWhenMissing ? AgentSection.remove(name, markers) : AgentSection.keep(name, markers);
    }

    private static String text(Optional<byte[]> bytes) {
        return Contents.text(bytes).orElse("(no file)");
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}
