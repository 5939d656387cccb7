-- Rapport collector schema, SQLite.

CREATE TABLE surveys (
    survey_id    TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    definition   TEXT    NOT NULL,
    etag         TEXT    NOT NULL,
    published_at TEXT    NOT NULL,
    PRIMARY KEY (survey_id, version)
);

CREATE TABLE responses (
    id                  INTEGER PRIMARY KEY,
    response_id         TEXT    NOT NULL UNIQUE,
    survey_id           TEXT    NOT NULL,
    survey_version      INTEGER NOT NULL,
    sequence            INTEGER NOT NULL,
    status              TEXT    NOT NULL,
    relationship_type   TEXT    NOT NULL,
    relationship_source TEXT    NOT NULL,
    price_band          TEXT,
    purchase            TEXT,
    context_verified    INTEGER NOT NULL CHECK (context_verified IN (0, 1)),
    received_at         TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    payload             TEXT    NOT NULL
);

CREATE INDEX responses_by_survey ON responses (survey_id, survey_version, id);

CREATE TABLE tokens (
    name       TEXT NOT NULL PRIMARY KEY,
    sha256     TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
