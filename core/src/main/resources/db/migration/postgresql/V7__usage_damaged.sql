-- Version 7 of the PostgreSQL store, as SQLite's schema version 10: responses a log names whose token counts or
-- model name no response has (a damaged line), not counted but kept by key so reports say how many were left out;
-- a key the ledger counts is never kept here. See the SQLite script 010-usage-damaged.sql.
CREATE TABLE usage_damaged (
    key    BIGINT PRIMARY KEY,
    host   TEXT   NOT NULL,
    engine TEXT   NOT NULL CHECK (engine IN ('codex', 'claude')),
    at     BIGINT NOT NULL
);

-- The damaged responses counted per 15-minute bucket, host and engine, kept by the triggers below: reports read
-- these rows, not the damaged ones.
CREATE TABLE usage_damaged_rollup (
    bucket    BIGINT NOT NULL,
    host      TEXT   NOT NULL,
    engine    TEXT   NOT NULL,
    responses BIGINT NOT NULL,
    PRIMARY KEY (bucket, host, engine)
);

CREATE FUNCTION usage_damaged_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO usage_damaged_rollup AS r (bucket, host, engine, responses)
    VALUES (NEW.at - NEW.at % 900000, NEW.host, NEW.engine, 1)
    ON CONFLICT (bucket, host, engine) DO UPDATE SET responses = r.responses + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER usage_damaged_added AFTER INSERT ON usage_damaged
    FOR EACH ROW EXECUTE FUNCTION usage_damaged_added();

CREATE FUNCTION usage_damaged_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE usage_damaged_rollup SET responses = responses - 1
    WHERE bucket = OLD.at - OLD.at % 900000 AND host = OLD.host AND engine = OLD.engine;
    DELETE FROM usage_damaged_rollup
    WHERE bucket = OLD.at - OLD.at % 900000 AND host = OLD.host AND engine = OLD.engine AND responses <= 0;
    RETURN NULL;
END;
$$;

CREATE TRIGGER usage_damaged_removed AFTER DELETE ON usage_damaged
    FOR EACH ROW EXECUTE FUNCTION usage_damaged_removed();
