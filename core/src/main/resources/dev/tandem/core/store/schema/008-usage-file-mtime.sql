-- Version 8: each log file's last-modified time (nanoseconds since the epoch) when it was listed before its cursor
-- was written. With the identity and the size it tells an unchanged file without reading any of it; a file of the
-- same size with another time was rewritten in place and is read again from its start. -1: not known (cursors kept
-- before this version; the next read of the file records it).
ALTER TABLE usage_file ADD COLUMN mtime INTEGER NOT NULL DEFAULT -1;
