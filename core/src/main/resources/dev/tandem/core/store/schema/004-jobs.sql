-- Version 4: background runs of Codex and Claude Code the hub supervises (docs/jobs.md), and their output.
CREATE TABLE jobs (
    id               TEXT    PRIMARY KEY,
    engine           TEXT    NOT NULL CHECK (engine IN ('codex', 'claude')),
    mode             TEXT    NOT NULL CHECK (mode IN ('one-shot', 'interactive')),
    status           TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'waiting', 'completed', 'failed',
                                                        'killed', 'interrupted')),
    dir              TEXT    NOT NULL, -- real path, inside the hub's roots
    prompt           TEXT    NOT NULL,
    model            TEXT,
    sandbox          TEXT    NOT NULL,
    approval         TEXT    NOT NULL,
    files            TEXT    NOT NULL, -- JSON array of the --file globs
    origin           TEXT    NOT NULL, -- cli | dashboard | mcp:<engine>
    host             TEXT    NOT NULL,
    created          INTEGER NOT NULL, -- epoch milliseconds
    started          INTEGER,
    ended            INTEGER,
    input_tokens     INTEGER NOT NULL DEFAULT 0,
    cached_tokens    INTEGER NOT NULL DEFAULT 0,
    output_tokens    INTEGER NOT NULL DEFAULT 0,
    context_window   INTEGER,
    context_used     INTEGER,
    cost_usd         REAL,
    files_modified   TEXT    NOT NULL, -- JSON array of absolute paths
    summary          TEXT,
    session_id       TEXT,
    pending          TEXT    NOT NULL, -- JSON array of {id, kind, summary, since}
    error            TEXT,
    turns            INTEGER NOT NULL DEFAULT 0,
    output_bytes     INTEGER NOT NULL DEFAULT 0,
    output_truncated INTEGER NOT NULL DEFAULT 0 CHECK (output_truncated IN (0, 1)),
    pid              INTEGER, -- the engine process while one runs
    pid_started      INTEGER  -- its start time, epoch milliseconds
);
CREATE INDEX jobs_by_created ON jobs (created DESC);
CREATE INDEX jobs_by_status ON jobs (status);

-- What each job's engine did and said, redacted, up to the output cap.
CREATE TABLE job_events (
    job_id TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    at     INTEGER NOT NULL, -- epoch milliseconds
    kind   TEXT    NOT NULL,
    text   TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
