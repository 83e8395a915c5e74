package dev.tandem.hub.memory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Maps a memory to and from the eleven columns every memory table shares, tags as a JSON array. */
final class MemoryRows {
    private static final JsonMapper JSON = JsonMapper.builder().build();

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
}
