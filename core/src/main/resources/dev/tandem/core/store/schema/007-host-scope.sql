-- Version 7: memories gain scope 'host' (every engine on the host that stored it sees it). SQLite cannot change a
-- CHECK constraint, so both memory tables are rebuilt with the wider one (https://www.sqlite.org/lang_altertable.html
-- #otheralter); memory keeps its seq values, so the FTS index, whose rowids are those seqs, stays valid and is
-- rebuilt once to be sure. Telemetry and jobs already carry the host each row was recorded on.

CREATE TABLE memory_history_new (
    id       TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    title    TEXT    NOT NULL,
    content  TEXT    NOT NULL,
    summary  TEXT    NOT NULL,
    tags     TEXT    NOT NULL, -- JSON array of lower-case strings
    scope    TEXT    NOT NULL CHECK (scope IN ('client', 'host', 'shared')),
    engine   TEXT    NOT NULL,
    host     TEXT    NOT NULL,
    created  INTEGER NOT NULL, -- epoch milliseconds of version 1
    updated  INTEGER NOT NULL, -- epoch milliseconds of this version
    deleted  INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (id, version)
) WITHOUT ROWID;
INSERT INTO memory_history_new SELECT id, version, title, content, summary, tags, scope, engine, host, created,
    updated, deleted FROM memory_history;
-- dropping a table drops its triggers without running them
DROP TABLE memory_history;
ALTER TABLE memory_history_new RENAME TO memory_history;

CREATE TRIGGER memory_history_no_update BEFORE UPDATE ON memory_history
BEGIN
    SELECT RAISE(ABORT, 'memory_history is append-only');
END;

CREATE TRIGGER memory_history_no_delete BEFORE DELETE ON memory_history
BEGIN
    SELECT RAISE(ABORT, 'memory_history is append-only');
END;

CREATE TABLE memory_new (
    seq      INTEGER PRIMARY KEY,
    id       TEXT    NOT NULL UNIQUE,
    version  INTEGER NOT NULL,
    title    TEXT    NOT NULL,
    content  TEXT    NOT NULL,
    summary  TEXT    NOT NULL,
    tags     TEXT    NOT NULL,
    scope    TEXT    NOT NULL CHECK (scope IN ('client', 'host', 'shared')),
    engine   TEXT    NOT NULL,
    host     TEXT    NOT NULL,
    created  INTEGER NOT NULL,
    updated  INTEGER NOT NULL
);
INSERT INTO memory_new SELECT seq, id, version, title, content, summary, tags, scope, engine, host, created, updated
    FROM memory;
DROP TABLE memory;
ALTER TABLE memory_new RENAME TO memory;

CREATE INDEX memory_by_updated ON memory (updated DESC, seq DESC);

CREATE TRIGGER memory_fts_insert AFTER INSERT ON memory
BEGIN
    INSERT INTO memory_fts (rowid, title, summary, content, tags)
    VALUES (new.seq, new.title, new.summary, new.content, new.tags);
END;

CREATE TRIGGER memory_fts_delete AFTER DELETE ON memory
BEGIN
    INSERT INTO memory_fts (memory_fts, rowid, title, summary, content, tags)
    VALUES ('delete', old.seq, old.title, old.summary, old.content, old.tags);
END;

CREATE TRIGGER memory_fts_update AFTER UPDATE ON memory
BEGIN
    INSERT INTO memory_fts (memory_fts, rowid, title, summary, content, tags)
    VALUES ('delete', old.seq, old.title, old.summary, old.content, old.tags);
    INSERT INTO memory_fts (rowid, title, summary, content, tags)
    VALUES (new.seq, new.title, new.summary, new.content, new.tags);
END;

INSERT INTO memory_fts (memory_fts) VALUES ('rebuild');
