-- Portals keep their full storage document in `doc` (the JSON the embedded store writes); the
-- columns beside it exist for keys, ordering, search and the integrity the database itself holds:
-- a hostname serves one portal across every account (compared lower-cased), and the join table
-- ties each member to an existing server of the portal's account, so that neither a portal with a
-- missing member nor the delete of a server in use can commit, whichever replica writes.
CREATE TABLE mcp_portals (
  account_id text NOT NULL,
  id         text COLLATE "C" NOT NULL,
  name       text NOT NULL,
  hostname   text NOT NULL,
  doc        jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT mcp_portals_pkey PRIMARY KEY (account_id, id)
);
CREATE UNIQUE INDEX mcp_portals_hostname_key ON mcp_portals (lower(hostname));

CREATE TABLE mcp_portal_servers (
  account_id text NOT NULL,
  portal_id  text COLLATE "C" NOT NULL,
  server_id  text COLLATE "C" NOT NULL,
  CONSTRAINT mcp_portal_servers_pkey PRIMARY KEY (account_id, portal_id, server_id),
  CONSTRAINT mcp_portal_servers_portal_fkey FOREIGN KEY (account_id, portal_id)
    REFERENCES mcp_portals (account_id, id) ON DELETE CASCADE,
  CONSTRAINT mcp_portal_servers_server_fkey FOREIGN KEY (account_id, server_id)
    REFERENCES mcp_servers (account_id, id) ON DELETE RESTRICT
);
-- which portals use a server (its delete, usingServer)
CREATE INDEX mcp_portal_servers_server ON mcp_portal_servers (account_id, server_id);
