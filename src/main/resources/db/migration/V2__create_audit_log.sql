-- The audit trail of changes made through the management API: append-only, one row per change.
-- `before` and `after` are the server as the API showed it (never credentials). Rows outlive
-- their server. `id` orders the trail: a later entry has a larger id. `json`, not `jsonb`: the views
-- are kept as written (key order included) and never queried into.
CREATE TABLE audit_log (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id text NOT NULL,
  server_id  text COLLATE "C" NOT NULL,
  action     text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'sync')),
  actor      text NOT NULL,
  at         timestamptz NOT NULL,
  before     json,
  after      json
);

-- an account's trail, newest first; and one server's
CREATE INDEX audit_log_account ON audit_log (account_id, id DESC);
CREATE INDEX audit_log_account_server ON audit_log (account_id, server_id, id DESC);
