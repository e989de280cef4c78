-- The built-in authorization server (sign_in.mode builtin). Clients registered with it (RFC 7591;
-- a confidential client's secret only as its SHA-256, inside doc); grants — what a user approved
-- for one client and one MCP endpoint — with their single-use credentials: authorization codes and
-- refresh tokens, each by the SHA-256 hex of its value (values are never stored). A used
-- credential stays until it expires, so that a replay is recognised and revokes its grant; deleting
-- a grant deletes its credentials. Signing keys: the public JWK and the sealed private key in doc.
-- (V9 is left to another branch under way; versions need not be contiguous.)
CREATE TABLE signin_clients (
  client_id  text COLLATE "C" PRIMARY KEY,
  created_at timestamptz NOT NULL,
  doc        jsonb NOT NULL
);

CREATE TABLE signin_grants (
  grant_id   text COLLATE "C" PRIMARY KEY,
  doc        jsonb NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX signin_grants_expiry ON signin_grants (expires_at);

CREATE TABLE signin_credentials (
  hash           text COLLATE "C" PRIMARY KEY,
  grant_id       text COLLATE "C" NOT NULL REFERENCES signin_grants (grant_id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('code', 'refresh')),
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz,
  redirect_uri   text,
  code_challenge text
);
CREATE INDEX signin_credentials_grant ON signin_credentials (grant_id);
CREATE INDEX signin_credentials_expiry ON signin_credentials (expires_at);

CREATE TABLE signin_keys (
  kid        text COLLATE "C" PRIMARY KEY,
  created_at timestamptz NOT NULL,
  doc        jsonb NOT NULL
);
