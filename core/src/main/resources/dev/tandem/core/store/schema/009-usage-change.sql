-- Version 9: which 15-minute buckets each write of usage events touched, in commit order. A process that keeps
-- reports' daily sums in memory (the hub) reads what was added after the last row it saw and sums only the days those
-- buckets fall on again, instead of every rollup row on each report. Rows only ever come after the last one; the
-- oldest are deleted once 10,000 newer ones exist (a reader further behind sums everything again).
CREATE TABLE usage_change (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket_from INTEGER NOT NULL, -- the first bucket touched (epoch milliseconds, as usage_rollup.bucket)
    bucket_to   INTEGER NOT NULL  -- the last bucket touched, inclusive
);
