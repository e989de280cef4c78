// Scripted MCP agent on the official TypeScript SDK v2 client (@modelcontextprotocol/client), for the
// gateway's tests of the 2026-07-28 ("stateless") era. Usage:
//   node agent-modern.mjs <url> <bearer token> <mode: auto|legacy|pin> '<steps JSON>'
// Steps: {"op":"listTools"} | {"op":"listPrompts"} | {"op":"callTool","name","arguments"}
// Prints one JSON report line: {"era","version","steps":[{"op","result"|"error"}]}.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const [url, token, mode = 'auto', stepsJson = '[]'] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} },
});
const client = new Client({ name: 'gateway-test-modern-agent', version: '1.0.0' },
  { versionNegotiation: { mode: mode === 'pin' ? { pin: '2026-07-28' } : mode } });
const report = { steps: [] };
try {
  await client.connect(transport);
  report.era = client.getProtocolEra();
  report.version = client.getNegotiatedProtocolVersion();
  for (const step of JSON.parse(stepsJson)) {
    const entry = { op: step.op };
    try {
      switch (step.op) {
        case 'listTools': entry.result = await client.listTools(); break;
        case 'listPrompts': entry.result = await client.listPrompts(); break;
        case 'callTool': entry.result = await client.callTool({ name: step.name, arguments: step.arguments ?? {} }); break;
        default: throw new Error(`unknown step ${step.op}`);
      }
    } catch (e) {
      entry.error = { message: String(e?.message ?? e), code: e?.code };
    }
    report.steps.push(entry);
  }
  await client.close();
} catch (e) {
  report.error = { message: String(e?.message ?? e), code: e?.code };
}
console.log(JSON.stringify(report));
