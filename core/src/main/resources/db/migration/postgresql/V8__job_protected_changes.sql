-- Version 8 of the PostgreSQL store, as SQLite's schema version 11: files that run code when a project is next opened,
-- added, changed or removed in a job's folder while a process of a job that may write ran; a JSON array of
-- {"path", "change"}. See the SQLite script 011-job-protected-changes.sql.
ALTER TABLE jobs ADD COLUMN protected_changes TEXT NOT NULL DEFAULT '[]';
