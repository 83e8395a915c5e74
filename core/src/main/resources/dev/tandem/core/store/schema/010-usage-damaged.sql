-- Version 10: responses a log names whose token counts or model name no response has (a damaged line). They are
-- not counted in the ledger, but kept by key (as usage_event's), so reports say how many were left out, each once
-- however often its log is read, and also after the read that found them (docs/usage.md, "Damaged lines"). A key
-- the ledger counts is never kept here: the writer inserts none such and deletes the row when its event comes later.
CREATE TABLE usage_damaged (
    key    INTEGER PRIMARY KEY,
    host   TEXT    NOT NULL,
    engine TEXT    NOT NULL CHECK (engine IN ('codex', 'claude')),
    at     INTEGER NOT NULL -- epoch milliseconds of the log line's own timestamp
);

-- The damaged responses counted per 15-minute bucket (as usage_rollup's), host and engine, kept by the triggers
-- below: reports read these rows, so a report's cost does not grow with the damaged rows a hostile log can add.
CREATE TABLE usage_damaged_rollup (
    bucket    INTEGER NOT NULL,
    host      TEXT    NOT NULL,
    engine    TEXT    NOT NULL,
    responses INTEGER NOT NULL,
    PRIMARY KEY (bucket, host, engine)
) WITHOUT ROWID;

CREATE TRIGGER usage_damaged_added AFTER INSERT ON usage_damaged
BEGIN
    INSERT INTO usage_damaged_rollup (bucket, host, engine, responses)
    VALUES (NEW.at - NEW.at % 900000, NEW.host, NEW.engine, 1)
    ON CONFLICT (bucket, host, engine) DO UPDATE SET responses = responses + 1;
END;

CREATE TRIGGER usage_damaged_removed AFTER DELETE ON usage_damaged
BEGIN
    UPDATE usage_damaged_rollup SET responses = responses - 1
    WHERE bucket = OLD.at - OLD.at % 900000 AND host = OLD.host AND engine = OLD.engine;
    DELETE FROM usage_damaged_rollup
    WHERE bucket = OLD.at - OLD.at % 900000 AND host = OLD.host AND engine = OLD.engine AND responses <= 0;
END;
