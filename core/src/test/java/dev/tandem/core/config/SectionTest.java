package dev.tandem.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;

class SectionTest {
    private static final Path FILE = Path.of("/etc/tandem/hub.toml");
    private static final Path HOME = Path.of("/home/me");

    private static Section section(String toml) {
        return section(toml, Map.of());
    }

    private static Section section(String toml, Map<String, String> env) {
        return new Sections(FILE, Toml.parse(toml), env, HOME).reader("x");
    }

    private static String error(Runnable read) {
        return assertThrows(ConfigException.class, read::run).getMessage();
    }

    @Test
    void wrongTypeNamesFileLineSectionAndKey() {
        Section s = section("[x]\n\nname = 3\n");
        assertEquals("/etc/tandem/hub.toml:3:1: [x] name must be a string", error(() -> s.string("name")));
    }

    @Test
    void outOfRangeNumberNamesTheRange() {
        Section s = section("[x]\nn = 0\n");
        assertEquals(
                "/etc/tandem/hub.toml:2:1: [x] n must be a whole number from 1 to 10",
                error(() -> s.whole("n", 1, 10, 5)));
    }

    @Test
    void fractionIsNotAWholeNumber() {
        Section s = section("[x]\nn = 1.5\n");
        assertEquals(
                "/etc/tandem/hub.toml:2:1: [x] n must be a whole number from 1 to 10",
                error(() -> s.whole("n", 1, 10, 5)));
    }

    @Test
    void absentKeysFallBack() {
        Section s = section("");
        assertEquals(5, s.whole("n", 1, 10, 5));
        assertEquals(true, s.bool("b", true));
        assertEquals(Optional.empty(), s.string("s"));
        assertEquals(Optional.empty(), s.paths("p"));
        assertFalse(s.contains("n"));
    }

    @Test
    void wrongBooleanNamesItsLine() {
        Section s = section("[x]\nb = \"yes\"\n");
        assertEquals("/etc/tandem/hub.toml:2:1: [x] b must be true or false", error(() -> s.bool("b", false)));
    }

    @Test
    void pathsAreRelativeToTheFilesFolderAndTildeIsHome() {
        Section s = section("[x]\nrel = \"data\"\nup = \"../var\"\nhome = \"~/t\"\nabs = \"/srv\"\n");
        assertEquals(Path.of("/etc/tandem/data"), s.path("rel").orElseThrow());
        assertEquals(Path.of("/etc/var"), s.path("up").orElseThrow());
        assertEquals(Path.of("/home/me/t"), s.path("home").orElseThrow());
        assertEquals(Path.of("/srv"), s.path("abs").orElseThrow());
    }

    @Test
    void emptyPathIsRefused() {
        Section s = section("[x]\np = \"  \"\n");
        assertEquals("/etc/tandem/hub.toml:2:1: [x] p must not be empty", error(() -> s.path("p")));
    }

    @Test
    void arrayWithANonStringNamesItsLine() {
        Section s = section("[x]\nlist = [\"a\", 1]\n");
        assertEquals("/etc/tandem/hub.toml:2:1: [x] list must be an array of strings", error(() -> s.strings("list")));
    }

    @Test
    void nestedTableKeepsItsFullName() {
        Section s = section("[x.inner]\nn = \"a\"\n");
        Section inner = s.table("inner").orElseThrow();
        assertEquals(
                "/etc/tandem/hub.toml:2:1: [x.inner] n must be a whole number from 0 to 1",
                error(() -> inner.whole("n", 0, 1, 0)));
    }

    @Test
    void nestedTableWithAQuotedKeyKeepsTheQuotes() {
        Section s = section("[x.\"https://git.example.org\"]\ntoken = 1\n");
        Section inner = s.table("https://git.example.org").orElseThrow();
        assertEquals(
                "/etc/tandem/hub.toml:2:1: [x.\"https://git.example.org\"] token must be a string",
                error(() -> inner.string("token")));
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() {
        Section s = section("[x]\nauht = \"env\"\n");
        assertEquals(
                "/etc/tandem/hub.toml:2:1: [x] auht is not a setting here (known: auth, hub_url)",
                error(() -> s.allowOnly(Set.of("auth", "hub_url"))));
    }

    @Test
    void environmentOverrideWinsAndNamesTheVariableWhenWrong() {
        Section s = section("[x]\ndays = 3\n", Map.of("T_DAYS", "9"));
        assertEquals(9, s.whole("days", "T_DAYS", 1, 10, 1));
        Section bad = section("[x]\ndays = 3\n", Map.of("T_DAYS", "99"));
        assertEquals(
                "T_DAYS: expected a whole number from 1 to 10, got '99'",
                error(() -> bad.whole("days", "T_DAYS", 1, 10, 1)));
    }

    @Test
    void stringArrayReadsInOrder() {
        assertEquals(
                List.of("a", "b"),
                section("[x]\nl = [\"a\", \"b\"]\n").strings("l").orElseThrow());
    }
}
