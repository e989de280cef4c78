// The official TypeScript SDK's example server `simpleStreamableHttp` with `--oauth`: an MCP server
// (Streamable HTTP at http://localhost:$MCP_PORT/mcp) protected by the SDK's demo authorization
// server (http://localhost:$MCP_AUTH_PORT: RFC 9728 metadata, RFC 8414 metadata, dynamic client
// registration, PKCE S256, an /authorize that approves at once, so an HTTP client can play the browser).
// STRICT=1 adds --oauth-strict (the token's resource must be this server). Prints "LISTENING <MCP_PORT>"
// once both servers listen.
process.argv.push('--oauth');
if (process.env.STRICT === '1') process.argv.push('--oauth-strict');
const log = console.log;
let mcp = false;
let auth = false;
let announced = false;
console.log = (...args) => {
  const line = args.map(String).join(' ');
  if (line.startsWith('MCP Streamable HTTP Server listening')) mcp = true;
  if (line.startsWith('OAuth Authorization Server listening')) auth = true;
  log(...args);
  if (mcp && auth && !announced) {
    announced = true;
    log(`LISTENING ${process.env.MCP_PORT}`);
  }
};
await import('./node_modules/@modelcontextprotocol/sdk/dist/esm/examples/server/simpleStreamableHttp.js');
