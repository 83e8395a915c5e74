package dev.tandem.hub.skills;

import dev.tandem.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads the skills of one folder, always from disk, so an edit shows at the next read. */
public final class SkillLibrary {
    private static final Logger LOG = Logger.getLogger(SkillLibrary.class.getName());

    private final Path dir;
    private final SkillFiles files;

    public SkillLibrary(Path dir) {
        this.dir = dir;
        this.files = new SkillFiles(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Returns the skills folder's files as the Skills extension serves them, the reader {@link #load} uses too. */
    public SkillFiles files() {
        return files;
    }

    /**
     * Returns every readable skill by slug; a skill whose file cannot be read or parsed is skipped with a warning.
     * Each {@code SKILL.md} is read as the Skills extension reads it ({@link SkillFiles#read}): a regular file in a
     * real folder of the skills folder, no symbolic link on the way, opened without blocking, at most
     * {@link SkillFiles#MAX_BYTES}. Whoever can write in the skills folder cannot make the hub serve another file.
     */
    public Map<String, Skill> load() {
        Map<String, Skill> skills = new TreeMap<>();
        List<String> slugs;
        try {
            slugs = files.slugs();
        } catch (SkillException e) {
            LOG.warning(e.getMessage());
            return skills;
        }
        for (String slug : slugs) {
            try {
                find(slug).ifPresent(skill -> skills.put(slug, skill));
            } catch (SkillException e) {
                LOG.warning(e.getMessage());
            }
        }
        return skills;
    }

    /**
     * Returns the skill {@code slug} as it is on disk now; empty when there is none (or its {@code SKILL.md} is a
     * symbolic link or not a regular file).
     *
     * @throws SkillException naming the file when it cannot be read, is too large or cannot be parsed
     */
    public java.util.Optional<Skill> find(String slug) {
        return files.read(slug, "SKILL.md")
                .map(bytes -> parse(slug, dir.resolve(slug).resolve("SKILL.md"), bytes));
    }

    /** Parses one SKILL.md from the bytes read from it. */
    static Skill parse(String slug, Path file, byte[] bytes) {
        String body = text(bytes);
        Map<String, Object> front = frontMatter(file, bytes);
        if (body.startsWith("---\n")) {
            int end = body.indexOf("\n---", 4);
            int after = body.indexOf('\n', end + 4);
            body = after < 0 ? "" : body.substring(after + 1);
        }
        String name = string(front, "name").orElse(slug);
        String description = string(front, "description").orElse("");
        return new Skill(slug, name, description, body, arguments(front, body), Sha256.hex(bytes), file);
    }

    private static String text(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Returns the front matter of a SKILL.md as written (every key), empty when it has none. */
    static Map<String, Object> frontMatter(Path file, byte[] bytes) {
        String text = text(bytes);
        if (!text.startsWith("---\n")) {
            return Map.of();
        }
        int end = text.indexOf("\n---", 4);
        if (end < 0) {
            throw new SkillException(file + ":1: front matter starts with --- but never ends");
        }
        return frontMatter(file, text.substring(4, end));
    }

    private static Map<String, Object> frontMatter(Path file, String yaml) {
        try {
            Object parsed = Yaml.MAPPER.readValue(yaml, Object.class);
            if (parsed == null) {
                return Map.of();
            }
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new SkillException(file + ":2: front matter must be a mapping of keys to values");
            }
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr() + 1;
            throw new SkillException(
                    file + ":" + line + ": front matter is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static java.util.Optional<String> string(Map<String, Object> front, String key) {
        Object v = front.get(key);
        return v == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(v.toString().strip());
    }

    private static List<String> arguments(Map<String, Object> front, String body) {
        Object declared = front.get("arguments");
        List<String> out = new ArrayList<>();
        if (declared instanceof List<?> list) {
            list.forEach(a -> out.add(String.valueOf(a).strip()));
        } else if (declared != null) {
            for (String a : declared.toString().split(",", -1)) {
                if (!a.isBlank()) {
                    out.add(a.strip());
                }
            }
        } else if (body.contains("$ARGUMENTS")) {
            out.add("args");
        }
        return out;
    }

    /**
     * Holds the YAML mapper, made when the first front matter is read: a hub whose skills folder is empty, or a start
     * before any skill is read, does not load the YAML parser (docs/benchmarks.md, Footprint, third round).
     */
    private static final class Yaml {
        static final YAMLMapper MAPPER = YAMLMapper.builder().build();

        private Yaml() {}
    }

    /** Thrown when a skill file cannot be read or parsed; the message names the file and line. */
    public static final class SkillException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SkillException(String message) {
            super(message);
        }

        SkillException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
