package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequiredLiteralTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '→',
            value = {
                "synchronized\\s*\\(\\s*this\\s*\\)→synchronized",
                "\\b(public|protected)\\s+static\\s+final\\s+\\w+→static",
                "foo\\.bar→foo.bar",
                "colou?r→colo",
                "abcd+→abc",
                "x[abc]yzw→yzw",
                "(?i)hello→",
                "hello|world→",
                "a.b.c→",
                "\\Qliteral\\E→",
                "^import java\\.util\\.→import java.util.",
            })
    void findsALiteralEveryMatchMustContain(String regex, String expected) {
        assertEquals(Optional.ofNullable(expected), RequiredLiteral.of(regex));
    }
}
