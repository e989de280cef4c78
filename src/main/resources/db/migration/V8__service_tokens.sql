-- Service tokens, Cloudflare Access's machine credentials: one row per token. `doc` is its stored
-- form (StoredServiceTokenJson: the secrets only as SHA-256, never themselves). `id` (a UUID) and
-- `client_id` (what agents present, naming no account) are unique across accounts. `last_seen_at`
-- lives beside the document, so recording a use never rewrites the document nor races an update.
CREATE TABLE mcp_service_tokens (
  id           text COLLATE "C" PRIMARY KEY,
  account_id   text COLLATE "C" NOT NULL,
  client_id    text COLLATE "C" NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  doc          jsonb NOT NULL,
  last_seen_at timestamptz
);
-- an account's tokens in the API's order
CREATE INDEX mcp_service_tokens_account ON mcp_service_tokens (account_id, created_at, id);

-- Service-token changes join the audit trail (V2, V5): a third kind of subject, and the two actions
-- only tokens have. Earlier rows keep their meaning.
ALTER TABLE audit_log ADD COLUMN service_token_id text COLLATE "C";
ALTER TABLE audit_log DROP CONSTRAINT audit_log_subject;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_subject
  CHECK (server_id IS NOT NULL OR portal_id IS NOT NULL OR service_token_id IS NOT NULL);
-- V2's column check, named by PostgreSQL's convention
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action
  CHECK (action IN ('create', 'update', 'delete', 'sync', 'rotate', 'refresh'));
CREATE INDEX audit_log_account_service_token ON audit_log (account_id, service_token_id, id DESC) WHERE service_token_id IS NOT NULL;
