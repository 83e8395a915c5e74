-- Version 10: responses a log names whose token counts no response has (more than 10^9 of a kind: a damaged line).
-- They are not counted in the ledger, but kept by key (as usage_event's), so reports say how many were left out,
-- each once however often its log is read, and also after the read that found them (docs/usage.md, "Damaged lines").
CREATE TABLE usage_damaged (
    key    INTEGER PRIMARY KEY,
    host   TEXT    NOT NULL,
    engine TEXT    NOT NULL CHECK (engine IN ('codex', 'claude')),
    at     INTEGER NOT NULL -- epoch milliseconds of the log line's own timestamp
);

CREATE INDEX usage_damaged_at ON usage_damaged (at);
