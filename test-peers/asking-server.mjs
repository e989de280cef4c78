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
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CreateMessageResultSchema, ElicitResultSchema, ListRootsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { sendJson, serveSessions } from './session-host.mjs';

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

serveSessions(createServer, {
  port: parseInt(process.env.PORT ?? '0', 10),
  routes: { '/stats': (_req, res) => sendJson(res, 200, stats) },
});
