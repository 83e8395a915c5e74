-- Version 4 of the PostgreSQL store, as SQLite's schema version 7: memories gain scope 'host' (every engine on the
-- host that stored it sees it). Telemetry and jobs already carry the host each row was recorded on.
ALTER TABLE memory_history DROP CONSTRAINT memory_history_scope_check;
ALTER TABLE memory_history ADD CONSTRAINT memory_history_scope_check CHECK (scope IN ('client', 'host', 'shared'));
ALTER TABLE memory DROP CONSTRAINT memory_scope_check;
ALTER TABLE memory ADD CONSTRAINT memory_scope_check CHECK (scope IN ('client', 'host', 'shared'));
-- which memories a host sees: its own host and client ones, beside the shared
CREATE INDEX memory_by_host ON memory (host, scope);
