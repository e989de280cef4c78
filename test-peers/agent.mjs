// A scripted MCP agent: the official TypeScript SDK client (Client + StreamableHTTPClientTransport)
// running a list of steps against an MCP endpoint, printing one JSON report line.
//
//   node agent.mjs <url> <bearer token, "" or a JSON object of headers> '<steps as JSON>'
//   (headers, e.g. {"CF-Access-Client-Id": "...", "CF-Access-Client-Secret": "..."} for a service token)
//
// Steps: {"op": "capabilities", "elicitAnswer": "42"} (first: declare elicitation, answer every form with {answer})
//        {"op": "wait", "ms": 500} | {"op": "listTools"} | {"op": "listPrompts"} | {"op": "listResources"}
//        {"op": "callTool", "name", "arguments", "progress": true} | {"op": "getPrompt", "name", "arguments"}
//        {"op": "readResource", "uri"} | {"op": "terminate"}
// Each step reports {op, ok, result | error, progress: [ms since the step started, ...], ms}.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

const [url, token, stepsJson] = process.argv.slice(2);
const steps = JSON.parse(stepsJson || "[]");
const headers = token?.startsWith("{") ? JSON.parse(token) : token ? { Authorization: `Bearer ${token}` } : {};
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
const setup = steps.find((s) => s.op === "capabilities");
const client = new Client({ name: "gateway-test-agent", version: "1.0.0" }, setup ? { capabilities: { elicitation: {} } } : undefined);
const report = { steps: [], elicited: [], notifications: [] };
if (setup) {
  client.setRequestHandler(ElicitRequestSchema, async (request) => {
    report.elicited.push(request.params.message);
    return { action: "accept", content: { answer: setup.elicitAnswer } };
  });
}
client.setNotificationHandler(ToolListChangedNotificationSchema, async () => { report.notifications.push("notifications/tools/list_changed"); });
client.setNotificationHandler(LoggingMessageNotificationSchema, async (n) => { report.notifications.push(`notifications/message ${n.params.level} ${JSON.stringify(n.params.data)}`); });
const deadline = setTimeout(() => { report.error = "agent timed out"; finish(2); }, 50_000);

function finish(code) {
  clearTimeout(deadline);
  console.log(JSON.stringify(report));
  process.exit(code);
}

try {
  await client.connect(transport);
  report.sessionId = transport.sessionId ?? null;
  report.protocolVersion = transport.protocolVersion ?? null;
  report.serverInfo = client.getServerVersion() ?? null;
  for (const step of steps) {
    const started = Date.now();
    const progress = [];
    const options = step.progress ? { onprogress: () => progress.push(Date.now() - started), timeout: 30_000 } : { timeout: 30_000 };
    const entry = { op: step.op, name: step.name ?? null, ok: true };
    try {
      switch (step.op) {
        case "listTools": entry.result = await client.listTools(undefined, options); break;
        case "listPrompts": entry.result = await client.listPrompts(undefined, options); break;
        case "listResources": entry.result = await client.listResources(undefined, options); break;
        case "callTool": entry.result = await client.callTool({ name: step.name, arguments: step.arguments ?? {} }, undefined, options); break;
        case "getPrompt": entry.result = await client.getPrompt({ name: step.name, arguments: step.arguments ?? {} }, options); break;
        case "readResource": entry.result = await client.readResource({ uri: step.uri }, options); break;
        case "capabilities": entry.result = {}; break;
        case "wait": await new Promise((resolve) => setTimeout(resolve, step.ms)); entry.result = {}; break;
        case "terminate": await transport.terminateSession(); entry.result = {}; break;
        case "ping": entry.result = await client.ping(options); break;
        case "setLoggingLevel": entry.result = await client.setLoggingLevel(step.level ?? "info", options); break;
        default: throw new Error(`unknown op ${step.op}`);
      }
    } catch (e) {
      entry.ok = false;
      entry.error = { message: String(e?.message ?? e), code: e?.code ?? null };
    }
    entry.progress = progress;
    entry.ms = Date.now() - started;
    report.steps.push(entry);
  }
  await client.close();
  finish(0);
} catch (e) {
  report.error = String(e?.message ?? e);
  report.code = e?.code ?? null;
  finish(1);
}
