package dev.tandem.core.store;

import dev.tandem.core.memory.HistoryEntry;
import dev.tandem.core.memory.ImportResult;
import dev.tandem.core.memory.ListQuery;
import dev.tandem.core.memory.Memory;
import dev.tandem.core.memory.MemoryDraft;
import dev.tandem.core.memory.MemoryNotFoundException;
import dev.tandem.core.memory.MemoryRepository;
import dev.tandem.core.memory.Owner;
import dev.tandem.core.memory.Page;
import dev.tandem.core.memory.SearchHit;
import dev.tandem.core.memory.SearchQuery;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link MemoryRepository} on the store's database: on SQLite FTS5 with bm25 ranking, on PostgreSQL a generated
 * {@code tsvector} column ranked with {@code ts_rank}; the rest of the SQL both share.
 */
final class SqliteMemoryRepository implements MemoryRepository {
    private static final String COLUMNS =
            "id, version, title, content, summary, tags, scope, engine, host, created, " + "updated";
    private static final String VISIBLE = MemoryFilters.VISIBLE;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String INSERT_HISTORY = "INSERT INTO memory_history (" + COLUMNS
            + ", deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id, version) DO NOTHING";
    /** Ids asked for at once: far below SQLite's and PostgreSQL's limits on parameters. */
    private static final int LATEST_CHUNK = 500;

    private final Connections db;
    private final Clock clock;

    SqliteMemoryRepository(Connections db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Memory insert(Owner owner, MemoryDraft d) {
        Instant now = now();
        Memory m = new Memory(
                newId(),
                1,
                d.title(),
                d.content(),
                d.summary(),
                d.tags(),
                d.scope(),
                owner.engine(),
                owner.host(),
                now,
                now);
        return db.write(c -> {
            appendHistory(c, m, false);
            upsertCurrent(c, db.dialect(), m);
            return m;
        });
    }

    @Override
    public Memory update(Owner owner, String id, Function<Memory, MemoryDraft> change) {
        return db.write(c -> {
            Memory current = findCurrent(c, owner, id, true).orElseThrow(() -> new MemoryNotFoundException(id));
            MemoryDraft d = change.apply(current);
            if (current.sameAs(d)) {
                return current;
            }
            Memory next = new Memory(
                    id,
                    current.version() + 1,
                    d.title(),
                    d.content(),
                    d.summary(),
                    d.tags(),
                    d.scope(),
                    current.engine(),
                    current.host(),
                    current.created(),
                    later(now(), current.updated()));
            appendHistory(c, next, false);
            upsertCurrent(c, db.dialect(), next);
            return next;
        });
    }

    @Override
    public Optional<Memory> find(Owner owner, String id) {
        return db.read(c -> findCurrent(c, owner, id, false));
    }

    @Override
    public Optional<Memory> findVersion(Owner owner, String id, int version) {
        return db.read(c -> {
            if (findCurrent(c, owner, id, false).isEmpty()) {
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM memory_history WHERE id = ? AND version = ? AND deleted = 0")) {
                ps.setString(1, id);
                ps.setInt(2, version);
                return MemoryRows.first(ps);
            }
        });
    }

    @Override
    public List<SearchHit> search(Owner owner, SearchQuery q) {
        return db.dialect() == Dialect.SQLITE ? searchFts5(owner, q) : searchTsvector(owner, q);
    }

    private List<SearchHit> searchFts5(Owner owner, SearchQuery q) {
        Optional<String> match = FtsQuery.of(q.text());
        if (match.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + MemoryRows.prefixed("m.")
                + ", snippet(memory_fts, -1, '**', '**', '…', 16), memory_fts.rank"
                + " FROM memory_fts JOIN memory m ON m.seq = memory_fts.rowid"
                + " WHERE memory_fts MATCH ? AND " + VISIBLE
                + MemoryFilters.where(db.dialect(), q.tags(), q.scope(), q.host())
                + " ORDER BY memory_fts.rank LIMIT ?";
        return hits(sql, match.get(), owner, q, true);
    }

    /**
     * PostgreSQL's full-text search over the generated {@code memory.fts} column: the same words OR-ed as on SQLite,
     * through {@code websearch_to_tsquery}, ranked by {@code ts_rank} with the same column weights (title, tags,
     * summary, content), and the best fragment marked as {@code snippet()} marks it.
     */
    private List<SearchHit> searchTsvector(Owner owner, SearchQuery q) {
        Optional<String> match = FtsQuery.websearch(q.text());
        if (match.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + MemoryRows.prefixed("m.")
                + ", ts_headline('english', m.title || ' … ' || m.summary || ' … ' || m.content, q.query,"
                + " 'StartSel=**, StopSel=**, MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=…'),"
                + " ts_rank('{0.25, 0.5, 0.75, 1.0}', m.fts, q.query) AS score"
                + " FROM memory m, websearch_to_tsquery('english', ?) AS q(query)"
                + " WHERE m.fts @@ q.query AND " + VISIBLE
                + MemoryFilters.where(db.dialect(), q.tags(), q.scope(), q.host())
                + " ORDER BY score DESC, m.seq DESC LIMIT ?";
        return hits(sql, match.get(), owner, q, false);
    }

    private List<SearchHit> hits(String sql, String match, Owner owner, SearchQuery q, boolean negatedRank) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, match);
                i = MemoryFilters.bind(ps, i, owner, q.tags(), q.scope(), q.host());
                ps.setInt(i, q.limit());
                List<SearchHit> hits = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double rank = rs.getDouble(13);
                        hits.add(new SearchHit(MemoryRows.memory(rs), rs.getString(12), negatedRank ? -rank : rank));
                    }
                }
                return hits;
            }
        });
    }

    @Override
    public Page list(Owner owner, ListQuery q) {
        String sql = "SELECT " + MemoryRows.prefixed("m.") + " FROM memory m WHERE " + VISIBLE
                + MemoryFilters.where(db.dialect(), q.tags(), q.scope(), q.host())
                + " ORDER BY m.updated DESC, m.seq DESC LIMIT ? OFFSET ?";
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = MemoryFilters.bind(ps, 1, owner, q.tags(), q.scope(), q.host());
                ps.setInt(i++, q.limit() + 1);
                ps.setInt(i, q.offset());
                List<Memory> items = MemoryRows.all(ps);
                boolean more = items.size() > q.limit();
                return new Page(more ? items.subList(0, q.limit()) : items, more);
            }
        });
    }

    @Override
    public boolean delete(Owner owner, String id) {
        return db.write(c -> {
            Optional<Memory> current = findCurrent(c, owner, id, true);
            if (current.isEmpty()) {
                return false;
            }
            Memory m = current.get();
            Memory tombstone = new Memory(
                    id,
                    m.version() + 1,
                    m.title(),
                    m.content(),
                    m.summary(),
                    m.tags(),
                    m.scope(),
                    m.engine(),
                    m.host(),
                    m.created(),
                    later(now(), m.updated()));
            appendHistory(c, tombstone, true);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM memory WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public void exportHistory(Consumer<HistoryEntry> sink) {
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT " + COLUMNS + ", deleted FROM memory_history ORDER BY id, version");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new HistoryEntry(MemoryRows.memory(rs), rs.getInt(12) == 1));
                }
            }
            return null;
        });
    }

    @Override
    public ImportResult importHistory(List<HistoryEntry> entries) {
        return db.write(c -> {
            // one batch of history rows, one query per chunk of ids for their latest versions, and one batch each of
            // upserts and deletes: a handful of round trips for the whole import instead of three per memory
            int added = 0;
            Set<String> touched = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement(INSERT_HISTORY)) {
                for (HistoryEntry e : entries) {
                    MemoryRows.bind(ps, e.memory());
                    ps.setInt(12, e.deleted() ? 1 : 0);
                    ps.addBatch();
                }
                int[] counts = entries.isEmpty() ? new int[0] : ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 1) {
                        added++;
                        touched.add(entries.get(i).memory().id());
                    }
                }
            }
            bringCurrent(c, db.dialect(), List.copyOf(touched));
            return new ImportResult(added, entries.size() - added);
        });
    }

    /**
     * Makes {@code memory} hold the latest history version of each of {@code ids}, or nothing for one whose latest
     * version is a tombstone; rows are written in the order of {@code ids} (their write order).
     */
    private static void bringCurrent(Connection c, Dialect dialect, List<String> ids) throws SQLException {
        java.util.Map<String, HistoryEntry> latest = new java.util.HashMap<>();
        for (int from = 0; from < ids.size(); from += LATEST_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LATEST_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", deleted FROM memory_history h"
                    + " WHERE h.id IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")"
                    + " AND h.version = (SELECT MAX(version) FROM memory_history WHERE id = h.id)")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Memory m = MemoryRows.memory(rs);
                        latest.put(m.id(), new HistoryEntry(m, rs.getInt(12) == 1));
                    }
                }
            }
        }
        try (PreparedStatement upsert = c.prepareStatement(upsertSql(dialect));
                PreparedStatement delete = c.prepareStatement("DELETE FROM memory WHERE id = ?")) {
            boolean upserts = false;
            boolean deletes = false;
            for (String id : ids) {
                HistoryEntry e = latest.get(id);
                if (e.deleted()) {
                    delete.setString(1, id);
                    delete.addBatch();
                    deletes = true;
                } else {
                    MemoryRows.bind(upsert, e.memory());
                    upsert.addBatch();
                    upserts = true;
                }
            }
            if (deletes) {
                delete.executeBatch();
            }
            if (upserts) {
                upsert.executeBatch();
            }
        }
    }

    /** Returns the current version; {@code lock}: and keeps other writers off the row until this one commits. */
    private Optional<Memory> findCurrent(Connection c, Owner owner, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + MemoryRows.prefixed("m.") + " FROM memory m WHERE m.id = ? AND "
                        + VISIBLE + (lock ? db.dialect().forUpdate() : ""))) {
            ps.setString(1, id);
            MemoryFilters.bind(ps, 2, owner, List.of(), Optional.empty());
            return MemoryRows.first(ps);
        }
    }

    /** Appends a history row; false when that id and version are already there. */
    private static boolean appendHistory(Connection c, Memory m, boolean deleted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_HISTORY)) {
            MemoryRows.bind(ps, m);
            ps.setInt(12, deleted ? 1 : 0);
            return ps.executeUpdate() == 1;
        }
    }

    private static void upsertCurrent(Connection c, Dialect dialect, Memory m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(upsertSql(dialect))) {
            MemoryRows.bind(ps, m);
            ps.executeUpdate();
        }
    }

    private static String upsertSql(Dialect dialect) {
        return "INSERT INTO memory (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                // a new seq puts the row last in write order, which breaks ties of equal updated times
                + " seq = " + dialect.nextMemorySeq()
                + ", version = excluded.version, title = excluded.title, content = excluded.content,"
                + " summary = excluded.summary, tags = excluded.tags, scope = excluded.scope,"
                + " engine = excluded.engine, host = excluded.host, created = excluded.created,"
                + " updated = excluded.updated WHERE excluded.version > memory.version";
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /** Keeps {@code updated} moving forward even if the clock steps back. */
    private static Instant later(Instant now, Instant previous) {
        return now.isAfter(previous) ? now : previous.plusMillis(1);
    }

    /** Returns a new id: the time in base 36 (so ids sort by creation) and 8 random base-36 digits. */
    static String newId() {
        StringBuilder id = new StringBuilder(Long.toString(System.currentTimeMillis(), 36));
        for (int i = 0; i < 8; i++) {
            id.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return id.toString().toLowerCase(Locale.ROOT);
    }
}
