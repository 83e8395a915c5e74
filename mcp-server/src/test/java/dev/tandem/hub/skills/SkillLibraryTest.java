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

    private static Skill parse(String slug, Path file) throws java.io.IOException {
        return SkillLibrary.parse(slug, file, Files.readAllBytes(file));
    }

    @Test
    void parsesFrontMatterAndBodyWithCrlfAndBom() throws Exception {
        Path file = write("a", "\uFEFF---\r\nname: Alpha\r\ndescription: \"Does: things\"\r\n---\r\nBody line\r\n");
        Skill s = parse("a", file);
        assertEquals("Alpha", s.name());
        assertEquals("Does: things", s.description());
        assertEquals("Body line\n", s.body());
    }

    @Test
    void skillWithoutFrontMatterUsesTheSlug() throws Exception {
        Skill s = parse("plain", write("plain", "Just text.\n"));
        assertEquals("plain", s.name());
        assertEquals("", s.description());
        assertEquals(List.of(), s.arguments());
    }

    @Test
    void unterminatedFrontMatterNamesTheFile() throws Exception {
        Path file = write("bad", "---\nname: x\nno end\n");
        var e = assertThrows(SkillLibrary.SkillException.class, () -> parse("bad", file));
        assertTrue(e.getMessage().startsWith(file + ":1:"), e.getMessage());
    }

    @Test
    void invalidYamlNamesTheFileAndLine() throws Exception {
        Path file = write("bad", "---\nname: [unclosed\n---\nbody\n");
        var e = assertThrows(SkillLibrary.SkillException.class, () -> parse("bad", file));
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

    @Test
    void loadAndFindReadNoLinkNoFifoAndNothingOverTheLimit() throws Exception {
        write("good", "ok\n");
        Path secret = Files.writeString(
                Files.createDirectories(dir.resolve("../outside")).resolve("secret"), "s3cr3t");
        Files.createDirectories(dir.resolve("file-link"));
        Files.createSymbolicLink(dir.resolve("file-link/SKILL.md"), secret);
        Files.createSymbolicLink(dir.resolve("folder-link"), dir.resolve("good"));
        Path fifo = Files.createDirectories(dir.resolve("fifo")).resolve("SKILL.md");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path big = write("big", "");
        try (var out = Files.newOutputStream(big)) {
            out.write(new byte[(int) SkillFiles.MAX_BYTES + 1]);
        }
        SkillLibrary library = new SkillLibrary(dir);
        // a FIFO would block a reading open until a writer came: the load returns, without it
        assertEquals(List.of("good"), List.copyOf(library.load().keySet()));
        assertTrue(library.find("file-link").isEmpty());
        assertTrue(library.find("folder-link").isEmpty());
        assertTrue(library.find("fifo").isEmpty());
        var tooBig = assertThrows(SkillLibrary.SkillException.class, () -> library.find("big"));
        assertTrue(tooBig.getMessage().contains(big.toString()), tooBig.getMessage());
    }
}
