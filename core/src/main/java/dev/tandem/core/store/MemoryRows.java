package dev.tandem.core.store;

import dev.tandem.core.json.Json;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.Scope;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/** Maps a memory to and from the eleven columns every memory table shares, tags as a JSON array. */
final class MemoryRows {
    /** The shared columns, in the order {@link #memory} reads and {@link #bind} writes them. */
    static final String COLUMNS = "id, version, title, content, summary, tags, scope, engine, host, created, updated";

    private static final JsonMapper JSON = Json.mapper();

    private MemoryRows() {}

    /** Reads columns 1 to 11 of the current row. */
    static Memory memory(ResultSet rs) throws SQLException {
        return new Memory(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                List.of(JSON.readValue(rs.getString(6), String[].class)),
                Scope.parse(rs.getString(7)),
                rs.getString(8),
                rs.getString(9),
                Instant.ofEpochMilli(rs.getLong(10)),
                Instant.ofEpochMilli(rs.getLong(11)));
    }

    /** Binds parameters 1 to 11. */
    static void bind(PreparedStatement ps, Memory m) throws SQLException {
        ps.setString(1, m.id());
        ps.setInt(2, m.version());
        ps.setString(3, m.title());
        ps.setString(4, m.content());
        ps.setString(5, m.summary());
        ps.setString(6, JSON.writeValueAsString(m.tags()));
        ps.setString(7, m.scope().wireName());
        ps.setString(8, m.engine());
        ps.setString(9, m.host());
        ps.setLong(10, m.created().toEpochMilli());
        ps.setLong(11, m.updated().toEpochMilli());
    }

    /** Returns {@link #COLUMNS} with each column prefixed by {@code alias}, e.g. {@code m.id, m.version, …}. */
    static String prefixed(String alias) {
        return alias + COLUMNS.replace(", ", ", " + alias);
    }

    /** Returns the first row's memory, if any. */
    static Optional<Memory> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(memory(rs)) : Optional.empty();
        }
    }

    /** Returns every row's memory. */
    static List<Memory> all(PreparedStatement ps) throws SQLException {
        List<Memory> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(memory(rs));
            }
        }
        return out;
    }
}
