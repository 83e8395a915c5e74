package dev.tandem.hub.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillLibraryTest {
    @TempDir
    Path dir;

    private Path write(String slug, String text) throws Exception {
        Path file = Files.createDirectories(dir.resolve(slug)).resolve("SKILL.md");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void parsesFrontMatterAndBodyWithCrlfAndBom() throws Exception {
        Path file = write("a", "\uFEFF---\r\nname: Alpha\r\ndescription: \"Does: things\"\r\n---\r\nBody line\r\n");
        Skill s = SkillLibrary.parse("a", file);
        assertEquals("Alpha", s.name());
        assertEquals("Does: things", s.description());
        assertEquals("Body line\n", s.body());
    }

    @Test
    void skillWithoutFrontMatterUsesTheSlug() throws Exception {
        Skill s = SkillLibrary.parse("plain", write("plain", "Just text.\n"));
        assertEquals("plain", s.name());
        assertEquals("", s.description());
        assertEquals(List.of(), s.arguments());
    }

    @Test
    void unterminatedFrontMatterNamesTheFile() throws Exception {
        Path file = write("bad", "---\nname: x\nno end\n");
        var e = assertThrows(SkillLibrary.SkillException.class, () -> SkillLibrary.parse("bad", file));
        assertTrue(e.getMessage().startsWith(file + ":1:"), e.getMessage());
    }

    @Test
    void invalidYamlNamesTheFileAndLine() throws Exception {
        Path file = write("bad", "---\nname: [unclosed\n---\nbody\n");
        var e = assertThrows(SkillLibrary.SkillException.class, () -> SkillLibrary.parse("bad", file));
        assertTrue(e.getMessage().startsWith(file + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void loadSkipsBrokenSkillsAndFoldersWithoutSkillMd() throws Exception {
        write("good", "---\ndescription: fine\n---\nok\n");
        write("broken", "---\nname: [\n---\n");
        Files.createDirectories(dir.resolve("empty"));
        Files.createDirectories(dir.resolve(".system"));
        assertEquals(List.of("good"), List.copyOf(new SkillLibrary(dir).load().keySet()));
    }
}
