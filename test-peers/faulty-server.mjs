// Faulty MCP test peer: a minimal Streamable HTTP MCP server (plain node:http, JSON answers, a
// session id) that behaves until an agent calls a tool, and then misbehaves in the way its path
// names. One process serves every fault, each at its own MCP endpoint:
//
//   /ok/mcp          tools/call answers normally
//   /reset/mcp       tools/call starts an SSE stream, sends three progress events, then resets the TCP connection
//   /stall/mcp       tools/call is never answered (the connection stays open and silent)
//   /garbage/mcp     tools/call is answered 200 application/json with bytes that are not JSON
//   /huge/mcp        tools/call is answered with a 10 MiB JSON result
//   /huge-sse/mcp    tools/call is answered with one 10 MiB SSE event
//   /close/mcp       tools/call closes the connection without any answer
//
// Environment: PORT (0 or unset = a free port); prints "LISTENING <port>" once ready.
// GET /stats answers {"stalled": <requests held open now>, "calls": <tools/call received>}.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const HUGE = 10 * 1024 * 1024;
const hugeText = 'x'.repeat(HUGE);
const stalled = new Set();
let calls = 0;

const tools = [{ name: 'work', description: 'Does some work', inputSchema: { type: 'object' } }];

function json(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sseEvent(message) {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

function callTool(fault, req, res, message) {
  calls++;
  const answer = { jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: `${fault} done` }] } };
  switch (fault) {
    case 'ok':
      return json(res, 200, answer);
    case 'reset': {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(sseEvent({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: message.id, progress: ++sent } }));
        if (sent === 3) {
          clearInterval(timer);
          setTimeout(() => req.socket.resetAndDestroy(), 20);
        }
      }, 20);
      return;
    }
    case 'stall':
      stalled.add(res);
      res.on('close', () => stalled.delete(res));
      return;
    case 'garbage': {
      const bytes = Buffer.from('<html>\u0000 not json {"jsonrpc":', 'utf8');
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
      return res.end(bytes);
    }
    case 'huge':
      answer.result.content[0].text = hugeText;
      return json(res, 200, answer);
    case 'huge-sse':
      answer.result.content[0].text = hugeText;
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      return res.end(sseEvent(answer));
    case 'close':
      return req.socket.destroy();
    default:
      return json(res, 404, { error: 'unknown fault' });
  }
}

function handle(fault, req, res, message) {
  if (req.method === 'DELETE') return void res.writeHead(200).end();
  if (req.method === 'GET') return void res.writeHead(405, { Allow: 'POST, DELETE' }).end();
  if (message === null || typeof message !== 'object') return json(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
  if (message.id === undefined || message.method === undefined) return void res.writeHead(202).end();
  const session = { 'Mcp-Session-Id': req.headers['mcp-session-id'] ?? randomUUID() };
  switch (message.method) {
    case 'initialize':
      return json(res, 200, {
        jsonrpc: '2.0', id: message.id,
        result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: `faulty-${fault}`, version: '1.0.0' } },
      }, session);
    case 'tools/list':
      return json(res, 200, { jsonrpc: '2.0', id: message.id, result: { tools } }, session);
    case 'tools/call':
      return callTool(fault, req, res, message);
    case 'ping':
      return json(res, 200, { jsonrpc: '2.0', id: message.id, result: {} }, session);
    default:
      return json(res, 200, { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } }, session);
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/stats') return json(res, 200, { stalled: stalled.size, calls });
  const match = /^\/([a-z-]+)\/mcp$/.exec(url.pathname);
  if (!match) return json(res, 404, { error: 'not found' });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let message = null;
    if (chunks.length > 0) {
      try { message = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { message = undefined; }
    }
    handle(match[1], req, res, message);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(parseInt(process.env.PORT ?? '0', 10), '127.0.0.1', () => {
  console.log(`LISTENING ${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const res of stalled) res.destroy();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
}
