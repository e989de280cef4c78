// mcp-proxy (punkpeye/mcp-proxy) in front of a Streamable HTTP upstream, through its library API:
// its CLI only spawns stdio servers, so this is its CLI's own wiring (bin/mcp-proxy.mjs: one
// upstream Client shared by every agent session, proxyServer() per session, startHTTPServer())
// with a StreamableHTTPClientTransport instead of the stdio one.
//   node bench/peers/mcp-proxy-server.mjs PORT UPSTREAM_URL [API_KEY]
// Agents: Streamable HTTP at http://127.0.0.1:PORT/mcp, header X-API-Key when API_KEY is given.
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { Server } from "@modelcontextprotocol/server";
import { proxyServer, startHTTPServer } from "mcp-proxy";

const [portArg, upstreamUrl, apiKey] = process.argv.slice(2);
const port = Number(portArg);

const client = new Client({ name: "mcp-proxy", version: "1.0.0" }, { capabilities: {} });
await client.connect(new StreamableHTTPClientTransport(new URL(upstreamUrl)));

const createServer = async () => {
  const serverCapabilities = client.getServerCapabilities();
  const server = new Server(client.getServerVersion(), { capabilities: serverCapabilities, instructions: client.getInstructions() });
  await proxyServer({ client, server, serverCapabilities });
  return server;
};

await startHTTPServer({
  apiKey: apiKey || undefined,
  createServer,
  eventStore: false,          // the CLI's default: no resumability store
  host: "127.0.0.1",
  port,
  sseEndpoint: null,          // Streamable HTTP only, like the gateway
  streamEndpoint: "/mcp",
});
console.log(`mcp-proxy listening on 127.0.0.1:${port}/mcp -> ${upstreamUrl}`);

const stop = async () => {
  try { await client.close(); } finally { process.exit(0); }
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
