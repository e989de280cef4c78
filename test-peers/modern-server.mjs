// Modern MCP test peer: a Streamable HTTP MCP server built on the official TypeScript SDK v2
// (@modelcontextprotocol/server: McpServer from a per-request factory, served by createMcpHandler, i.e. the
// 2026-07-28 "stateless" era with the SDK's stateless 2025-era fallback), bridged to node:http at /mcp.
//
// Environment variables:
//   PORT           port to listen on at 127.0.0.1 (0 or unset = pick a free one); prints "LISTENING <port>" once ready
//   LEGACY=reject  modern-only endpoint (createMcpHandler legacy: 'reject'; `initialize` and other 2025-era requests
//                  are refused); default: the SDK default (legacy: 'stateless', both eras served)
//   EXPECT_BEARER  if set, every request to /mcp must carry "Authorization: Bearer <value>"
//                  (else HTTP 401, body {"error":"unauthorized"}, header WWW-Authenticate: Bearer)
//   CACHE=public   tools/list results carry ttlMs TOOLS_TTL_MS (default 60000) / cacheScope "public"
//                  (SDK default: ttlMs 0 / "private")
//
// Tools: echo {text} | headers {region?} (region mirrored in the Mcp-Param-Region header) | slow {ms} (progress
// every 100 ms when the request has a progressToken) | ask (multi-round-trip elicitation) | change (adds tool
// added-<n> and publishes notifications/tools/list_changed to open subscriptions/listen streams).
// Prompts: greet {name}.
// GET /stats (no auth) answers {"cancelled", "requests", "completed_slow"}.
import http from 'node:http';
import {
  McpServer, acceptedContent, createMcpHandler, fromJsonSchema, inputRequired,
} from '@modelcontextprotocol/server';

const env = process.env;
const EXPECT_BEARER = env.EXPECT_BEARER;
const LEGACY = env.LEGACY === 'reject' ? 'reject' : undefined;
const CACHE_PUBLIC = env.CACHE === 'public';
const TOOLS_TTL_MS = parseInt(env.TOOLS_TTL_MS ?? '60000', 10);

const stats = { cancelled: 0, requests: 0, completed_slow: 0 };
let addedTools = 0; // tools added by `change`, shared by every per-request server instance

const text = (t) => ({ content: [{ type: 'text', text: t }] });
const sleep = (ms, signal) => new Promise((resolve, reject) => {
  if (signal.aborted) return reject(signal.reason ?? new Error('aborted'));
  const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clearTimeout(timer); reject(signal.reason ?? new Error('aborted')); };
  signal.addEventListener('abort', onAbort, { once: true });
});

function createServer({ requestInfo }) {
  const server = new McpServer({ name: 'modern-server', version: '1.0.0' }, {
    capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, logging: {} },
    ...(CACHE_PUBLIC && { cacheHints: { 'tools/list': { ttlMs: TOOLS_TTL_MS, cacheScope: 'public' } } }),
  });

  server.registerTool('echo', {
    description: 'Echoes the text back',
    inputSchema: fromJsonSchema({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }),
  }, async ({ text: t }) => text(`echo: ${t}`));

  server.registerTool('headers', {
    description: 'Reports the mcp-* HTTP request headers this request arrived with',
    inputSchema: fromJsonSchema({
      type: 'object',
      properties: { region: { type: 'string', description: 'mirrored in Mcp-Param-Region', 'x-mcp-header': 'Region' } },
    }),
  }, async (_args, ctx) => {
    const req = ctx.http?.req ?? requestInfo;
    const seen = {};
    if (req) for (const [name, value] of req.headers) if (name.toLowerCase().startsWith('mcp-')) seen[name.toLowerCase()] = value;
    seen.authorization = req?.headers.has('authorization') ? 'yes' : 'no';
    return text(JSON.stringify(seen));
  });

  server.registerTool('meta', {
    description: 'Answers the envelope its request carried (for the gateway tests: what the bridge put there)',
    inputSchema: fromJsonSchema({ type: 'object', properties: {} }),
  }, async (_args, ctx) => text(JSON.stringify(ctx.mcpReq.envelope ?? {})));

  server.registerTool('log', {
    description: 'Logs one message at info level during the call (sent only when the request carries a log level)',
    inputSchema: fromJsonSchema({ type: 'object', properties: {} }),
  }, async (_args, ctx) => {
    await ctx.mcpReq.log('info', 'logged during the call');
    return text('logged');
  });

  server.registerTool('slow', {
    description: 'Waits ms milliseconds (progress every 100 ms when a progressToken is given)',
    inputSchema: fromJsonSchema({ type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] }),
  }, async ({ ms }, ctx) => {
    const signals = [ctx.mcpReq.signal, requestInfo?.signal].filter(Boolean);
    const signal = AbortSignal.any(signals);
    const progressToken = ctx.mcpReq._meta?.progressToken;
    const started = Date.now();
    let ticker;
    if (progressToken !== undefined) {
      let n = 0;
      ticker = setInterval(() => {
        n += 1;
        ctx.mcpReq.notify({ method: 'notifications/progress',
          params: { progressToken, progress: Math.min(Date.now() - started, ms), total: ms, message: `tick ${n}` } })
          .catch(() => {});
      }, 100);
    }
    try {
      await sleep(ms, signal);
    } catch (e) {
      stats.cancelled += 1;
      if (env.DEBUG) console.error(`[modern-server] slow aborted: sdk signal=${ctx.mcpReq.signal.aborted} http signal=${requestInfo?.signal?.aborted}`);
      throw e;
    } finally {
      clearInterval(ticker);
    }
    stats.completed_slow += 1;
    return text(`slept ${ms}`);
  });

  server.registerTool('ask', {
    description: 'Asks the user for an answer (multi-round-trip elicitation)',
    inputSchema: fromJsonSchema({ type: 'object', properties: {} }),
  }, async (_args, ctx) => {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'answer');
    if (answer && typeof answer.answer === 'string') return text(`you said ${answer.answer}`);
    return inputRequired({
      inputRequests: {
        answer: inputRequired.elicit({
          message: 'What is your answer?',
          requestedSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
        }),
      },
      requestState: 'ask-round-1',
    });
  });

  server.registerTool('change', {
    description: 'Adds a tool added-<n> and announces notifications/tools/list_changed',
    inputSchema: fromJsonSchema({ type: 'object', properties: {} }),
  }, async () => {
    addedTools += 1;
    handler.notify.toolsChanged();
    return text(`added added-${addedTools}`);
  });

  for (let i = 1; i <= addedTools; i++) {
    server.registerTool(`added-${i}`, {
      description: `Tool added by change call ${i}`,
      inputSchema: fromJsonSchema({ type: 'object', properties: {} }),
    }, async () => text(`added-${i} ok`));
  }

  server.registerPrompt('greet', {
    description: 'Greets someone',
    argsSchema: fromJsonSchema({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }),
  }, async ({ name }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Hello ${name}` } }],
  }));

  return server;
}

const handler = createMcpHandler(createServer, {
  ...(LEGACY && { legacy: LEGACY }),
  onerror: (err) => { if (env.DEBUG) console.error('[modern-server]', err?.message ?? err); },
});

function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/stats' && req.method === 'GET') return sendJson(res, 200, stats);
  if (url.pathname !== '/mcp') return sendJson(res, 404, { error: 'not found' });
  if (req.method === 'POST') stats.requests += 1;
  if (EXPECT_BEARER !== undefined && req.headers.authorization !== `Bearer ${EXPECT_BEARER}`) {
    return sendJson(res, 401, { error: 'unauthorized' }, { 'WWW-Authenticate': 'Bearer' });
  }

  // node:http -> web Request; the signal fires when the client goes away before the response is complete.
  const aborter = new AbortController();
  res.on('close', () => { if (!res.writableFinished) aborter.abort(new Error('client disconnected')); });
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v)); else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url}`, {
    method: req.method, headers, signal: aborter.signal, ...(hasBody && { body: Buffer.concat(chunks) }),
  });

  const response = await handler.fetch(request);
  // web Response -> node:http, streaming (SSE) bodies chunk by chunk.
  const outHeaders = {};
  response.headers.forEach((value, name) => { outHeaders[name] = value; });
  res.writeHead(response.status, outHeaders);
  res.flushHeaders();
  if (!response.body) return res.end();
  const reader = response.body.getReader();
  aborter.signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
  } catch { /* client went away */ }
  res.end();
}

const httpServer = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('Error handling request:', err);
    if (!res.headersSent) sendJson(res, 500, { jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
    else res.end();
  });
});
httpServer.listen(parseInt(env.PORT ?? '0', 10), '127.0.0.1', () => {
  console.log(`LISTENING ${httpServer.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    // closes open subscriptions/listen streams gracefully (final listen result), aborts in-flight modern exchanges
    await handler.close().catch(() => {});
    httpServer.close();
    setTimeout(() => process.exit(0), 100);
  });
}
