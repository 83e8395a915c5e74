-- Version 5 of the PostgreSQL store, as SQLite's schema version 8: each log file's last-modified time (nanoseconds
-- since the epoch) when it was listed before its cursor was written; -1 where not known (cursors kept before).
ALTER TABLE usage_file ADD COLUMN mtime BIGINT NOT NULL DEFAULT -1;
