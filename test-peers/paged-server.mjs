// Paged MCP test peer: a Streamable HTTP MCP server built on the official TypeScript SDK
// (low-level Server + StreamableHTTPServerTransport, served by node:http at /mcp, stateful sessions).
//
// Environment variables:
//   PORT           port to listen on at 127.0.0.1 (0 or unset = pick a free one); prints "LISTENING <port>" once ready
//   EXPECT_BEARER  if set, every request must carry "Authorization: Bearer <value>"
//   EXPECT_HEADERS if set, a JSON object {"Header-Name": "value", ...}; every request must carry exactly those values
//                  (when a check fails: HTTP 401, body {"error":"unauthorized"}, header WWW-Authenticate: Bearer;
//                   when neither variable is set, no authentication is required)
//   TOOL_COUNT     number of tools tool-000 ... (default 120); tool-000 also has title, outputSchema, annotations, icons, _meta
//   PROMPT_COUNT   number of prompts prompt-000 ... (default 30), each with arguments
//   PAGE_SIZE      items per tools/list and prompts/list page (default 50), continued with an opaque nextCursor
//   PROMPTS=off    no prompts capability at all (not advertised, prompts/* are "method not found")
//   REPEAT_CURSOR=1  tools/list always answers the first page with the same nextCursor (a never-ending cursor loop)
//   RESPOND_SSE=1  POSTs are answered as an SSE stream (enableJsonResponse: false); default is plain JSON responses
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema, ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema, ListToolsRequestSchema,
  McpError, isInitializeRequest,
} from '@modelcontextprotocol/sdk/types.js';

const env = process.env;
const TOOL_COUNT = parseInt(env.TOOL_COUNT ?? '120', 10);
const PROMPT_COUNT = parseInt(env.PROMPT_COUNT ?? '30', 10);
const PAGE_SIZE = Math.max(1, parseInt(env.PAGE_SIZE ?? '50', 10));
const PROMPTS = env.PROMPTS !== 'off';
const REPEAT_CURSOR = env.REPEAT_CURSOR === '1';
const RESPOND_SSE = env.RESPOND_SSE === '1';
const EXPECT_BEARER = env.EXPECT_BEARER;
const EXPECT_HEADERS = env.EXPECT_HEADERS ? JSON.parse(env.EXPECT_HEADERS) : {};

const pad = (i) => String(i).padStart(3, '0');

const tools = Array.from({ length: TOOL_COUNT }, (_, i) => ({
  name: `tool-${pad(i)}`,
  description: `Test tool number ${i}`,
  inputSchema: { type: 'object', properties: { text: { type: 'string', description: 'any text' } } },
}));
if (tools.length > 0) {
  Object.assign(tools[0], {
    title: 'Tool Zero',
    outputSchema: { type: 'object', properties: { result: { type: 'string' } }, required: ['result'] },
    annotations: { title: 'Tool Zero (annotated)', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    icons: [{ src: 'data:image/svg+xml;base64,PHN2Zy8+', mimeType: 'image/svg+xml', sizes: ['any'] }],
    _meta: { 'dev.mcpgateway/test': { marker: 'tool-000-meta' } },
  });
}

const prompts = Array.from({ length: PROMPT_COUNT }, (_, i) => ({
  name: `prompt-${pad(i)}`,
  description: `Test prompt number ${i}`,
  arguments: [
    { name: 'topic', description: 'what to talk about', required: true },
    { name: 'tone', description: 'optional tone', required: false },
  ],
}));

// Opaque cursors: base64url of "offset:<n>".
const encodeCursor = (offset) => Buffer.from(`offset:${offset}`).toString('base64url');
function decodeCursor(cursor) {
  if (cursor === undefined) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new McpError(ErrorCode.InvalidParams, `Invalid cursor: ${cursor}`);
  return parseInt(m[1], 10);
}
function page(items, cursor) {
  const offset = decodeCursor(cursor);
  const end = offset + PAGE_SIZE;
  return { items: items.slice(offset, end), nextCursor: end < items.length ? encodeCursor(end) : undefined };
}

function createServer() {
  const capabilities = { tools: { listChanged: false } };
  if (PROMPTS) capabilities.prompts = { listChanged: false };
  const server = new Server({ name: 'paged-server', version: '1.0.0' }, { capabilities });

  server.setRequestHandler(ListToolsRequestSchema, async (req) => {
    if (REPEAT_CURSOR) return { tools: tools.slice(0, PAGE_SIZE), nextCursor: 'repeat-forever' };
    const { items, nextCursor } = page(tools, req.params?.cursor);
    return nextCursor ? { tools: items, nextCursor } : { tools: items };
  });
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const tool = tools.find((t) => t.name === req.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${req.params.name}`);
    const text = `${tool.name} ok`;
    // A tool with an outputSchema must return matching structuredContent (the SDK client checks it).
    return tool.outputSchema ? { content: [{ type: 'text', text }], structuredContent: { result: text } }
                             : { content: [{ type: 'text', text }] };
  });
  if (PROMPTS) {
    server.setRequestHandler(ListPromptsRequestSchema, async (req) => {
      const { items, nextCursor } = page(prompts, req.params?.cursor);
      return nextCursor ? { prompts: items, nextCursor } : { prompts: items };
    });
    server.setRequestHandler(GetPromptRequestSchema, async (req) => {
      const prompt = prompts.find((p) => p.name === req.params.name);
      if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${req.params.name}`);
      const topic = req.params.arguments?.topic ?? '(none)';
      return { description: prompt.description,
               messages: [{ role: 'user', content: { type: 'text', text: `${prompt.name} about ${topic}` } }] };
    });
  }
  return server;
}

function authorized(req) {
  if (EXPECT_BEARER !== undefined && req.headers.authorization !== `Bearer ${EXPECT_BEARER}`) return false;
  return Object.entries(EXPECT_HEADERS).every(([name, value]) => req.headers[name.toLowerCase()] === String(value));
}

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const transports = new Map(); // Mcp-Session-Id -> StreamableHTTPServerTransport

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
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
      enableJsonResponse: !RESPOND_SSE,
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
httpServer.listen(parseInt(env.PORT ?? '0', 10), '127.0.0.1', () => {
  console.log(`LISTENING ${httpServer.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const t of transports.values()) t.close().catch(() => {});
    httpServer.close();
    process.exit(0);
  });
}
