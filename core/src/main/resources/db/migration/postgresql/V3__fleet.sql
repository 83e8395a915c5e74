-- Version 3 of the PostgreSQL store: the fleet (docs/fleet.md). Only PostgreSQL has it: a fleet is several machines
-- on one database.
--
-- fleet_host: one row per enrolled machine. A key is 'thk1.<key_id>.<secret>'; only a salted HMAC-SHA-256 of the
-- secret is stored (and of each engine's key derived from it), never a key. Rotation gives the host a new key_id,
-- salt and hashes; revocation stamps revoked_at and clears the hashes.
CREATE TABLE fleet_host (
    name        TEXT PRIMARY KEY,
    key_id      TEXT UNIQUE,
    salt        BYTEA,
    host_hash   BYTEA,
    codex_hash  BYTEA,
    claude_hash BYTEA,
    roaming     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    rotated_at  TIMESTAMPTZ,
    last_seen   TIMESTAMPTZ,
    bound_ip    TEXT,
    revoked_at  TIMESTAMPTZ
);

-- The kill switch: one row; every hub on the database polls it.
CREATE TABLE fleet_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    frozen     BOOLEAN NOT NULL DEFAULT FALSE,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    changed_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO fleet_state (id, frozen) VALUES (1, FALSE);

-- Admin actions (host add, revoke, rotate, freeze, thaw, enrol): who, what, on which host; never a key.
CREATE TABLE fleet_audit (
    id     BIGSERIAL PRIMARY KEY,
    at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    host   TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
