-- Version 1: memories, their append-only history, and the FTS5 index over the current versions.

-- Every version ever stored, including the tombstones deletions leave. Rows are never changed or removed.
CREATE TABLE memory_history (
    id       TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    title    TEXT    NOT NULL,
    content  TEXT    NOT NULL,
    summary  TEXT    NOT NULL,
    tags     TEXT    NOT NULL, -- JSON array of lower-case strings
    scope    TEXT    NOT NULL CHECK (scope IN ('client', 'shared')),
    engine   TEXT    NOT NULL,
    host     TEXT    NOT NULL,
    created  INTEGER NOT NULL, -- epoch milliseconds of version 1
    updated  INTEGER NOT NULL, -- epoch milliseconds of this version
    deleted  INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (id, version)
) WITHOUT ROWID;

CREATE TRIGGER memory_history_no_update BEFORE UPDATE ON memory_history
BEGIN
    SELECT RAISE(ABORT, 'memory_history is append-only');
END;

CREATE TRIGGER memory_history_no_delete BEFORE DELETE ON memory_history
BEGIN
    SELECT RAISE(ABORT, 'memory_history is append-only');
END;

-- The current version of each memory that is not deleted. seq is the rowid the FTS index points at; a write
-- gives the row a new, highest seq, so seq orders rows by their last write.
CREATE TABLE memory (
    seq      INTEGER PRIMARY KEY,
    id       TEXT    NOT NULL UNIQUE,
    version  INTEGER NOT NULL,
    title    TEXT    NOT NULL,
    content  TEXT    NOT NULL,
    summary  TEXT    NOT NULL,
    tags     TEXT    NOT NULL,
    scope    TEXT    NOT NULL CHECK (scope IN ('client', 'shared')),
    engine   TEXT    NOT NULL,
    host     TEXT    NOT NULL,
    created  INTEGER NOT NULL,
    updated  INTEGER NOT NULL
);

CREATE INDEX memory_by_updated ON memory (updated DESC, seq DESC);

-- External-content FTS5 table kept in step by triggers: https://www.sqlite.org/fts5.html#external_content_tables
-- The porter stemmer makes "deploying" find "deployed" (https://www.sqlite.org/fts5.html#porter_tokenizer).
CREATE VIRTUAL TABLE memory_fts USING fts5(
    title, summary, content, tags,
    content = 'memory', content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- bm25 weights: title 4, summary 2, content 1, tags 3 (https://www.sqlite.org/fts5.html#the_bm25_function).
INSERT INTO memory_fts (memory_fts, rank) VALUES ('rank', 'bm25(4.0, 2.0, 1.0, 3.0)');

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
