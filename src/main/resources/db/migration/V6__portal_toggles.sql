-- The portal members each agent switched off for itself: one row per (portal, holder, server) that
-- is off; a member is on unless its row exists. `holder` is the MCP endpoint's opaque name for the
-- agent (a hash of a 2025 session id, or a client token's name). `expires_at` is when the holder's
-- switches lapse (a session's maximum age), NULL for never. Rows go with their portal.
CREATE TABLE mcp_portal_toggles (
  account_id text NOT NULL,
  portal_id  text COLLATE "C" NOT NULL,
  holder     text COLLATE "C" NOT NULL,
  server_id  text COLLATE "C" NOT NULL,
  expires_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mcp_portal_toggles_pkey PRIMARY KEY (account_id, portal_id, holder, server_id),
  CONSTRAINT mcp_portal_toggles_portal_fkey FOREIGN KEY (account_id, portal_id)
    REFERENCES mcp_portals (account_id, id) ON DELETE CASCADE
);
-- the purge of expired entries
CREATE INDEX mcp_portal_toggles_expiry ON mcp_portal_toggles (expires_at) WHERE expires_at IS NOT NULL;
