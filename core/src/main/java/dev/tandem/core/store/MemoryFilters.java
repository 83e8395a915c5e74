package dev.tandem.core.store;

import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Scope;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The WHERE clauses every read shares: what the owner may see, and the optional scope and tag filters. */
final class MemoryFilters {
    /**
     * A memory row {@code m} the owner (parameters: host, engine, engine) may see: a shared one, one of its host's
     * that is host-scoped or its engine's, or any when the owner sees all.
     */
    static final String VISIBLE = "(m.scope = 'shared' OR (m.host = ? AND (m.scope = 'host' OR m.engine = ?)) OR ? = '"
            + Owner.EVERY_ENGINE + "')";

    private MemoryFilters() {}

    /** Returns the {@code AND …} clauses for a scope, a host and every tag, to follow {@link #VISIBLE}. */
    static String where(Dialect dialect, List<String> tags, Optional<Scope> scope, Optional<String> host) {
        StringBuilder sql = new StringBuilder();
        if (scope.isPresent()) {
            sql.append(" AND m.scope = ?");
        }
        if (host.isPresent()) {
            sql.append(" AND m.host = ?");
        }
        for (int i = 0; i < tags.size(); i++) {
            sql.append(" AND ").append(dialect.hasTag());
        }
        return sql.toString();
    }

    /** Binds {@link #VISIBLE} and {@link #where} from parameter {@code start}; returns the next index. */
    static int bind(PreparedStatement ps, int start, Owner owner, List<String> tags, Optional<Scope> scope)
            throws SQLException {
        return bind(ps, start, owner, tags, scope, Optional.empty());
    }

    /** Binds {@link #VISIBLE} and {@link #where} with a host from parameter {@code start}; returns the next index. */
    static int bind(
            PreparedStatement ps,
            int start,
            Owner owner,
            List<String> tags,
            Optional<Scope> scope,
            Optional<String> host)
            throws SQLException {
        int i = start;
        ps.setString(i++, owner.host());
        ps.setString(i++, owner.engine());
        ps.setString(i++, owner.engine());
        if (scope.isPresent()) {
            ps.setString(i++, scope.get().wireName());
        }
        if (host.isPresent()) {
            ps.setString(i++, host.get());
        }
        for (String tag : tags) {
            ps.setString(i++, tag);
        }
        return i;
    }
}
