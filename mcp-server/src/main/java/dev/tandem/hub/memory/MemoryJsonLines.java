package dev.tandem.hub.memory;

import dev.tandem.core.json.Json;
import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.InvalidMemoryException;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.Scope;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The export format: one JSON object per history row, e.g. {@code {"id":"…","version":2,"title":"…",
 * "content":"…","summary":"…","tags":["ops"],"scope":"shared","engine":"claude","host":"box",
 * "created":"2026-11-21T09:00:00Z","updated":"2026-11-21T09:05:00Z","deleted":false}}.
 */
public final class MemoryJsonLines {
    private static final JsonMapper JSON = Json.mapper();

    private MemoryJsonLines() {}

    /** Returns one line (no line break) for {@code entry}. */
    public static String write(HistoryEntry entry) {
        Memory m = entry.memory();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("version", m.version());
        out.put("title", m.title());
        out.put("content", m.content());
        out.put("summary", m.summary());
        out.put("tags", m.tags());
        out.put("scope", m.scope().wireName());
        out.put("engine", m.engine());
        out.put("host", m.host());
        out.put("created", m.created().toString());
        out.put("updated", m.updated().toString());
        out.put("deleted", entry.deleted());
        return JSON.writeValueAsString(out);
    }

    /** Parses one line; thrown {@link InvalidMemoryException} says what is wrong with it. */
    public static HistoryEntry read(String line) {
        Map<?, ?> map;
        try {
            map = JSON.readValue(line, Map.class);
        } catch (JacksonException e) {
            throw new InvalidMemoryException("not a JSON object: " + e.getOriginalMessage());
        }
        try {
            Memory m = new Memory(
                    MemoryService.id(string(map, "id")),
                    number(map, "version"),
                    string(map, "title"),
                    string(map, "content"),
                    string(map, "summary"),
                    MemoryService.tags(tags(map)),
                    Scope.parse(string(map, "scope")),
                    string(map, "engine"),
                    string(map, "host"),
                    Instant.parse(string(map, "created")),
                    Instant.parse(string(map, "updated")));
            return new HistoryEntry(m, Boolean.TRUE.equals(map.get("deleted")));
        } catch (DateTimeParseException e) {
            throw new InvalidMemoryException("created and updated must be ISO-8601 instants: " + e.getParsedString());
        } catch (IllegalArgumentException e) {
            throw new InvalidMemoryException(e.getMessage());
        }
    }

    private static String string(Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof String s)) {
            throw new InvalidMemoryException("\"" + key + "\" must be a string");
        }
        return s;
    }

    private static int number(Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof Integer n)) {
            throw new InvalidMemoryException("\"" + key + "\" must be a whole number");
        }
        return n;
    }

    private static List<String> tags(Map<?, ?> map) {
        if (!(map.get("tags") instanceof List<?> list)) {
            throw new InvalidMemoryException("\"tags\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object t : list) {
            if (!(t instanceof String s)) {
                throw new InvalidMemoryException("\"tags\" must be an array of strings");
            }
            out.add(s);
        }
        return out;
    }
}
