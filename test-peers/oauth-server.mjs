// A full OAuth 2.1 authorization server (oidc-provider, from npm) in front of a small protected MCP
// server, in one process on one port (issuer http://localhost:<port>):
//   - authorization server: metadata at /.well-known/oauth-authorization-server and openid-configuration,
//     /auth (logs in "demo-user", or the user named by ?as_user= on the /interaction/ hop, and grants what is asked at once, so an HTTP client that keeps cookies
//     can play the browser), /token (authorization_code + PKCE S256, refresh_token with rotation,
//     client_credentials), /reg (dynamic registration), /token/revocation, /token/introspection,
//     `iss` on every authorization response (RFC 9207), `resource` indicators (RFC 8707).
//   - protected MCP server at /mcp (JSON answers, tools `whoami` and `echo`): every request needs a
//     Bearer access token this server issued for its resource, else 401 with
//     WWW-Authenticate: Bearer resource_metadata=".../.well-known/oauth-protected-resource/mcp".
//   - GET /stats: {"token_requests": {grant: n}, "mcp_tokens": [distinct access tokens seen at /mcp, in order]}
//
// Pre-registered clients: conf-client/conf-secret (client_secret_basic, all grants), post-client/post-secret
// (client_secret_post), public-client (none). Environment: PORT (0 = free; prints "LISTENING <port>"),
// REDIRECT_URI (the pre-registered clients' redirect URI), AT_TTL (access token seconds, default 3600).
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const REDIRECT = process.env.REDIRECT_URI || 'http://localhost/oauth/callback';
const AT_TTL = Number(process.env.AT_TTL || 3600);
const stats = { token_requests: {}, mcp_tokens: [] };

const server = http.createServer();
server.listen(Number(process.env.PORT || 0), () => {
  const port = server.address().port;
  const issuer = `http://localhost:${port}`;
  const resource = `${issuer}/mcp`;
  const grants = ['authorization_code', 'refresh_token', 'client_credentials'];
  const provider = new Provider(issuer, {
    clients: [
      { client_id: 'conf-client', client_secret: 'conf-secret', token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [REDIRECT], grant_types: grants, response_types: ['code'] },
      { client_id: 'post-client', client_secret: 'post-secret', token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: [REDIRECT], grant_types: grants, response_types: ['code'] },
      { client_id: 'public-client', token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] },
    ],
    scopes: ['openid', 'offline_access', 'mcp:tools'],
    pkce: { required: () => true },
    ttl: { AccessToken: AT_TTL, ClientCredentials: AT_TTL, AuthorizationCode: 60, RefreshToken: 86400, Grant: 86400,
           Session: 86400, Interaction: 600 },
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({ scope: 'mcp:tools', audience: resource, accessTokenTTL: AT_TTL, accessTokenFormat: 'opaque' }),
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    cookies: { keys: ['test-only-cookie-key'] },
  });
  provider.on('grant.success', (ctx) => {
    const grant = ctx.oidc.params.grant_type;
    stats.token_requests[grant] = (stats.token_requests[grant] || 0) + 1;
  });

  // The "login page": logs in ?as_user=<name> (default demo-user) and grants what is asked at once.
  async function approve(req, res) {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, grantId } = details;
    const asUser = new URL(req.url, issuer).searchParams.get('as_user') || 'demo-user';
    if (prompt.name === 'login') {
      return provider.interactionFinished(req, res, { login: { accountId: asUser } }, { mergeWithLastSubmission: false });
    }
    const accountId = details.session?.accountId || asUser;
    const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId, clientId: params.client_id });
    const d = prompt.details;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes || {})) grant.addResourceScope(indicator, scopes.join(' '));
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  function json(res, status, body, headers = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  async function validToken(req) {
    const header = req.headers.authorization || '';
    if (!header.startsWith('Bearer ')) return null;
    const value = header.slice(7);
    const token = (await provider.AccessToken.find(value)) || (await provider.ClientCredentials.find(value));
    if (!token || token.isExpired || token.aud !== resource) return null;
    if (!stats.mcp_tokens.includes(value)) stats.mcp_tokens.push(value);
    return token;
  }

  async function mcp(req, res) {
    const challenge = `Bearer resource_metadata="${issuer}/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"`;
    const token = await validToken(req);
    if (!token) return json(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': challenge });
    if (req.method === 'DELETE') return void res.writeHead(200).end();
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST, DELETE' }).end();
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    if (!message || message.id === undefined) return void res.writeHead(202).end();
    const session = { 'Mcp-Session-Id': req.headers['mcp-session-id'] || randomUUID() };
    const answer = (result) => json(res, 200, { jsonrpc: '2.0', id: message.id, result }, session);
    switch (message.method) {
      case 'initialize':
        return answer({ protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'protected', version: '1.0.0' } });
      case 'tools/list':
        return answer({ tools: [
          { name: 'whoami', description: 'Who the token belongs to', inputSchema: { type: 'object' } },
          { name: 'echo', description: 'Echoes', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
        ] });
      case 'tools/call': {
        const who = token.accountId || `client:${token.clientId}`;
        const text = message.params?.name === 'whoami' ? who : String(message.params?.arguments?.text ?? '');
        return answer({ content: [{ type: 'text', text }] });
      }
      default:
        return json(res, 200, { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } }, session);
    }
  }

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    try {
      const path = new URL(req.url, issuer).pathname;
      if (path === '/stats') return json(res, 200, stats);
      if (path === '/.well-known/oauth-protected-resource/mcp') {
        return json(res, 200, { resource, authorization_servers: [issuer], scopes_supported: ['mcp:tools'] });
      }
      if (path === '/mcp') return await mcp(req, res);
      if (path.startsWith('/interaction/')) return await approve(req, res);
      return callback(req, res);
    } catch (e) {
      console.error(e);
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
    }
  });
  console.log(`LISTENING ${port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
