-- Access-policy changes join the audit trail (V2, V5, V8): a fourth kind of subject, with the
-- actions every subject has (create, update, delete). Earlier rows keep their meaning.
ALTER TABLE audit_log ADD COLUMN policy_id text COLLATE "C";
ALTER TABLE audit_log DROP CONSTRAINT audit_log_subject;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_subject
  CHECK (server_id IS NOT NULL OR portal_id IS NOT NULL OR service_token_id IS NOT NULL OR policy_id IS NOT NULL);
CREATE INDEX audit_log_account_policy ON audit_log (account_id, policy_id, id DESC) WHERE policy_id IS NOT NULL;
