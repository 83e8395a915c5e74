-- Version 7 of the PostgreSQL store, as SQLite's schema version 10: responses a log names whose token counts no
-- response has (a damaged line), not counted but kept by key so reports say how many were left out.
CREATE TABLE usage_damaged (
    key    BIGINT PRIMARY KEY,
    host   TEXT   NOT NULL,
    engine TEXT   NOT NULL CHECK (engine IN ('codex', 'claude')),
    at     BIGINT NOT NULL
);

CREATE INDEX usage_damaged_at ON usage_damaged (at);
