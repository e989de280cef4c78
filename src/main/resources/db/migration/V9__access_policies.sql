-- Access policies (who may use which MCP servers and portals): one JSON document per policy, in
-- the order they are evaluated (created_at, id). Servers and portals are named inside the document,
-- without foreign keys: a policy for a server deleted later, or not created yet, is harmless.
CREATE TABLE mcp_access_policies (
  account_id text COLLATE "C" NOT NULL,
  id         text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  doc        jsonb NOT NULL,
  PRIMARY KEY (account_id, id)
);
