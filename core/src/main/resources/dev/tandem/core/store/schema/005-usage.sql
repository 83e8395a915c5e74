-- The usage ledger: what Codex CLI and Claude Code logged about their model responses, read from their own logs
-- (docs/usage.md). Every row names the host it was read on, so stores of several machines merge without double
-- counting: an event's key is the same wherever its log is read.

-- One combination of host, engine, session, project (the engine's working directory) and model.
CREATE TABLE usage_dim (
    id      INTEGER PRIMARY KEY,
    host    TEXT NOT NULL,
    engine  TEXT NOT NULL CHECK (engine IN ('codex', 'claude')),
    session TEXT NOT NULL,
    project TEXT NOT NULL, -- '' when the log does not say
    model   TEXT NOT NULL, -- 'unknown' when the log does not say
    UNIQUE (host, engine, session, project, model)
);

-- One model response, counted once: the key is the first 64 bits of SHA-256 over "<engine>:<id>" (Claude: message
-- id and request id; Codex: session id and the response's place in the thread), so reading a log twice, or a
-- moved copy of it, changes nothing. Claude repeats a response once per content block: the copy with the most
-- output tokens wins.
CREATE TABLE usage_event (
    key            INTEGER PRIMARY KEY,
    dim            INTEGER NOT NULL REFERENCES usage_dim (id),
    at             INTEGER NOT NULL, -- epoch milliseconds of the log line's own timestamp
    tier           INTEGER NOT NULL, -- price class: 0 normal, 1 prompt over 200k tokens, 2 over 272k; +4 fast mode
    input          INTEGER NOT NULL, -- input tokens not read from the cache
    cache_read     INTEGER NOT NULL,
    cache_write_5m INTEGER NOT NULL,
    cache_write_1h INTEGER NOT NULL,
    output         INTEGER NOT NULL, -- reasoning included
    reasoning      INTEGER NOT NULL  -- the part of output spent on reasoning, where the log says
);

-- The events summed per 15 minutes (UTC), kept by the triggers below: reports read these rows, not the events.
-- 15-minute buckets regroup exactly into days and months of every time zone.
CREATE TABLE usage_rollup (
    bucket         INTEGER NOT NULL, -- epoch milliseconds, a multiple of 900000
    dim            INTEGER NOT NULL,
    tier           INTEGER NOT NULL,
    responses      INTEGER NOT NULL,
    input          INTEGER NOT NULL,
    cache_read     INTEGER NOT NULL,
    cache_write_5m INTEGER NOT NULL,
    cache_write_1h INTEGER NOT NULL,
    output         INTEGER NOT NULL,
    reasoning      INTEGER NOT NULL,
    first_at       INTEGER NOT NULL,
    last_at        INTEGER NOT NULL,
    PRIMARY KEY (bucket, dim, tier)
) WITHOUT ROWID;

CREATE TRIGGER usage_event_added AFTER INSERT ON usage_event
BEGIN
    INSERT INTO usage_rollup (bucket, dim, tier, responses, input, cache_read, cache_write_5m, cache_write_1h,
                              output, reasoning, first_at, last_at)
    VALUES (NEW.at - NEW.at % 900000, NEW.dim, NEW.tier, 1, NEW.input, NEW.cache_read, NEW.cache_write_5m,
            NEW.cache_write_1h, NEW.output, NEW.reasoning, NEW.at, NEW.at)
    ON CONFLICT (bucket, dim, tier) DO UPDATE SET
        responses = responses + 1,
        input = input + excluded.input,
        cache_read = cache_read + excluded.cache_read,
        cache_write_5m = cache_write_5m + excluded.cache_write_5m,
        cache_write_1h = cache_write_1h + excluded.cache_write_1h,
        output = output + excluded.output,
        reasoning = reasoning + excluded.reasoning,
        first_at = min(first_at, excluded.first_at),
        last_at = max(last_at, excluded.last_at);
END;

-- A later copy of a response replaces its tokens (never its time, session or model).
CREATE TRIGGER usage_event_changed AFTER UPDATE ON usage_event
BEGIN
    UPDATE usage_rollup SET
        input = input - OLD.input + NEW.input,
        cache_read = cache_read - OLD.cache_read + NEW.cache_read,
        cache_write_5m = cache_write_5m - OLD.cache_write_5m + NEW.cache_write_5m,
        cache_write_1h = cache_write_1h - OLD.cache_write_1h + NEW.cache_write_1h,
        output = output - OLD.output + NEW.output,
        reasoning = reasoning - OLD.reasoning + NEW.reasoning
    WHERE bucket = OLD.at - OLD.at % 900000 AND dim = OLD.dim AND tier = OLD.tier;
END;

-- Where reading of each log file stopped: its identity (file key, size, a hash of its first bytes) and the offset
-- after the last complete line read, with what the reader must remember to go on from there (Codex: the model and
-- the thread's running totals). The hub's poller and `tandem usage` share these rows.
CREATE TABLE usage_file (
    host      TEXT    NOT NULL,
    path      TEXT    NOT NULL,
    engine    TEXT    NOT NULL,
    file_key  TEXT    NOT NULL,
    size      INTEGER NOT NULL,
    offset    INTEGER NOT NULL,
    head_hash TEXT    NOT NULL,
    state     TEXT    NOT NULL, -- JSON
    read_at   INTEGER NOT NULL,
    PRIMARY KEY (host, path)
);

-- The newest rate-limit window each engine reported (Codex: primary = 5 hours, secondary = weekly).
CREATE TABLE usage_rate_limit (
    host           TEXT    NOT NULL,
    engine         TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    used_percent   REAL    NOT NULL,
    window_minutes INTEGER NOT NULL,
    resets_at      INTEGER,          -- epoch milliseconds, null when not reported
    observed_at    INTEGER NOT NULL,
    PRIMARY KEY (host, engine, name)
);

-- MCP tool calls an engine's log shows, by the call id the engine also sends the hub (Claude Code: the tool_use
-- id in _meta "claudecode/toolUseId"): how a hub telemetry row finds its session.
CREATE TABLE usage_tool_use (
    engine  TEXT    NOT NULL,
    call_id TEXT    NOT NULL,
    host    TEXT    NOT NULL,
    session TEXT    NOT NULL,
    tool    TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (engine, call_id)
) WITHOUT ROWID;

-- Sessions marked as belonging to something (a job, a delegation): what each of them cost.
CREATE TABLE usage_session_tag (
    engine  TEXT    NOT NULL,
    session TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    ref     TEXT    NOT NULL,
    host    TEXT    NOT NULL,
    from_at INTEGER NOT NULL,
    to_at   INTEGER,          -- null: still open
    PRIMARY KEY (engine, session, kind, ref)
);

-- When the logs were last read on each host.
CREATE TABLE usage_scan (
    host  TEXT PRIMARY KEY,
    at    INTEGER NOT NULL,
    files INTEGER NOT NULL,
    bytes INTEGER NOT NULL
);

-- What the engine sent about the call in _meta: its call id, and (Codex) its session id.
ALTER TABLE telemetry ADD COLUMN call_id TEXT;
ALTER TABLE telemetry ADD COLUMN engine_session TEXT;
