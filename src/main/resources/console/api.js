// The management API client. The API token lives in this module's variable only — never in
// localStorage, sessionStorage or a cookie — so it is gone when the tab closes or reloads. It is
// sent as `Authorization: Bearer`; the gateway sets no cookie for the API, so a page of another
// origin cannot make the browser call it on the administrator's behalf (no CSRF).

let token = null;
let account = null;

export function signIn(newToken, newAccount) {
  token = newToken;
  account = newAccount;
}

export function signOut() {
  token = null;
  account = null;
}

export function signedIn() {
  return token !== null;
}

export function accountId() {
  return account;
}

const enc = encodeURIComponent;

/** The account's part of the API: /accounts/{account_id}/access/ai-controls/mcp + rest. */
export function mcpPath(rest) {
  return `/accounts/${enc(account)}/access/ai-controls/mcp${rest}`;
}

export const paths = {
  servers: (query = '') => mcpPath(`/servers${query}`),
  server: (id) => mcpPath(`/servers/${enc(id)}`),
  sync: (id) => mcpPath(`/servers/${enc(id)}/sync`),
  portals: (query = '') => mcpPath(`/portals${query}`),
  portal: (id) => mcpPath(`/portals/${enc(id)}`),
  audit: (query = '') => mcpPath(`/audit${query}`),
  toolCalls: (serverId, query = '') => mcpPath(`/analytics${serverId ? `/servers/${enc(serverId)}` : ''}/tool-calls/timeseries${query}`),
  oauthConnect: (id) => `/oauth/connect/${enc(account)}/${enc(id)}`,
};

/**
 * Calls the API. Resolves to {ok, status, body} where body is the Cloudflare envelope
 * ({success, errors, messages, result, result_info}) or a stand-in envelope when the answer was
 * not JSON (a proxy's error page, a network failure), so callers always have errors to show.
 */
export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store', redirect: 'error',
    });
  } catch (failure) {
    return { ok: false, status: 0, body: stand_in(`The gateway could not be reached (${failure.message}).`) };
  }
  let envelope;
  try {
    envelope = await response.json();
  } catch {
    envelope = stand_in(`The gateway answered ${response.status} ${response.statusText} without a JSON body.`);
  }
  if (!envelope || typeof envelope !== 'object') envelope = stand_in(`The gateway answered ${response.status} with an unexpected body.`);
  if (!Array.isArray(envelope.errors)) envelope.errors = [];
  if (!Array.isArray(envelope.messages)) envelope.messages = [];
  return { ok: response.ok && envelope.success !== false, status: response.status, body: envelope };
}

function stand_in(message) {
  return { success: false, errors: [{ code: 0, message }], messages: [], result: null };
}

/** What went wrong, in words: the status explained, then the API's own messages. */
export function explain(answer) {
  const lead = {
    0: 'The request did not reach the gateway.',
    400: 'The gateway refused the request (400):',
    401: 'The gateway did not accept the API token (401). Sign in again with a valid token.',
    403: `This API token may not manage account "${account}" (403).`,
    404: 'Not found (404): it may have been deleted meanwhile.',
    409: 'Conflict (409):',
    413: 'The request is too large (413).',
    429: 'Too many requests (429): wait a minute and try again.',
    503: 'The gateway is temporarily unavailable (503).',
  }[answer.status] ?? `The gateway answered ${answer.status}.`;
  return { lead, messages: answer.body.errors.map((e) => e.message) };
}
