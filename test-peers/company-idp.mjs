// A company identity provider / external OAuth 2.1 authorization server for the gateway's agents
// (oidc-provider, from npm), issuer http://localhost:<port>:
//   - discovery at /.well-known/oauth-authorization-server and /.well-known/openid-configuration (the same
//     metadata: code_challenge_methods_supported ["S256"], registration_endpoint, jwks_uri /jwks, ...).
//   - /auth: authorization code + PKCE S256 (required). The interaction URL /interaction/<uid> is a real HTML
//     login page (labelled inputs "Username" and "Password", button "Sign in"; a wrong password shows the form
//     again with "Invalid username or password", and the password is never logged), then a consent page
//     (button "Allow", or "Deny"). Shortcut for HTTP clients: GET /interaction/<uid>?as_user=<name> logs that
//     user in without a form and grants everything asked (login and consent at once; on a consent hop it
//     grants too, so a client may add ?as_user= to every /interaction/ hop it follows).
//   - /token: authorization_code and refresh_token (a refresh token with every code exchange of a client
//     allowed the refresh_token grant; rotated on each use, and presenting a used one again revokes the whole
//     grant, as oidc-provider does). /reg: open dynamic registration (public clients with
//     token_endpoint_auth_method "none"; http redirect URIs such as http://127.0.0.1:<any port>/callback or
//     http://localhost:<any port>/... are accepted, matched exactly at /auth).
//   - access tokens are RS256 JWTs (RFC 9068, header typ "at+jwt", kid) for a resource indicator (RFC 8707):
//     any `resource` starting with RESOURCE_PREFIX is accepted, the token's aud is exactly that resource,
//     scope "mcp". Payload: {email, groups, jti, sub: user name, iat, exp, scope: "mcp", client_id, iss, aud}.
//     A request without `resource` gets DEFAULT_RESOURCE if set, else an opaque userinfo-only token; an
//     authorization request without `scope` (GET /auth) asks for scope "mcp".
//   - POST /rotate: a new RSA signing key (new kid) signs every access token from then on; /jwks publishes
//     the new key and all the old ones. It recreates the Provider with jwks [new, ...old] and swaps the
//     request handler; every Provider shares one in-memory store (oidc-provider's memory adapter), so
//     registered clients, sessions, grants, refresh tokens and interactions in flight survive a rotation.
//     Answers {"kid": new kid, "kids": [every published kid, newest first]}.
//   - GET /stats: {"jwks_requests": n (requests to the jwks_uri, /jwks), "userinfo_requests": n (to /me), "token_requests": {grant_type: successful grants}, "token_errors":
//     {grant_type: failed token requests}, "registrations": n, "logins": {user: n}, "failed_logins": n,
//     "mint_requests": n, "kid": current kid}.
//   - POST /mint (loopback callers only): body {"sub", "resource", "scope" (default "mcp"), "ttl" (seconds,
//     default AT_TTL; negative = already expired), "client_id" (default "minted-client"), "claims" (merged over
//     the payload, e.g. {"iss": "..."} for a wrong issuer), "kid" (sign with that published key, default the
//     current one), "unpublished_key": true (sign with a fresh key that /jwks never publishes)} ->
//     {"access_token": JWT in exactly the provider's format, "kid", "claims": payload}. email and groups come
//     from USERS when sub is a known user.
//
//   - OpenID Connect for a relying party such as the gateway's built-in authorization server (its login is delegated
//     here): scopes openid, email (claims email and groups) and profile; ID tokens carry the claims of the scopes
//     granted (conformIdTokenClaims off; CONFORM_ID_TOKEN_CLAIMS=true turns it on, as strict providers do: the ID token
//     then holds sub only and the claims are at userinfo), signed like the access tokens (RS256, kid); userinfo too.
//     GATEWAY_CLIENT (env, optional) pre-registers a confidential client: JSON {"client_id", "client_secret",
//     "redirect_uris": [...]} (client_secret_basic, authorization_code only) — the consent page then names it.
//
// Environment: PORT (0 = free; prints "LISTENING <port>"), RESOURCE_PREFIX (default http://localhost:8080/mcp/),
// DEFAULT_RESOURCE (optional), AT_TTL (access token seconds, default 300), USERS (JSON
// {"name": {"password", "email", "groups": [...]}}, default alice/alice-pw in eng and bob/bob-pw in sales).
// On Node 20 oidc-provider 9 warns "Unsupported runtime" on stderr and works.
import http from 'node:http';
import crypto from 'node:crypto';
import Provider, { errors } from 'oidc-provider';
// oidc-provider's own in-memory adapter, but one store for every Provider this process creates (by default
// each Provider gets a store of its own), so that a key rotation keeps clients, sessions, grants and tokens.
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';

const RESOURCE_PREFIX = process.env.RESOURCE_PREFIX || 'http://localhost:8080/mcp/';
const DEFAULT_RESOURCE = process.env.DEFAULT_RESOURCE || undefined;
const AT_TTL = Number(process.env.AT_TTL || 300);
const USERS = JSON.parse(process.env.USERS
  || '{"alice":{"password":"alice-pw","email":"alice@example.com","groups":["eng"]},'
   + '"bob":{"password":"bob-pw","email":"bob@corp.example","groups":["sales"]}}');
const GATEWAY_CLIENT = process.env.GATEWAY_CLIENT ? JSON.parse(process.env.GATEWAY_CLIENT) : null;
const stats = { jwks_requests: 0, userinfo_requests: 0, token_requests: {}, token_errors: {}, registrations: 0, logins: {}, failed_logins: 0, mint_requests: 0, kid: null };

function newSigningKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: `k-${crypto.randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' };
}
const keys = [newSigningKey()]; // newest first; keys[0] signs
const adapter = createMemoryAdapter();

function userClaims(name) {
  const user = Object.hasOwn(USERS, name) ? USERS[name] : null;
  return user ? { email: user.email, groups: user.groups ?? [] } : {};
}

function createProvider(issuer) {
  const provider = new Provider(issuer, {
    adapter,
    jwks: { keys },
    scopes: ['openid', 'offline_access', 'mcp', 'email', 'profile'],
    responseTypes: ['code'],
    claims: { openid: ['sub'], email: ['email', 'groups'], profile: ['name'] },
    conformIdTokenClaims: process.env.CONFORM_ID_TOKEN_CLAIMS === 'true',
    clients: GATEWAY_CLIENT ? [{
      client_id: GATEWAY_CLIENT.client_id, client_secret: GATEWAY_CLIENT.client_secret, redirect_uris: GATEWAY_CLIENT.redirect_uris,
      client_name: 'MCP gateway', grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
    }] : [],
    pkce: { required: () => true },
    ttl: { AccessToken: AT_TTL, AuthorizationCode: 60, RefreshToken: 86400, Grant: 86400, Session: 86400, Interaction: 600, IdToken: 3600 },
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    extraTokenClaims: async (ctx, token) => (token.accountId ? userClaims(token.accountId) : undefined),
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx, client, oneOf) => oneOf ?? DEFAULT_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource) => {
          if (!resource.startsWith(RESOURCE_PREFIX)) throw new errors.InvalidTarget(`resource must start with ${RESOURCE_PREFIX}`);
          return { scope: 'mcp', audience: resource, accessTokenTTL: AT_TTL, accessTokenFormat: 'jwt',
                   jwt: { sign: { alg: 'RS256', kid: keys[0].kid } } };
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (ctx, sub) => (Object.hasOwn(USERS, sub)
      ? { accountId: sub, claims: async () => ({ sub, name: sub, ...userClaims(sub) }) } : undefined),
    cookies: { keys: ['company-idp-test-only-cookie-key'] },
  });
  const count = (map, ctx) => {
    const grant = ctx.oidc?.params?.grant_type || 'unknown';
    map[grant] = (map[grant] || 0) + 1;
  };
  provider.on('grant.success', (ctx) => count(stats.token_requests, ctx));
  provider.on('grant.error', (ctx) => count(stats.token_errors, ctx));
  provider.on('registration_create.success', () => { stats.registrations += 1; });
  return provider;
}

const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function page(res, status, title, body) {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)} - Company sign-in</title>
<style>body{font-family:sans-serif;max-width:26em;margin:4em auto}label{display:block;margin-top:1em}
input{width:100%;padding:.4em;box-sizing:border-box}button{margin-top:1.2em;padding:.5em 1.5em}
.error{color:#b00020;border:1px solid #b00020;padding:.5em;margin-top:1em}</style></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-store' });
  res.end(html);
}

function loginPage(res, uid, clientName, error, username = '') {
  return page(res, 200, 'Sign in', `
<p>Sign in to continue to <strong>${escape(clientName)}</strong>.</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" autofocus value="${escape(username)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form>`);
}

function consentPage(res, uid, clientName, accountId, params) {
  return page(res, 200, 'Allow access', `
<p>Signed in as <strong>${escape(accountId)}</strong>.</p>
<p><strong>${escape(clientName)}</strong> asks for scope <code>${escape(params.scope || '')}</code>
on <code>${escape([].concat(params.resource || []).join(' '))}</code>.</p>
<form method="post" action="/interaction/${escape(uid)}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Deny</button></form>`);
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > 65536) throw new Error('form too large');
    chunks.push(c);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

// Every grant the interaction's prompt is missing (or, at a login prompt, everything the request asks for).
async function grantAll(provider, details, accountId) {
  const { prompt, params, grantId } = details;
  const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId, clientId: params.client_id });
  const d = prompt.name === 'consent' ? prompt.details : {};
  const asked = String(params.scope || '').split(' ').filter(Boolean);
  const oidcScopes = d.missingOIDCScope ?? asked.filter((s) => ['openid', 'offline_access', 'email', 'profile'].includes(s));
  if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
  if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
  const resourceScopes = prompt.name === 'consent' ? (d.missingResourceScopes || {})
    : Object.fromEntries([].concat(params.resource || DEFAULT_RESOURCE || []).map((r) => [r, asked.filter((s) => s === 'mcp')]));
  for (const [indicator, scopes] of Object.entries(resourceScopes)) {
    if (scopes.length) grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

function loggedIn(name) {
  stats.logins[name] = (stats.logins[name] || 0) + 1;
}

async function interaction(provider, req, res, url) {
  const [, , uid, action] = url.pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new errors.SessionNotFound('interaction mismatch');
  const { prompt, params } = details;
  const client = await provider.Client.find(params.client_id);
  const clientName = client?.clientName || params.client_id;
  const asUser = url.searchParams.get('as_user');

  if (req.method === 'GET' && !action) {
    if (asUser) {
      if (!Object.hasOwn(USERS, asUser)) return loginPage(res, uid, clientName, `Unknown user ${asUser}`);
      const accountId = prompt.name === 'login' ? asUser : (details.session?.accountId || asUser);
      const grantId = await grantAll(provider, details, accountId);
      if (prompt.name === 'login') loggedIn(asUser);
      const result = prompt.name === 'login' ? { login: { accountId }, consent: { grantId } } : { consent: { grantId } };
      return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: prompt.name !== 'login' });
    }
    if (prompt.name === 'login') return loginPage(res, uid, clientName);
    return consentPage(res, uid, clientName, details.session?.accountId, params);
  }
  if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'GET, POST' }).end();
  if (action === 'login') {
    const form = await readForm(req);
    const username = form.get('username') || '';
    const user = Object.hasOwn(USERS, username) ? USERS[username] : null;
    const given = Buffer.from(form.get('password') || '');
    const expected = Buffer.from(user?.password ?? '');
    if (!user || given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      stats.failed_logins += 1;
      console.error(`company-idp: failed sign-in for user ${JSON.stringify(username)}`);
      return loginPage(res, uid, clientName, 'Invalid username or password.', username);
    }
    loggedIn(username);
    return provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
  }
  if (action === 'confirm') {
    await readForm(req);
    const grantId = await grantAll(provider, details, details.session?.accountId);
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (action === 'abort') {
    await readForm(req);
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user denied access' },
      { mergeWithLastSubmission: false });
  }
  return json(res, 404, { error: 'not_found' });
}

function b64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

// An access token like the provider's own (formats/jwt.js): the same header and payload members, in that order.
function mint(issuer, body) {
  const now = Math.floor(Date.now() / 1000);
  const ttl = body.ttl === undefined ? AT_TTL : Number(body.ttl);
  if (!body.sub || !body.resource) throw new Error('sub and resource are required');
  const payload = {
    ...userClaims(body.sub),
    jti: crypto.randomBytes(32).toString('base64url'),
    sub: body.sub,
    iat: now,
    exp: now + ttl,
    scope: body.scope ?? 'mcp',
    client_id: body.client_id ?? 'minted-client',
    iss: issuer,
    aud: body.resource,
    ...(body.claims || {}),
  };
  let jwk;
  if (body.unpublished_key) jwk = newSigningKey();
  else if (body.kid) jwk = keys.find((k) => k.kid === body.kid);
  else [jwk] = keys;
  if (!jwk) throw new Error(`no published key ${body.kid}`);
  const header = { alg: 'RS256', typ: 'at+jwt', kid: jwk.kid };
  const input = `${b64url(header)}.${b64url(payload)}`;
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const signature = crypto.sign('sha256', Buffer.from(input), key).toString('base64url');
  return { access_token: `${input}.${signature}`, kid: jwk.kid, claims: payload };
}

const isLoopback = (address) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

const server = http.createServer();
server.listen(Number(process.env.PORT || 0), () => {
  const port = server.address().port;
  const issuer = `http://localhost:${port}`;
  let provider = createProvider(issuer);
  let callback = provider.callback();
  stats.kid = keys[0].kid;

  server.on('request', async (req, res) => {
    const current = provider;
    try {
      const url = new URL(req.url, issuer);
      const path = url.pathname;
      if (path === '/stats' && req.method === 'GET') return json(res, 200, stats);
      if (path === '/rotate' && req.method === 'POST') {
        keys.unshift(newSigningKey());
        provider = createProvider(issuer);
        callback = provider.callback();
        stats.kid = keys[0].kid;
        return json(res, 200, { kid: keys[0].kid, kids: keys.map((k) => k.kid) });
      }
      if (path === '/mint' && req.method === 'POST') {
        if (!isLoopback(req.socket.remoteAddress)) return json(res, 403, { error: 'loopback only' });
        stats.mint_requests += 1;
        try {
          return json(res, 200, mint(issuer, await readJson(req)));
        } catch (e) {
          return json(res, 400, { error: 'invalid_request', error_description: String(e.message) });
        }
      }
      if (path === '/jwks') stats.jwks_requests += 1;
      if (path === '/me') stats.userinfo_requests += 1;
      if (path.startsWith('/interaction/')) return await interaction(current, req, res, url);
      if (path === '/auth' && req.method === 'GET' && !url.searchParams.get('scope')) {
        url.searchParams.set('scope', 'mcp'); // a request without scope asks for the default scope, mcp
        req.url = `${url.pathname}${url.search}`;
      }
      return callback(req, res);
    } catch (e) {
      if (e instanceof errors.OIDCProviderError) {
        return json(res, e.statusCode || 400, { error: e.error, error_description: e.error_description });
      }
      console.error(e);
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
    }
  });
  console.log(`LISTENING ${port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
