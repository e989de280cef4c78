// Traced MCP test peer: a Streamable HTTP MCP server on the official TypeScript SDK (low-level Server, sessions),
// with one tool, `trace-context`, that answers with the W3C trace context it received for that call: the HTTP
// `traceparent` header of the request that carried it and `params._meta.traceparent` of the message itself — so a
// test can see whether the gateway's trace reached the upstream, both ways the specifications describe.
//
// Environment variables:
//   PORT  port to listen on at 127.0.0.1 (0 or unset = pick a free one); prints "LISTENING <port>" once ready
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { serveSessions } from './session-host.mjs';

const tools = [
  { name: 'trace-context', description: 'Answers with the trace context this call arrived with', inputSchema: { type: 'object' } },
  { name: 'fails', description: 'Always answers with a JSON-RPC error', inputSchema: { type: 'object' } },
];

function createServer() {
  const server = new Server({ name: 'traced-server', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    if (req.params.name === 'fails') throw new McpError(ErrorCode.InvalidParams, 'this tool always fails');
    if (req.params.name !== 'trace-context') throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${req.params.name}`);
    const seen = {
      header: extra.requestInfo?.headers?.traceparent ?? null,
      meta: req.params._meta?.traceparent ?? null,
    };
    return { content: [{ type: 'text', text: JSON.stringify(seen) }] };
  });
  return server;
}

serveSessions(createServer, { port: parseInt(process.env.PORT ?? '0', 10), enableJsonResponse: true });
