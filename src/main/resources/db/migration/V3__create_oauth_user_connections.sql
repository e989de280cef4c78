-- Users' own upstream OAuth connections to on-behalf servers: one row per (server, user). `doc`
-- holds the sealed tokens (ciphertext only), their expiry, status and a pending authorization.
-- Rows go with their server (the gateway deletes them when the server is deleted or moved).
CREATE TABLE oauth_user_connections (
  account_id text NOT NULL,
  server_id  text COLLATE "C" NOT NULL,
  subject    text NOT NULL,
  doc        jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, server_id, subject)
);
