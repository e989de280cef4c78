-- Servers keep their full storage document in `doc` (the same JSON the embedded store writes);
-- the columns beside it exist for keys, ordering and search.
CREATE TABLE mcp_servers (
  account_id text NOT NULL,
  id         text COLLATE "C" NOT NULL,
  name       text NOT NULL,
  hostname   text NOT NULL,
  doc        jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id)
);
