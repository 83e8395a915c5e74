package dev.tandem.hub.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** fs_search's RE2 globs mean what the JDK's glob matcher means, on names and relative paths alike. */
class GlobTest {
    static final List<String> PATHS = List.of(
            "A.java",
            "a.java",
            "Main.kt",
            "src/main/A.java",
            "src/A.java",
            "docs/x.md",
            ".hidden",
            "a",
            "ab",
            "abc",
            "a-b",
            "a,b",
            "{x}",
            "x.min.js",
            "dir/sub/deep/f.txt",
            "[x]");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "*.java",
                "*.{java,kt}",
                "src/**/*.java",
                "src/*.java",
                "**/*.md",
                "?",
                "a?",
                "[ab]*",
                "[!a]*",
                "[a-c]b*",
                "a[-]b",
                "a,b",
                "\\{x\\}",
                "*.min.*",
                "**",
                "*",
                "dir/**",
                "\\[x\\]",
                ".*"
            })
    void matchesWhatTheJdkGlobMatches(String glob) {
        var jdk = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        Glob re2 = Glob.of(glob);
        for (String p : PATHS) {
            assertEquals(jdk.matches(Path.of(p)), re2.matches(p), () -> glob + " on " + p);
        }
    }
}
