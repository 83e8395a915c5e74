-- One row per MCP JSON-RPC request the hub answered on /mcp. Arguments are recorded by size only.
CREATE TABLE telemetry (
    seq            INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL, -- epoch milliseconds when the request arrived
    engine         TEXT    NOT NULL, -- codex | claude | other
    client_name    TEXT    NOT NULL,
    client_version TEXT    NOT NULL,
    host           TEXT    NOT NULL,
    session_id     TEXT    NOT NULL,
    method         TEXT    NOT NULL,
    target         TEXT,             -- tool name, resource URI or prompt name; null for other methods
    duration_us    INTEGER NOT NULL,
    outcome        TEXT    NOT NULL CHECK (outcome IN ('ok', 'tool_error', 'rpc_error')),
    error_class    TEXT,             -- null when ok
    args_bytes     INTEGER NOT NULL
);
CREATE INDEX telemetry_at ON telemetry (at);
