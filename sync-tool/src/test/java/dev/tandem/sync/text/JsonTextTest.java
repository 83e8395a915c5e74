package dev.tandem.sync.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tandem.sync.engine.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class JsonTextTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(JsonTextTest.class.getResourceAsStream("/json/" + name))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code claude-expected.json} was written by Node 20: {@code JSON.stringify(JSON.parse(input), null, 2)}. */
    @Test
    void printsExactlyLikeNodesJsonStringify() throws IOException {
        String input = resource("claude-input.json");
        assertEquals(
                resource("claude-expected.json"),
                JsonText.print(JsonText.parseObject(Path.of("in.json"), input), "  ", false));
    }

    @Test
    void duplicateKeyIsAnInputErrorWithPosition() {
        InputException e = assertThrows(
                InputException.class, () -> JsonText.parseObject(Path.of("a.json"), "{\n  \"x\": 1,\n  \"x\": 2\n}"));
        assertEquals(true, e.getMessage().startsWith("a.json:3:"), e.getMessage());
    }

    @Test
    void trailingContentIsAnInputError() {
        assertThrows(InputException.class, () -> JsonText.parseObject(Path.of("a.json"), "{} {}"));
    }

    @Test
    void indentOfTheFileIsKept() {
        assertEquals("\t", JsonText.indentOf("{\n\t\"a\": 1\n}"));
        assertEquals("    ", JsonText.indentOf("{\n    \"a\": 1\n}"));
        assertEquals("  ", JsonText.indentOf("{}"));
    }
}
