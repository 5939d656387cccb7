-- Rapport collector schema, SQLite: a signed survey link verifies one response. The first
-- response posted with a link claims it; responses with other ids posted with the same link
-- are stored unverified.
CREATE TABLE verified_links (
    link_sha256 TEXT NOT NULL PRIMARY KEY,
    response_id TEXT NOT NULL,
    claimed_at  TEXT NOT NULL
);
