-- Version 2 of the PostgreSQL store, as SQLite's schema version 6: which credential made each call: 'person' (the
-- person's token), 'codex' or 'claude' (the engine's own), never the token itself. Rows recorded before the hub knew
-- credentials hold ''.
ALTER TABLE telemetry ADD COLUMN credential TEXT NOT NULL DEFAULT '';
