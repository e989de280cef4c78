-- Agent sessions ended with DELETE, so that no replica opens their ids again. `session_key` is the
-- SHA-256 hex of the session id (raw ids are bearer-like and never stored); `expires_at` is when
-- the id would stop opening anyway, after which the row is purged.
CREATE TABLE mcp_session_revocations (
  session_key text COLLATE "C" PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);
-- the purge of expired revocations, and the start's read of those in force
CREATE INDEX mcp_session_revocations_expiry ON mcp_session_revocations (expires_at);
