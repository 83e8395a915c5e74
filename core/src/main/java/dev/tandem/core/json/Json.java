package dev.tandem.core.json;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper Tandem's own code reads and writes JSON with (the MCP SDK keeps its own). Jackson 3 mappers
 * are immutable and safe to share between threads, so one instance serves every caller.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    /** Returns the shared mapper: Jackson's defaults, nothing configured. */
    public static JsonMapper mapper() {
        return MAPPER;
    }
}
