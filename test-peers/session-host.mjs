// Hosts an official-SDK (1.x) MCP server over Streamable HTTP with stateful sessions at /mcp on
// 127.0.0.1, for the test peers: one transport per session (created by an `initialize` POST without
// a session id), 404 for an unknown session, 400 for anything else without one. Prints
// "LISTENING <port>" once ready and closes every session on SIGINT/SIGTERM.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ErrorCode, isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

export function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Serves `createServer()` (a new SDK server per session). Options: `port` (0 = a free one),
 * `enableJsonResponse` (plain JSON answers instead of event streams), `authorized(req)` (false:
 * 401 with WWW-Authenticate: Bearer), `routes` ({path: (req, res) => ...} served before /mcp),
 * `allowedHosts` (if set, a request whose Host header names another host is refused 403, as the
 * SDK's own DNS-rebinding protection does), `transportOptions()` (more options for each session's
 * transport, e.g. an `eventStore` and `retryInterval` for resumable streams).
 */
export function serveSessions(createServer, {
  port = 0, enableJsonResponse = false, authorized = () => true, routes = {}, allowedHosts, transportOptions = () => ({}),
} = {}) {
  const transports = new Map(); // Mcp-Session-Id -> StreamableHTTPServerTransport

  async function handle(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (routes[url.pathname]) return routes[url.pathname](req, res);
    if (allowedHosts) {
      let host = '';
      try { host = new URL(`http://${req.headers.host ?? ''}`).hostname; } catch { /* refused below */ }
      if (!allowedHosts.includes(host)) {
        return sendJson(res, 403, { jsonrpc: '2.0', error: { code: -32000, message: `Invalid Host: ${req.headers.host}` }, id: null });
      }
    }
    if (!authorized(req)) return sendJson(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer' });
    if (url.pathname !== '/mcp') return sendJson(res, 404, { error: 'not found' });
    const sessionId = req.headers['mcp-session-id'];
    if (req.method === 'POST') {
      let body;
      try { body = await readJson(req); } catch {
        return sendJson(res, 400, { jsonrpc: '2.0', error: { code: ErrorCode.ParseError, message: 'Parse error' }, id: null });
      }
      if (sessionId && transports.has(sessionId)) return transports.get(sessionId).handleRequest(req, res, body);
      if (sessionId) return sendJson(res, 404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null });
      if (!isInitializeRequest(body)) {
        return sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null });
      }
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse,
        ...transportOptions(),
        onsessioninitialized: (sid) => transports.set(sid, transport),
      });
      transport.onclose = () => { if (transport.sessionId) transports.delete(transport.sessionId); };
      await createServer().connect(transport);
      return transport.handleRequest(req, res, body);
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!sessionId || !transports.has(sessionId)) {
        return sendJson(res, sessionId ? 404 : 400, { jsonrpc: '2.0', error: { code: -32000, message: 'Invalid or missing session ID' }, id: null });
      }
      return transports.get(sessionId).handleRequest(req, res);
    }
    return sendJson(res, 405, { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed' }, id: null }, { Allow: 'GET, POST, DELETE' });
  }

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('Error handling request:', err);
      if (!res.headersSent) sendJson(res, 500, { jsonrpc: '2.0', error: { code: ErrorCode.InternalError, message: 'Internal server error' }, id: null });
    });
  });
  httpServer.listen(port, '127.0.0.1', () => {
    console.log(`LISTENING ${httpServer.address().port}`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      for (const t of transports.values()) t.close().catch(() => {});
      httpServer.close();
      process.exit(0);
    });
  }
}
