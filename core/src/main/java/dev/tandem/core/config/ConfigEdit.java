package dev.tandem.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Writes one choice into {@code hub.toml} the way a person would: the one line of the key is replaced, or a line is
 * added under the section's header, or the section is added at the end. Every other line, comment and blank stays as
 * it was, and the file is replaced atomically.
 */
public final class ConfigEdit {
    private ConfigEdit() {}

    /**
     * Sets {@code [section] key = value} in {@code file} (created, mode 0600, when missing).
     *
     * @param value the value as TOML writes it, e.g. {@code "\"env\""} or {@code true}
     * @return whether the file changed
     * @throws ConfigException when the file does not parse, or holds the key in a form this edit cannot rewrite
     *     (a dotted key, an inline table, a value over several lines)
     */
    public static boolean set(Path file, String section, String key, String value) {
        String text = read(file);
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlPosition p = toml.errors().get(0).position();
            throw new ConfigException(file + ":" + p.line() + ":" + p.column() + ": "
                    + toml.errors().get(0).getMessage());
        }
        String line = key + " = " + value;
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        Object existing = toml.get(List.of(section));
        if (existing instanceof TomlTable table && table.contains(List.of(key))) {
            TomlPosition at = table.inputPositionOf(List.of(key));
            int i = at.line() - 1;
            if (!lines.get(i).strip().startsWith(key) || table.get(List.of(key)) instanceof TomlTable) {
                throw new ConfigException(file + ":" + at.line() + ":" + at.column() + ": [" + section + "] " + key
                        + " is written in a form Tandem cannot change; set it to " + value + " by hand");
            }
            if (lines.get(i).strip().equals(line)) {
                return false;
            }
            lines.set(i, line);
        } else if (existing instanceof TomlTable) {
            int header = headerLine(lines, section);
            if (header < 0) {
                throw new ConfigException(file + ": [" + section + "] is written in a form Tandem cannot change; add "
                        + line + " to it by hand");
            }
            lines.add(header + 1, line);
        } else if (existing == null) {
            if (!text.isEmpty() && !text.endsWith("\n")) {
                lines.add("");
            }
            int end = lines.size() - (lines.getLast().isEmpty() ? 1 : 0);
            List<String> added =
                    text.isBlank() ? List.of("[" + section + "]", line) : List.of("", "[" + section + "]", line);
            lines.addAll(end, added);
        } else {
            throw new ConfigException(
                    file + ": " + section + " is not a table; add [" + section + "] " + line + " by hand");
        }
        write(file, String.join("\n", lines));
        return true;
    }

    private static int headerLine(List<String> lines, String section) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            String header = "[" + section + "]";
            if (l.equals(header)
                    || (l.startsWith(header)
                            && l.substring(header.length()).strip().startsWith("#"))) {
                return i;
            }
        }
        return -1;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            OwnerOnly.dir(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(
                    file.toAbsolutePath().getParent(),
                    "." + file.getFileName() + ".",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(OwnerOnly.FILE));
            try {
                Files.writeString(tmp, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
                if (Files.exists(file)) {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
