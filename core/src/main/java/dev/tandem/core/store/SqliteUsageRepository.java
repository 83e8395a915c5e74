package dev.tandem.core.store;

import dev.tandem.core.usage.DamagedCount;
import dev.tandem.core.usage.DamagedResponse;
import dev.tandem.core.usage.DaySums;
import dev.tandem.core.usage.FileCursor;
import dev.tandem.core.usage.HubCalls;
import dev.tandem.core.usage.RateLimit;
import dev.tandem.core.usage.Rollup;
import dev.tandem.core.usage.ScanRecord;
import dev.tandem.core.usage.SessionTag;
import dev.tandem.core.usage.TaggedUsage;
import dev.tandem.core.usage.Tokens;
import dev.tandem.core.usage.ToolUse;
import dev.tandem.core.usage.UsageBatch;
import dev.tandem.core.usage.UsageEvent;
import dev.tandem.core.usage.UsageRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * {@link UsageRepository} in the {@code usage_*} tables of the store's SQLite file. The rollup rows reports read
 * are kept by triggers on {@code usage_event}, in the same transaction as the events.
 */
final class SqliteUsageRepository implements UsageRepository {
    /** The rollups' bucket: 15 minutes. */
    private static final long BUCKET_MILLIS = 900_000;

    private static final String TOKENS = "input, cache_read, cache_write_5m, cache_write_1h, output, reasoning";

    private final Connections db;
    private final String host;
    /** Dimension ids by engine, session, project and model; ids are never deleted, so they stay valid. */
    private final Map<List<String>, Long> dims = new ConcurrentHashMap<>();
    /** The dimensions rollups name, by id ({@link #dim}). */
    private final Map<Long, Dim> dimsById = new ConcurrentHashMap<>();
    /** The highest dimension id read into {@link #dimsById} by a range read. */
    private volatile long dimsRead = Long.MIN_VALUE;

    /** How many {@code usage_change} rows are kept: older ones are deleted by the writes that add new ones. */
    static final long CHANGES_KEPT = 10_000;
    /**
     * How far behind the newest {@code usage_change} row a day cache may be and still be brought up to date from the
     * rows after its own (below {@link #CHANGES_KEPT}: none of those can have been deleted yet).
     */
    private static final long CHANGES_TRUSTED = 9_000;
    /** Beyond this many days written since a cache's last row, every day is summed again instead. */
    private static final int MAX_DAYS_AGAIN = 400;
    /** How long day sums are brought up to date from {@code usage_change} before every day is summed again. */
    private static final Duration SUM_ALL_AGAIN = Duration.ofMinutes(10);
    /** A range this long or shorter is summed from its rows when no day sums are kept for its zone yet. */
    private static final Duration SHORT_RANGE = Duration.ofDays(32);

    private static final Instant MIN_MILLIS = Instant.ofEpochMilli(Long.MIN_VALUE);
    private static final Instant MAX_MILLIS = Instant.ofEpochMilli(Long.MAX_VALUE);
    /** Runs of touched buckets further apart than this are separate {@code usage_change} rows. */
    private static final long DAY_MILLIS = 86_400_000;
    /**
     * The day sums of the last few time zones reports asked for ({@link #days}), by the zone's rules: zones whose days
     * begin and end at the same instants ({@code UTC}, {@code Z}, {@code Etc/UTC}; {@code Asia/Kolkata} and its old
     * name {@code Asia/Calcutta}) share one, so a client that spells one zone several ways does not have every day
     * summed again for each spelling. The sums hold no zone id: a report names the zone it was asked for.
     */
    private final Map<ZoneRules, DayCache> dayCaches = new LinkedHashMap<>(4, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ZoneRules, DayCache> eldest) {
            return size() > 4;
        }
    };
    /** How often every day was summed for a zone's cache (a new cache, or one too far behind): for the tests. */
    private final AtomicLong everyDaySummed = new AtomicLong();

    SqliteUsageRepository(Connections db, String host) {
        this.db = db;
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Map<String, FileCursor> cursors() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT path, engine, file_key, size, \"offset\", head_hash,"
                    + " state, read_at, mtime FROM usage_file WHERE host = ?")) {
                ps.setString(1, host);
                Map<String, FileCursor> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        FileCursor f = cursor(rs);
                        out.put(f.path(), f);
                    }
                }
                return out;
            }
        });
    }

    private static FileCursor cursor(ResultSet rs) throws SQLException {
        return new FileCursor(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(9),
                rs.getLong(5),
                rs.getString(6),
                rs.getString(7),
                Instant.ofEpochMilli(rs.getLong(8)));
    }

    @Override
    public List<UsageBatch> apply(List<UsageBatch> batches) {
        Map<List<String>, Long> added = new HashMap<>();
        List<UsageBatch> refused = db.writeDerived(c -> {
            List<UsageBatch> out = new ArrayList<>();
            // the cursor check and the write are one step for every store of this host, not only this process's
            db.dialect().serialize(c, "usage_file:" + host);
            try (Statements st = new Statements(c)) {
                List<UsageBatch> accepted = new ArrayList<>(batches.size());
                List<UsageEvent> events = new ArrayList<>();
                // per file, where the batches accepted so far leave its cursor (written after the rows, below)
                Map<String, FileCursor> moved = new LinkedHashMap<>();
                for (UsageBatch batch : batches) {
                    // a batch goes on from where its file's cursor stands, or is refused (another reader was first)
                    String path = batch.to().path();
                    FileCursor here = moved.get(path);
                    boolean goesOn = here == null
                            ? cursorIs(st.cursor, path, batch.from())
                            : batch.from().isPresent() && batch.from().get().samePlace(here);
                    if (goesOn) {
                        accepted.add(batch);
                        events.addAll(batch.events());
                        moved.put(path, batch.to());
                    } else {
                        out.add(batch);
                    }
                }
                // in key order: the keys are hashes, so in the order read each insert lands on another page of the
                // table; sorted, consecutive inserts share pages. A key given twice keeps its copy with the most
                // output tokens; between copies with as many, the first one read (the sort is stable), as before.
                events.sort(Comparator.comparingLong(UsageEvent::key));
                for (int i = 0; i < events.size(); ) {
                    i = bindCopies(st, events, i, added);
                }
                for (UsageBatch batch : accepted) {
                    for (RateLimit l : batch.limits()) {
                        bindLimit(st.limit, l);
                    }
                    for (ToolUse u : batch.toolUses()) {
                        bindToolUse(st.toolUse, u);
                    }
                }
                st.event.executeBatch();
                changed(c, events);
                st.limit.executeBatch();
                st.toolUse.executeBatch();
                damaged(c, st, events, accepted);
                // the cursors last, in the same transaction as what was read up to them
                for (FileCursor to : moved.values()) {
                    saveCursor(st.save, to);
                }
            }
            return out;
        });
        dims.putAll(added); // only once committed: a rolled-back id must not be remembered
        return refused;
    }

    /**
     * Keeps this host's {@code usage_damaged} rows free of keys the ledger counts: deletes its rows of {@code
     * events}' keys (their counts go with them, by trigger) and adds the batches' damaged responses whose key has no
     * event. Another host's damaged response of the same key stays: it is that host's, which this host's logs cannot
     * mend nor a push with this host's key remove (docs/fleet.md, push-usage). Under the
     * {@code usage_change} lock, held to the commit: a writer of another host that adds the key's event or damaged row
     * at the same time commits first, and this one's statements see what it wrote (PostgreSQL reads committed rows).
     */
    private void damaged(Connection c, Statements st, List<UsageEvent> events, List<UsageBatch> accepted)
            throws SQLException {
        boolean any = accepted.stream().anyMatch(b -> !b.damaged().isEmpty());
        if (!any && events.isEmpty()) {
            return;
        }
        db.dialect().serialize(c, "usage_change");
        if (!events.isEmpty() && anyDamaged(c)) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_damaged WHERE key = ? AND host = ?")) {
                long last = 0;
                for (int i = 0; i < events.size(); i++) {
                    long key = events.get(i).key();
                    if (i == 0 || key != last) { // sorted by key: each once
                        ps.setLong(1, key);
                        ps.setString(2, host);
                        ps.addBatch();
                    }
                    last = key;
                }
                ps.executeBatch();
            }
        }
        if (any) {
            for (UsageBatch batch : accepted) {
                for (DamagedResponse d : batch.damaged()) {
                    bindDamaged(st.damaged, d);
                }
            }
            st.damaged.executeBatch();
        }
    }

    /** Whether {@code usage_damaged} holds any row: an empty table spares the deletes of a write's keys. */
    private static boolean anyDamaged(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM usage_damaged)")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * Notes in {@code usage_change} which buckets {@code events} changed (runs less than a day apart as one row), so
     * day caches ({@link #days}) sum those days again; deletes the rows older than the newest {@link #CHANGES_KEPT}.
     */
    private void changed(Connection c, List<UsageEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        LongStream.Builder touched = LongStream.builder();
        for (UsageEvent e : events) {
            long at = e.at().toEpochMilli();
            touched.add(at - at % BUCKET_MILLIS); // as the triggers
        }
        // a later copy of a stored response changed the rollup of the stored copy's time, which may be in another
        // bucket (or day) than its own: the update trigger noted those buckets
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("DELETE FROM usage_change_pending RETURNING bucket")) {
            while (rs.next()) {
                touched.add(rs.getLong(1));
            }
        }
        long[] buckets = touched.build().distinct().sorted().toArray();
        // rows become visible in the order of their numbers: one writer at a time adds its row and commits (SQLite
        // has one writer; on PostgreSQL this lock is held to the commit)
        db.dialect().serialize(c, "usage_change");
        try (PreparedStatement add =
                c.prepareStatement("INSERT INTO usage_change (bucket_from, bucket_to) VALUES (?, ?)")) {
            long from = buckets[0];
            long to = buckets[0];
            for (int i = 1; i <= buckets.length; i++) {
                // (a difference past the long range, between times at its two ends, is a gap too)
                if (i == buckets.length || buckets[i] - to > DAY_MILLIS || buckets[i] - to < 0) {
                    add.setLong(1, from);
                    add.setLong(2, to);
                    add.addBatch();
                    if (i < buckets.length) {
                        from = buckets[i];
                    }
                }
                if (i < buckets.length) {
                    to = buckets[i];
                }
            }
            add.executeBatch();
        }
        try (PreparedStatement prune =
                c.prepareStatement("DELETE FROM usage_change WHERE seq <= (SELECT max(seq) FROM usage_change) - ?")) {
            prune.setLong(1, CHANGES_KEPT);
            prune.executeUpdate();
        }
    }

    /** The statements of one {@link #apply}, prepared once for all its batches. */
    private static final class Statements implements AutoCloseable {
        final PreparedStatement cursor;
        final PreparedStatement event;
        final PreparedStatement limit;
        final PreparedStatement toolUse;
        final PreparedStatement damaged;
        final PreparedStatement save;
        final PreparedStatement dimInsert;
        final PreparedStatement dimSelect;

        Statements(Connection c) throws SQLException {
            dimInsert = c.prepareStatement("INSERT INTO usage_dim (host, engine, session, project, model)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            dimSelect = c.prepareStatement("SELECT id FROM usage_dim"
                    + " WHERE host = ? AND engine = ? AND session = ? AND project = ? AND model = ?");
            cursor = c.prepareStatement("SELECT path, engine, file_key, size, \"offset\", head_hash, state, read_at,"
                    + " mtime FROM usage_file WHERE host = ? AND path = ?");
            event = c.prepareStatement("INSERT INTO usage_event (key, dim, at, tier, " + TOKENS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                    + " input = excluded.input, cache_read = excluded.cache_read,"
                    + " cache_write_5m = excluded.cache_write_5m, cache_write_1h = excluded.cache_write_1h,"
                    + " output = excluded.output, reasoning = excluded.reasoning"
                    + " WHERE excluded.output > usage_event.output"
                    // a response read on one host is never raised by another's rows (docs/fleet.md, push-usage)
                    + " AND (SELECT host FROM usage_dim WHERE id = usage_event.dim)"
                    + " = (SELECT host FROM usage_dim WHERE id = excluded.dim)");
            limit = c.prepareStatement("INSERT INTO usage_rate_limit (host, engine, name,"
                    + " used_percent, window_minutes, resets_at, observed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (host, engine, name) DO UPDATE SET used_percent = excluded.used_percent,"
                    + " window_minutes = excluded.window_minutes, resets_at = excluded.resets_at,"
                    + " observed_at = excluded.observed_at"
                    + " WHERE excluded.observed_at >= usage_rate_limit.observed_at");
            toolUse = c.prepareStatement("INSERT INTO usage_tool_use (engine, call_id, host, session,"
                    + " tool, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            // a key the ledger counts (on any host) is no damaged response, though another line of it was damaged;
            // a damaged row written before another host counted the key stays (only its own host removes it)
            damaged = c.prepareStatement("INSERT INTO usage_damaged (key, host, engine, at) SELECT ?, ?, ?, ?"
                    + " WHERE NOT EXISTS (SELECT 1 FROM usage_event WHERE key = ?) ON CONFLICT DO NOTHING");
            save = c.prepareStatement("INSERT INTO usage_file (host, path, engine, file_key, size,"
                    + " \"offset\", head_hash, state, read_at, mtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (host, path) DO UPDATE SET engine = excluded.engine,"
                    + " file_key = excluded.file_key, size = excluded.size, \"offset\" = excluded.\"offset\","
                    + " head_hash = excluded.head_hash, state = excluded.state, read_at = excluded.read_at,"
                    + " mtime = excluded.mtime");
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement ps : List.of(cursor, event, limit, toolUse, damaged, save, dimInsert, dimSelect)) {
                ps.close();
            }
        }
    }

    private boolean cursorIs(PreparedStatement ps, String path, Optional<FileCursor> expected) throws SQLException {
        ps.setString(1, host);
        ps.setString(2, path);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return expected.isEmpty();
            }
            return expected.isPresent() && expected.get().samePlace(cursor(rs));
        }
    }

    /**
     * Binds the copies of one response that begin at {@code events[from]} (Claude writes one per content block) as
     * one row, and returns where the next response begins. The row is what inserting them one by one leaves: the
     * first copy's time, dimension and tier (a conflict never changes those), with the tokens of the first copy that
     * has the most output (a conflict takes a copy's tokens only when it has more output than the row); the rollup
     * triggers then add it once instead of adding the first copy and correcting it for each later one.
     */
    private int bindCopies(Statements st, List<UsageEvent> events, int from, Map<List<String>, Long> added)
            throws SQLException {
        UsageEvent first = events.get(from);
        long dim = dim(st, first, added);
        Tokens kept = first.tokens();
        int next = from + 1;
        for (; next < events.size() && events.get(next).key() == first.key(); next++) {
            UsageEvent copy = events.get(next);
            dim(st, copy, added); // its dimension row is written as before, though no row names it
            if (copy.tokens().output() > kept.output()) {
                kept = copy.tokens();
            }
        }
        bindEvent(st.event, first, dim, kept);
        return next;
    }

    private static void bindEvent(PreparedStatement ps, UsageEvent e, long dim, Tokens t) throws SQLException {
        ps.setLong(1, e.key());
        ps.setLong(2, dim);
        ps.setLong(3, e.at().toEpochMilli());
        ps.setInt(4, e.tier());
        ps.setLong(5, t.input());
        ps.setLong(6, t.cacheRead());
        ps.setLong(7, t.cacheWrite5m());
        ps.setLong(8, t.cacheWrite1h());
        ps.setLong(9, t.output());
        ps.setLong(10, t.reasoning());
        ps.addBatch();
    }

    private long dim(Statements st, UsageEvent e, Map<List<String>, Long> added) throws SQLException {
        List<String> name = List.of(e.engine(), e.session(), e.project(), e.model());
        Long id = dims.get(name);
        if (id == null) {
            id = added.get(name);
        }
        if (id != null) {
            return id;
        }
        for (PreparedStatement ps : List.of(st.dimInsert, st.dimSelect)) {
            ps.setString(1, host);
            ps.setString(2, e.engine());
            ps.setString(3, e.session());
            ps.setString(4, e.project());
            ps.setString(5, e.model());
        }
        st.dimInsert.executeUpdate();
        try (ResultSet rs = st.dimSelect.executeQuery()) {
            rs.next();
            long found = rs.getLong(1);
            added.put(name, found);
            return found;
        }
    }

    private void bindLimit(PreparedStatement ps, RateLimit l) throws SQLException {
        ps.setString(1, host);
        ps.setString(2, l.engine());
        ps.setString(3, l.name());
        ps.setDouble(4, l.usedPercent());
        ps.setInt(5, l.windowMinutes());
        if (l.resetsAt().isPresent()) {
            ps.setLong(6, l.resetsAt().get().toEpochMilli());
        } else {
            ps.setNull(6, Types.INTEGER);
        }
        ps.setLong(7, l.observedAt().toEpochMilli());
        ps.addBatch();
    }

    private void bindToolUse(PreparedStatement ps, ToolUse u) throws SQLException {
        ps.setString(1, u.engine());
        ps.setString(2, u.callId());
        ps.setString(3, host);
        ps.setString(4, u.session());
        ps.setString(5, u.tool());
        ps.setLong(6, u.at().toEpochMilli());
        ps.addBatch();
    }

    private void bindDamaged(PreparedStatement ps, DamagedResponse d) throws SQLException {
        ps.setLong(1, d.key());
        ps.setString(2, host);
        ps.setString(3, d.engine());
        ps.setLong(4, d.at().toEpochMilli());
        ps.setLong(5, d.key());
        ps.addBatch();
    }

    private void saveCursor(PreparedStatement ps, FileCursor f) throws SQLException {
        ps.setString(1, host);
        ps.setString(2, f.path());
        ps.setString(3, f.engine());
        ps.setString(4, f.fileKey());
        ps.setLong(5, f.size());
        ps.setLong(6, f.offset());
        ps.setString(7, f.headHash());
        ps.setString(8, f.state());
        ps.setLong(9, f.readAt().toEpochMilli());
        ps.setLong(10, f.mtime());
        ps.executeUpdate();
    }

    @Override
    public void scanned(ScanRecord scan) {
        db.writeDerived(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_scan (host, at, files, bytes)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (host) DO UPDATE SET at = excluded.at,"
                    + " files = excluded.files, bytes = excluded.bytes")) {
                ps.setString(1, scan.host());
                ps.setLong(2, scan.at().toEpochMilli());
                ps.setLong(3, scan.files());
                ps.setLong(4, scan.bytes());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ScanRecord> scans() {
        return db.read(c -> {
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT host, at, files, bytes FROM usage_scan ORDER BY host");
                    ResultSet rs = ps.executeQuery()) {
                List<ScanRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new ScanRecord(
                            rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getLong(3), rs.getLong(4)));
                }
                return out;
            }
        });
    }

    @Override
    public void rollups(Instant from, Instant to, Consumer<Rollup> sink) {
        // each bucket's rows in an order of what they say, not of the dimension ids (which depend on the order the
        // logs were read in): costs are summed in this order, and floating-point sums depend on it
        List<Rollup> bucket = new ArrayList<>();
        db.read(c -> {
            read(c, from.toEpochMilli(), to.toEpochMilli(), r -> {
                if (!bucket.isEmpty() && !bucket.get(0).bucket().equals(r.bucket())) {
                    emit(bucket, sink);
                }
                bucket.add(r);
            });
            return null;
        });
        emit(bucket, sink);
    }

    /** Hands {@code sink} the rollup rows whose bucket is in {@code [from, to)} (epoch milliseconds), by bucket. */
    private void read(Connection c, long from, long to, Consumer<Rollup> sink) throws SQLException {
        // the dimension by its id from memory: its five strings per row were most of a report's time
        try (PreparedStatement ps = c.prepareStatement("SELECT r.bucket, r.dim, r.tier, r.responses, r."
                + TOKENS.replace(", ", ", r.") + ", r.first_at, r.last_at"
                + " FROM usage_rollup r WHERE r.bucket >= ? AND r.bucket < ? ORDER BY r.bucket")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                Instant at = null;
                while (rs.next()) {
                    Dim d = dim(c, rs.getLong(2));
                    long b = rs.getLong(1);
                    if (at == null || at.toEpochMilli() != b) {
                        at = Instant.ofEpochMilli(b);
                    }
                    sink.accept(new Rollup(
                            at,
                            d.host(),
                            d.engine(),
                            d.session(),
                            d.project(),
                            d.model(),
                            rs.getInt(3),
                            rs.getLong(4),
                            tokens(rs, 5),
                            Instant.ofEpochMilli(rs.getLong(11)),
                            Instant.ofEpochMilli(rs.getLong(12))));
                }
            }
        }
    }

    /** Hands over one bucket's rows, sorted by what they say, and empties the list. */
    private static void emit(List<Rollup> bucket, Consumer<Rollup> sink) {
        bucket.sort(BY_WHAT_IT_SAYS);
        bucket.forEach(sink);
        bucket.clear();
    }

    @Override
    public void days(Instant from, Instant to, ZoneId zone, Consumer<Rollup> sink) {
        if (!to.isAfter(from)) {
            return;
        }
        DayCache cache = cacheFor(zone, from, to);
        if (cache == null) {
            // a month or less, with no sums kept for the zone yet: its own rows, not every day's to keep (summed in
            // any order: no sort by bucket as rollups() does)
            DaySums sums = new DaySums(zone);
            db.read(c -> {
                read(c, millis(from), millis(to), sums::add);
                return null;
            });
            sums.rows().forEach(sink);
            return;
        }
        List<Rollup> out = new ArrayList<>();
        synchronized (cache) {
            db.read(c -> {
                try {
                    refresh(c, cache, zone);
                } catch (SQLException | RuntimeException e) {
                    cache.clear(); // summed again from scratch next time, not left half brought up to date
                    throw e;
                }
                LocalDate first = from.atZone(zone).toLocalDate();
                LocalDate last = to.minusMillis(1).atZone(zone).toLocalDate();
                for (Map.Entry<LocalDate, List<Rollup>> day :
                        cache.days.subMap(first, true, last, true).entrySet()) {
                    Instant start = day.getKey().atStartOfDay(zone).toInstant();
                    Instant end = day.getKey().plusDays(1).atStartOfDay(zone).toInstant();
                    if (!start.isBefore(from) && !end.isAfter(to)) {
                        out.addAll(day.getValue());
                    } else {
                        // a day the range covers in part (a range that does not start or end at midnight)
                        DaySums part = new DaySums(zone);
                        read(
                                c,
                                millis(start.isBefore(from) ? from : start),
                                millis(end.isAfter(to) ? to : end),
                                part::add);
                        out.addAll(part.rows());
                    }
                }
                return null;
            });
        }
        out.forEach(sink);
    }

    /**
     * Returns the day sums kept for {@code zone}, made (empty) for a range longer than {@link #SHORT_RANGE}; null when
     * none are kept and the range is that short.
     */
    private DayCache cacheFor(ZoneId zone, Instant from, Instant to) {
        synchronized (dayCaches) {
            DayCache cache = dayCaches.get(zone.getRules());
            if (cache == null && Duration.between(from, to).compareTo(SHORT_RANGE) > 0) {
                cache = new DayCache();
                dayCaches.put(zone.getRules(), cache);
            }
            return cache;
        }
    }

    /** Returns how often every day was summed for some zone's day sums since this repository was made. */
    long everyDaySummed() {
        return everyDaySummed.get();
    }

    /** Returns {@code at} in epoch milliseconds, held to the nearest long for times beyond (as far as 292 million years). */
    private static long millis(Instant at) {
        if (at.isBefore(MIN_MILLIS)) {
            return Long.MIN_VALUE;
        }
        return at.isAfter(MAX_MILLIS) ? Long.MAX_VALUE : at.toEpochMilli();
    }

    /**
     * Brings {@code cache} up to the store's newest write: sums again the days that {@code usage_change} says were
     * written since the cache was, or every day when it is further behind than the rows kept, new, or summed whole
     * longer ago than {@link #SUM_ALL_AGAIN} (a safety net for writers that note nothing: a process of an older
     * Tandem still open on the store as it was migrated).
     */
    private void refresh(Connection c, DayCache cache, ZoneId zone) throws SQLException {
        long newest;
        try (PreparedStatement ps = c.prepareStatement("SELECT max(seq) FROM usage_change");
                ResultSet rs = ps.executeQuery()) {
            newest = rs.next() ? rs.getLong(1) : 0; // 0: no row (NULL)
        }
        boolean all = cache.seq < 0
                || newest < cache.seq
                || newest - cache.seq > CHANGES_TRUSTED
                || System.nanoTime() - cache.summedAll > SUM_ALL_AGAIN.toNanos();
        if (!all && cache.seq == newest) {
            return;
        }
        Set<LocalDate> touched = new TreeSet<>();
        if (!all) {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT bucket_from, bucket_to FROM usage_change WHERE seq > ? AND seq <= ?")) {
                ps.setLong(1, cache.seq);
                ps.setLong(2, newest);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && !all) {
                        LocalDate a =
                                Instant.ofEpochMilli(rs.getLong(1)).atZone(zone).toLocalDate();
                        LocalDate b =
                                Instant.ofEpochMilli(rs.getLong(2)).atZone(zone).toLocalDate();
                        for (LocalDate d = a; !d.isAfter(b) && !all; d = d.plusDays(1)) {
                            touched.add(d);
                            all = touched.size() > MAX_DAYS_AGAIN; // as much as summing everything
                        }
                    }
                }
            }
        }
        if (all) {
            DaySums sums = new DaySums(zone);
            read(c, Long.MIN_VALUE, Long.MAX_VALUE, sums::add);
            cache.days = new TreeMap<>(sums.byDay());
            cache.seq = newest;
            cache.summedAll = System.nanoTime();
            everyDaySummed.incrementAndGet();
            return;
        }
        // runs of consecutive days, each read in one range
        LocalDate runStart = null;
        LocalDate runEnd = null;
        for (LocalDate d : touched) {
            if (runEnd != null && d.equals(runEnd.plusDays(1))) {
                runEnd = d;
                continue;
            }
            if (runStart != null) {
                sumAgain(c, cache, zone, runStart, runEnd);
            }
            runStart = d;
            runEnd = d;
        }
        if (runStart != null) {
            sumAgain(c, cache, zone, runStart, runEnd);
        }
        cache.seq = newest;
    }

    /** Replaces the sums of the days {@code first} to {@code last} (inclusive) by what the store holds now. */
    private void sumAgain(Connection c, DayCache cache, ZoneId zone, LocalDate first, LocalDate last)
            throws SQLException {
        DaySums sums = new DaySums(zone);
        read(
                c,
                millis(first.atStartOfDay(zone).toInstant()),
                millis(last.plusDays(1).atStartOfDay(zone).toInstant()),
                sums::add);
        cache.days.subMap(first, true, last, true).clear();
        cache.days.putAll(sums.byDay());
    }

    /** One time zone's day sums and the last {@code usage_change} row they include (-1: not summed yet). */
    private static final class DayCache {
        long seq = -1;
        /** When every day was last summed ({@link System#nanoTime}). */
        long summedAll;

        TreeMap<LocalDate, List<Rollup>> days = new TreeMap<>();

        void clear() {
            seq = -1;
            days = new TreeMap<>();
        }
    }

    /** One row of {@code usage_dim}; rows are only ever added, so one read of a row holds for the store's life. */
    private record Dim(String host, String engine, String session, String project, String model) {}

    /** Returns dimension {@code id}, reading the rows added since the last read when it is not known yet. */
    private Dim dim(Connection c, long id) throws SQLException {
        Dim d = dimsById.get(id);
        if (d != null) {
            return d;
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT id, host, engine, session, project, model FROM usage_dim WHERE id > ?")) {
            ps.setLong(1, dimsRead);
            try (ResultSet rs = ps.executeQuery()) {
                long max = dimsRead;
                while (rs.next()) {
                    long k = rs.getLong(1);
                    dimsById.put(
                            k,
                            new Dim(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6)));
                    max = Math.max(max, k);
                }
                dimsRead = max;
            }
        }
        d = dimsById.get(id);
        if (d == null) {
            // an id below the highest read (not how SQLite numbers new rows, but cheap to be sure of)
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT host, engine, session, project, model FROM usage_dim WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("usage_rollup names dimension " + id + ", which usage_dim lacks");
                    }
                    d = new Dim(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
                    dimsById.put(id, d);
                }
            }
        }
        return d;
    }

    private static Tokens tokens(ResultSet rs, int first) throws SQLException {
        return new Tokens(
                rs.getLong(first),
                rs.getLong(first + 1),
                rs.getLong(first + 2),
                rs.getLong(first + 3),
                rs.getLong(first + 4),
                rs.getLong(first + 5));
    }

    @Override
    public List<DamagedCount> damaged(Instant from, Instant to) {
        return db.read(c -> {
            // the counts the triggers keep, as rollups() reads usage_rollup: never the damaged rows themselves
            try (PreparedStatement ps = c.prepareStatement("SELECT host, engine, sum(responses)"
                    + " FROM usage_damaged_rollup WHERE bucket >= ? AND bucket < ?"
                    + " GROUP BY host, engine ORDER BY host, engine")) {
                ps.setLong(1, millis(from));
                ps.setLong(2, millis(to));
                List<DamagedCount> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DamagedCount(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<RateLimit> rateLimits() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT engine, name, used_percent, window_minutes,"
                                    + " resets_at, observed_at, host FROM usage_rate_limit ORDER BY engine, window_minutes, host");
                    ResultSet rs = ps.executeQuery()) {
                List<RateLimit> out = new ArrayList<>();
                while (rs.next()) {
                    long resets = rs.getLong(5);
                    Optional<Instant> resetsAt =
                            rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(resets));
                    out.add(new RateLimit(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getDouble(3),
                            rs.getInt(4),
                            resetsAt,
                            Instant.ofEpochMilli(rs.getLong(6)),
                            rs.getString(7)));
                }
                return out;
            }
        });
    }

    @Override
    public List<HubCalls> hubCalls(Instant from, Instant to) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.engine,"
                    + " coalesce(t.engine_session, u.session, '') AS session, t.target, count(*),"
                    + " sum(CASE WHEN t.outcome <> 'ok' THEN 1 ELSE 0 END) FROM telemetry t"
                    + " LEFT JOIN usage_tool_use u ON u.engine = t.engine AND u.call_id = t.call_id"
                    + " WHERE t.at >= ? AND t.at < ? AND t.method = 'tools/call' AND t.target IS NOT NULL"
                    + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 4 DESC, 3")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, to.toEpochMilli());
                List<HubCalls> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new HubCalls(
                                rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void tag(SessionTag tag) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_session_tag (engine, session, kind, ref,"
                    + " host, from_at, to_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (engine, session, kind, ref)"
                    + " DO UPDATE SET host = excluded.host, from_at = excluded.from_at, to_at = excluded.to_at")) {
                ps.setString(1, tag.engine());
                ps.setString(2, tag.session());
                ps.setString(3, tag.kind());
                ps.setString(4, tag.ref());
                ps.setString(5, host);
                ps.setLong(6, tag.from().toEpochMilli());
                if (tag.to().isPresent()) {
                    ps.setLong(7, tag.to().get().toEpochMilli());
                } else {
                    ps.setNull(7, Types.INTEGER);
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<TaggedUsage> tagged(String kind) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT g.engine, g.session, g.kind, g.ref, g.from_at,"
                    + " g.to_at, d.model, e.tier, count(*), sum(e.input), sum(e.cache_read), sum(e.cache_write_5m),"
                    + " sum(e.cache_write_1h), sum(e.output), sum(e.reasoning) FROM usage_session_tag g"
                    + " JOIN usage_dim d ON d.host = g.host AND d.engine = g.engine AND d.session = g.session"
                    + " JOIN usage_event e ON e.dim = d.id AND e.at >= g.from_at"
                    + " AND (g.to_at IS NULL OR e.at < g.to_at) WHERE g.kind = ?"
                    + " GROUP BY g.engine, g.session, g.kind, g.ref, g.from_at, g.to_at, d.model, e.tier"
                    + " ORDER BY g.ref, g.engine, d.model")) {
                ps.setString(1, kind);
                List<TaggedUsage> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long to = rs.getLong(6);
                        Optional<Instant> end = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(to));
                        SessionTag tag = new SessionTag(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                Instant.ofEpochMilli(rs.getLong(5)),
                                end);
                        out.add(new TaggedUsage(tag, rs.getString(7), rs.getInt(8), rs.getLong(9), tokens(rs, 10)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<TaggedUsage> usage(SessionTag tag) {
        long from = tag.from().toEpochMilli();
        long to = tag.to().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
        return db.read(c -> {
            // the rollups' key starts with the bucket: a job's few buckets are found without reading the events
            try (PreparedStatement ps = c.prepareStatement("SELECT d.model, r.tier, sum(r.responses), sum(r.input),"
                    + " sum(r.cache_read), sum(r.cache_write_5m), sum(r.cache_write_1h), sum(r.output),"
                    + " sum(r.reasoning) FROM usage_rollup r JOIN usage_dim d ON d.id = r.dim"
                    + " WHERE r.bucket >= ? AND r.bucket <= ? AND d.host = ? AND d.engine = ? AND d.session = ?"
                    + " GROUP BY d.model, r.tier ORDER BY d.model, r.tier")) {
                ps.setLong(1, from - Math.floorMod(from, BUCKET_MILLIS));
                ps.setLong(2, to);
                ps.setString(3, host);
                ps.setString(4, tag.engine());
                ps.setString(5, tag.session());
                List<TaggedUsage> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TaggedUsage(tag, rs.getString(1), rs.getInt(2), rs.getLong(3), tokens(rs, 4)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Set<Long> keysOfOtherHosts(Collection<Long> keys) {
        List<Long> all = List.copyOf(new LinkedHashSet<>(keys));
        Set<Long> out = new HashSet<>();
        int chunk = 500;
        for (int from = 0; from < all.size(); from += chunk) {
            List<Long> part = all.subList(from, Math.min(all.size(), from + chunk));
            db.read(c -> {
                String marks = String.join(", ", Collections.nCopies(part.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement("SELECT e.key FROM usage_event e"
                        + " JOIN usage_dim d ON d.id = e.dim WHERE d.host <> ? AND e.key IN (" + marks + ")")) {
                    ps.setString(1, host);
                    for (int i = 0; i < part.size(); i++) {
                        ps.setLong(i + 2, part.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getLong(1));
                        }
                    }
                }
                return null;
            });
        }
        return out;
    }
}
