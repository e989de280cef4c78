-- Portal changes join the audit trail (V2): an entry is about a server (`server_id`) or a portal
-- (`portal_id`), never neither. Rows written before this migration are server entries: their
-- `portal_id` is null, so they read as they always did.
ALTER TABLE audit_log ALTER COLUMN server_id DROP NOT NULL;
ALTER TABLE audit_log ADD COLUMN portal_id text COLLATE "C";
ALTER TABLE audit_log ADD CONSTRAINT audit_log_subject CHECK (server_id IS NOT NULL OR portal_id IS NOT NULL);

-- one portal's trail, newest first (server entries have no portal: left out of the index)
CREATE INDEX audit_log_account_portal ON audit_log (account_id, portal_id, id DESC) WHERE portal_id IS NOT NULL;
