// An MCP agent that signs in with OAuth 2.1 the way the MCP authorization spec describes, using the official
// TypeScript SDK v1 client (Client + StreamableHTTPClientTransport with an OAuthClientProvider): on the server's
// 401 the SDK reads WWW-Authenticate's resource_metadata, fetches the protected resource metadata and the
// authorization server's metadata, registers a public client dynamically and sends the user to the
// authorization URL (PKCE S256, `resource` = the metadata's resource); this agent then signs the user in,
// takes the code at its loopback redirect URI, lets the SDK exchange it (transport.finishAuth) and connects
// again with the access token, then runs the steps and prints one JSON report line.
//
//   node oauth-agent.mjs <mcp url> '<options as JSON>'
//
// Options: {"user": "alice", "password": "alice-pw",
//           "browser": "chromium" (default) | "http",
//           "scope": "..." (client metadata scope: the SDK's last choice, after WWW-Authenticate's scope and the
//                           resource metadata's scopes_supported),
//           "steps": [{"op": "listTools"} | {"op": "callTool", "name", "arguments"} | {"op": "ping"}
//                     | {"op": "wait", "ms"}]}
//   "chromium": playwright-core drives Debian's chromium ($CHROMIUM, default /usr/bin/chromium) (headless, fresh context): opens the
//     authorization URL, fills the labelled "Username" and "Password" inputs, clicks "Sign in", clicks "Allow"
//     if an IdP consent page follows and "Approve" if the gateway's own consent page does (its built-in
//     authorization server), and waits for the code at the callback. A page that shows an error (role=alert)
//     fails the run at once. SCREENSHOT_DIR (env), if set, gets login.png (the empty form), consent.png (the IdP's,
//     when there is one), gateway-consent.png (the gateway's) and error.png (a rejected sign-in).
//   "http": fetch with a cookie jar follows the redirects, adding ?as_user=<user> to every /interaction/ hop
//     (company-idp.mjs and oauth-server.mjs log that user in and grant at once); no password is checked there. The
//     gateway's own pages are forms: its login form (id "login") is posted with the user and password, its consent
//     form (id "consent") with decision=approve, hidden fields included.
//
// Report: {"steps": [{op, name, ok, result | error}], "gateway_consent": bool (the gateway's consent page was
// answered), "token_claims": {payload of the access token the SDK
// saved, e.g. iss, aud, sub, scope, email, groups, client_id, exp, iat, jti}, "token_header": {alg, typ, kid},
// "refresh_token": bool, "client_id", "authorization_url", "discovery": {"resource_metadata_url",
// "authorization_server", "resource"}, "http": ["METHOD url -> status", ... every request the SDK sent]}.
// Exit 0 when signed in and connected (a failed step is reported in its entry and still exits 0); 2 with
// "error" in the report otherwise, or when the 60 s deadline passes.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

const [mcpUrl, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson || '{}');
const mode = options.browser || 'chromium';
const report = { steps: [] };
let browser = null;

const deadline = setTimeout(() => { report.error = 'agent timed out (60 s)'; finish(2); }, 60_000);

async function finish(code) {
  clearTimeout(deadline);
  if (browser) await browser.close().catch(() => {});
  console.log(JSON.stringify(report));
  process.exit(code);
}

function decodeJwt(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) return { header: null, payload: null };
  const part = (p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  return { header: part(parts[0]), payload: part(parts[1]) };
}

// The loopback redirect URI (RFC 8252): the first request carrying code or error settles `callback`.
let settleCallback;
const callback = new Promise((resolve, reject) => { settleCallback = { resolve, reject }; });
callback.catch(() => {});
const callbackServer = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname !== '/callback') return void res.writeHead(404).end();
  const code = url.searchParams.get('code');
  const error = url.searchParams.get('error');
  res.writeHead(code ? 200 : 400, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(code ? '<!doctype html><title>Signed in</title><p>Signed in. You can close this window.</p>'
    : '<!doctype html><title>Sign-in failed</title><p>Sign-in failed.</p>');
  if (code && url.searchParams.get('state') !== expectedState) {
    settleCallback.reject(new Error('callback state mismatch'));
  } else if (code) {
    settleCallback.resolve({ code, iss: url.searchParams.get('iss') });
  } else if (error) {
    settleCallback.reject(new Error(`authorization error: ${error} ${url.searchParams.get('error_description') ?? ''}`.trim()));
  }
});
await new Promise((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
const redirectUrl = `http://127.0.0.1:${callbackServer.address().port}/callback`;
let expectedState = null;

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms); })])
    .finally(() => clearTimeout(timer));
}

async function signInWithChromium(authorizationUrl) {
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const shots = process.env.SCREENSHOT_DIR;
  if (shots) mkdirSync(shots, { recursive: true });
  await page.goto(authorizationUrl);
  await page.getByLabel('Username').waitFor();
  report.login_page = page.url();
  if (shots) await page.screenshot({ path: `${shots}/login.png`, fullPage: true });
  await page.getByLabel('Username').fill(options.user ?? '');
  await page.getByLabel('Password').fill(options.password ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // After "Sign in": the code at the callback, a consent page (the IdP's or the gateway's), or a page with an error.
  const allow = page.getByRole('button', { name: 'Allow' });
  const approve = page.getByRole('button', { name: 'Approve' });
  const alert = page.getByRole('alert');
  for (let round = 0; round < 4; round++) {
    const next = await withTimeout(Promise.race([
      callback.then(() => 'code'),
      allow.waitFor().then(() => 'consent'),
      approve.waitFor().then(() => 'approve'),
      alert.waitFor().then(() => 'error'),
    ]), 20_000, 'sign-in in the browser');
    if (next === 'code') break;
    if (next === 'error' && shots) await page.screenshot({ path: `${shots}/error.png`, fullPage: true });
    if (next === 'error') throw new Error(`sign-in rejected: ${(await alert.first().textContent()).trim()}`);
    if (next === 'approve') {
      if (shots) await page.screenshot({ path: `${shots}/gateway-consent.png`, fullPage: true });
      report.gateway_consent = true;
      await approve.click();
      await withTimeout(callback, 20_000, 'the code after the gateway\'s consent');
      break;
    }
    if (shots) await page.screenshot({ path: `${shots}/consent.png`, fullPage: true });
    await allow.click();
    await withTimeout(Promise.race([callback, page.waitForURL((u) => !String(u).includes('/interaction/'), { timeout: 20_000 })]),
      20_000, 'consent');
  }
  await withTimeout(callback, 20_000, 'the authorization code at the callback');
  await browser.close();
  browser = null;
}

const unescapeHtml = (s) => s.replace(/&(amp|lt|gt|quot|#39);/g, (m, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" }[e]));

// The gateway's own login or consent form on a page, as the POST that submits it; null when the page has neither.
function gatewayForm(html, url) {
  const form = /<form id="(login|consent)" method="post" action="([^"]+)">([^]*?)<\/form>/.exec(html);
  if (!form) return null;
  const fields = new URLSearchParams();
  for (const input of form[3].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(input[1], unescapeHtml(input[2]));
  if (form[1] === 'login') {
    fields.set('username', options.user ?? '');
    fields.set('password', options.password ?? '');
  } else {
    fields.set('decision', 'approve');
    report.gateway_consent = true;
  }
  return { url: new URL(unescapeHtml(form[2]), url), body: fields.toString() };
}

// A cookie jar (name, value, path) for the redirect hops of the authorization server.
async function signInWithHttp(authorizationUrl) {
  const jar = new Map();
  let url = new URL(authorizationUrl);
  let post = null;
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(redirectUrl)) {
      await fetch(url);
      return;
    }
    if (url.pathname.startsWith('/interaction/') && options.user) url.searchParams.set('as_user', options.user);
    const cookie = [...jar.values()].filter((c) => url.pathname.startsWith(c.path)).map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = { ...(cookie ? { Cookie: cookie } : {}), ...(post ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) };
    const res = await fetch(url, { redirect: 'manual', method: post ? 'POST' : 'GET', body: post ?? undefined, headers });
    post = null;
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = Object.fromEntries(attributes.map((a) => { const i = a.indexOf('='); return i < 0 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)]; }));
      const path = attr.path || '/';
      const expired = attr['max-age'] !== undefined ? Number(attr['max-age']) <= 0 : (attr.expires && Date.parse(attr.expires) < Date.now());
      if (expired || value === '') jar.delete(`${name} ${path}`);
      else jar.set(`${name} ${path}`, { name, value, path });
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    const text = await res.text();
    const form = res.status === 200 ? gatewayForm(text, url) : null;
    if (form) {
      url = form.url;
      post = form.body;
      continue;
    }
    const alert = /role="alert">([^<]*)</.exec(text)?.[1];
    const said = alert ?? text.replace(/<style[^]*?<\/style>|<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
    throw new Error(`sign-in stopped at ${url.origin}${url.pathname} with HTTP ${res.status}: ${said}`);
  }
  throw new Error('too many redirects while signing in');
}

let clientInformation;
let tokens;
let codeVerifier;
let discoveryState;
let signIn = null;
const authProvider = {
  get redirectUrl() { return redirectUrl; },
  get clientMetadata() {
    return {
      client_name: 'gateway-test-oauth-agent',
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...(options.scope ? { scope: options.scope } : {}),
    };
  },
  state() { expectedState = randomBytes(16).toString('base64url'); return expectedState; },
  clientInformation() { return clientInformation; },
  saveClientInformation(info) { clientInformation = info; },
  tokens() { return tokens; },
  saveTokens(t) { tokens = t; },
  saveCodeVerifier(v) { codeVerifier = v; },
  codeVerifier() { return codeVerifier; },
  saveDiscoveryState(state) { discoveryState = state; },
  discoveryState() { return discoveryState; },
  invalidateCredentials(scope) {
    if (scope === 'all' || scope === 'client') clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') tokens = undefined;
    if (scope === 'all' || scope === 'verifier') codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') discoveryState = undefined;
  },
  async redirectToAuthorization(authorizationUrl) {
    report.authorization_url = authorizationUrl.href;
    signIn = mode === 'http' ? signInWithHttp(authorizationUrl.href) : signInWithChromium(authorizationUrl.href);
    signIn.catch(() => {});
  },
};

const httpLog = [];
report.http = httpLog;
const loggingFetch = async (url, init) => {
  const entry = `${(init?.method || 'GET').toUpperCase()} ${String(url)}`;
  try {
    const res = await fetch(url, init);
    httpLog.push(`${entry} -> ${res.status}`);
    return res;
  } catch (e) {
    httpLog.push(`${entry} -> ${e.message}`);
    throw e;
  }
};

const newTransport = () => new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider, fetch: loggingFetch });
const newClient = () => new Client({ name: 'gateway-test-oauth-agent', version: '1.0.0' });

try {
  let client = newClient();
  let transport = newTransport();
  try {
    await client.connect(transport);
  } catch (e) {
    if (!(e instanceof UnauthorizedError) || !signIn) throw e;
    await signIn;
    const { code } = await withTimeout(callback, 30_000, 'the authorization code');
    await transport.finishAuth(code);
    await transport.close().catch(() => {});
    client = newClient();
    transport = newTransport();
    await client.connect(transport);
  }
  report.client_id = clientInformation?.client_id ?? null;
  report.refresh_token = Boolean(tokens?.refresh_token);
  const { header, payload } = tokens?.access_token ? decodeJwt(tokens.access_token) : { header: null, payload: null };
  report.token_header = header;
  report.token_claims = payload;
  report.discovery = {
    resource_metadata_url: discoveryState?.resourceMetadataUrl ?? null,
    authorization_server: discoveryState?.authorizationServerUrl ?? null,
    resource: discoveryState?.resourceMetadata?.resource ?? null,
  };
  for (const step of options.steps ?? []) {
    const entry = { op: step.op, name: step.name ?? null, ok: true };
    try {
      switch (step.op) {
        case 'listTools': entry.result = await client.listTools(undefined, { timeout: 30_000 }); break;
        case 'callTool': entry.result = await client.callTool({ name: step.name, arguments: step.arguments ?? {} }, undefined, { timeout: 30_000 }); break;
        case 'ping': entry.result = await client.ping({ timeout: 30_000 }); break;
        case 'wait': await new Promise((resolve) => setTimeout(resolve, step.ms)); entry.result = {}; break;
        default: throw new Error(`unknown op ${step.op}`);
      }
    } catch (e) {
      entry.ok = false;
      entry.error = { message: String(e?.message ?? e), code: e?.code ?? null };
    }
    report.steps.push(entry);
  }
  await client.close();
  await finish(0);
} catch (e) {
  report.error = String(e?.message ?? e);
  if (!report.discovery && discoveryState) {
    report.discovery = { resource_metadata_url: discoveryState.resourceMetadataUrl ?? null,
      authorization_server: discoveryState.authorizationServerUrl ?? null, resource: discoveryState.resourceMetadata?.resource ?? null };
  }
  await finish(2);
}
