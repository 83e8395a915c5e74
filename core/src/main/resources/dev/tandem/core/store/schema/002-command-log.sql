-- Uses of shared skills and commands, reported by agents through the log_command tool.
CREATE TABLE command_log (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    slug   TEXT    NOT NULL,
    engine TEXT    NOT NULL,
    host   TEXT    NOT NULL,
    client TEXT    NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX command_log_slug ON command_log (slug);
