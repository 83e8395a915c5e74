-- Version 9: which 15-minute buckets each write of usage events touched, in commit order. A process that keeps
-- reports' daily sums in memory (the hub) reads what was added after the last row it saw and sums only the days those
-- buckets fall on again, instead of every rollup row on each report. Rows only ever come after the last one; the
-- oldest are deleted once 10,000 newer ones exist (a reader far behind sums everything again).
CREATE TABLE usage_change (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket_from INTEGER NOT NULL, -- the first bucket touched (epoch milliseconds, as usage_rollup.bucket)
    bucket_to   INTEGER NOT NULL  -- the last bucket touched, inclusive
);

-- The buckets of rollups a later copy of a response changed: the stored copy's, which may lie in another bucket (or
-- day) than the later copy's own time. The writer moves them into usage_change before it commits, so the table is
-- empty outside a write.
CREATE TABLE usage_change_pending (
    bucket INTEGER NOT NULL
);

DROP TRIGGER usage_event_changed;

-- A later copy of a response replaces its tokens (never its time, session or model).
CREATE TRIGGER usage_event_changed AFTER UPDATE ON usage_event
BEGIN
    UPDATE usage_rollup SET
        input = input - OLD.input + NEW.input,
        cache_read = cache_read - OLD.cache_read + NEW.cache_read,
        cache_write_5m = cache_write_5m - OLD.cache_write_5m + NEW.cache_write_5m,
        cache_write_1h = cache_write_1h - OLD.cache_write_1h + NEW.cache_write_1h,
        output = output - OLD.output + NEW.output,
        reasoning = reasoning - OLD.reasoning + NEW.reasoning
    WHERE bucket = OLD.at - OLD.at % 900000 AND dim = OLD.dim AND tier = OLD.tier;
    INSERT INTO usage_change_pending (bucket) VALUES (OLD.at - OLD.at % 900000);
END;
