-- Version 11: files that run code when a project is next opened (the name and relative entries of the fs tools' write
-- deny list) added, changed or removed in a job's folder while a process of a job that may write ran: a JSON array
-- of {"path", "change"} (docs/jobs.md, "The record"). Jobs stored before this version list none.
ALTER TABLE jobs ADD COLUMN protected_changes TEXT NOT NULL DEFAULT '[]';
