// Session-era MCP test peer that asks its client for input in the middle of a tool call: the
// official TypeScript SDK 1.x (McpServer + StreamableHTTPServerTransport, stateful sessions, at /mcp),
// protocol 2025-11-25. Its requests to the client go on the tool call's own event stream.
//
// Environment variables:
//   PORT  port to listen on at 127.0.0.1 (0 or unset = pick a free one); prints "LISTENING <port>" once ready
//
// Tools:
//   confirm    one progress notification (when the call has a progressToken), then elicitation/create
//              {answer: string}; returns "you said <answer>" or "no answer (<action>)"
//   interview  two elicitations in a row (first, then second); returns "first <a>, second <b>"
//   sample     sampling/createMessage; returns "the model said <text>"
//   roots      roots/list; returns "roots: <uri>, ..."
// GET /stats answers {"initialized": [client capabilities of each session], "asked": n, "answered": n, "aborted": n}.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CreateMessageResultSchema, ElicitResultSchema, ErrorCode, ListRootsResultSchema, isInitializeRequest,
} from '@modelcontextprotocol/sdk/types.js';

const stats = { initialized: [], asked: 0, answered: 0, aborted: 0 };

async function ask(extra, request, schema) {
  stats.asked++;
  extra.signal.addEventListener('abort', () => stats.aborted++, { once: true });
  const result = await extra.sendRequest(request, schema, { timeout: 20_000 });
  stats.answered++;
  return result;
}

function elicit(extra, message) {
  return ask(extra, {
    method: 'elicitation/create',
    params: { message, requestedSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] } },
  }, ElicitResultSchema);
}

const answerOf = (result) => (result.action === 'accept' ? result.content?.answer : `no answer (${result.action})`);

function createServer() {
  const server = new McpServer({ name: 'asking-server', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool('confirm', { description: 'Asks the user for an answer (elicitation)', inputSchema: {} }, async (_args, extra) => {
    const token = extra._meta?.progressToken;
    if (token !== undefined) {
      await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 1, message: 'asking' } });
    }
    const result = await elicit(extra, 'What is your answer?');
    const text = result.action === 'accept' ? `you said ${result.content?.answer}` : answerOf(result);
    return { content: [{ type: 'text', text }] };
  });
  server.registerTool('interview', { description: 'Asks two questions in a row', inputSchema: {} }, async (_args, extra) => {
    const first = answerOf(await elicit(extra, 'First question?'));
    const second = answerOf(await elicit(extra, 'Second question?'));
    return { content: [{ type: 'text', text: `first ${first}, second ${second}` }] };
  });
  server.registerTool('sample', { description: 'Asks the client for a completion (sampling)', inputSchema: {} }, async (_args, extra) => {
    const result = await ask(extra, {
      method: 'sampling/createMessage',
      params: { messages: [{ role: 'user', content: { type: 'text', text: 'Say something' } }], maxTokens: 50 },
    }, CreateMessageResultSchema);
    return { content: [{ type: 'text', text: `the model said ${result.content?.text}` }] };
  });
  server.registerTool('roots', { description: "Lists the client's roots", inputSchema: {} }, async (_args, extra) => {
    const result = await ask(extra, { method: 'roots/list' }, ListRootsResultSchema);
    return { content: [{ type: 'text', text: `roots: ${result.roots.map((r) => r.uri).join(', ')}` }] };
  });
  server.server.oninitialized = () => stats.initialized.push(server.server.getClientCapabilities() ?? {});
  return server;
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const transports = new Map(); // Mcp-Session-Id -> StreamableHTTPServerTransport

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/stats') return sendJson(res, 200, stats);
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
  return sendJson(res, 405, { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed' }, id: null });
}

const httpServer = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('Error handling request:', err);
    if (!res.headersSent) sendJson(res, 500, { jsonrpc: '2.0', error: { code: ErrorCode.InternalError, message: 'Internal server error' }, id: null });
  });
});
httpServer.listen(parseInt(process.env.PORT ?? '0', 10), '127.0.0.1', () => {
  console.log(`LISTENING ${httpServer.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const t of transports.values()) t.close().catch(() => {});
    httpServer.close();
    process.exit(0);
  });
}
