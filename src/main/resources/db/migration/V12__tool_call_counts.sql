-- Tool-call analytics: one row per (account, quarter hour, server, portal, tool), added to by every
-- replica's flush (INSERT ... ON CONFLICT DO UPDATE SET count = count + EXCLUDED.count).
-- portal_id is '' for calls on a server's own endpoint: a primary key column cannot be null.
CREATE TABLE mcp_tool_call_counts (
  account_id text NOT NULL,
  bucket timestamptz NOT NULL,
  server_id text NOT NULL,
  portal_id text NOT NULL DEFAULT '',
  tool text NOT NULL,
  count bigint NOT NULL CHECK (count > 0),
  PRIMARY KEY (account_id, bucket, server_id, portal_id, tool)
);
-- the retention purge deletes by bucket across accounts
CREATE INDEX mcp_tool_call_counts_bucket ON mcp_tool_call_counts (bucket);
