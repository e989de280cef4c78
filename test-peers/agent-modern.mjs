// Scripted MCP agent on the official TypeScript SDK v2 client (@modelcontextprotocol/client), for the
// gateway's tests of the 2026-07-28 ("stateless") era. Usage:
//   node agent-modern.mjs <url> <bearer token> <mode: auto|legacy|pin> '<steps JSON>'
// Steps: {"op":"listTools"} | {"op":"listPrompts"} | {"op":"callTool","name","arguments","progress"?: true}
// A first step {"op":"capabilities","elicitAnswer"?: "...","sampleAnswer"?: "...","roots"?: ["uri", ...]} declares
// elicitation (answered with {answer: elicitAnswer}; "decline" declines), sampling and roots, each with its
// handler; the SDK then completes input_required results by itself (multi round-trip requests).
// Prints one JSON report line: {"era","version","steps":[{"op","result"|"error","progress"?}],"elicited":[message, ...],"sampled":n}.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const [url, token, mode = 'auto', stepsJson = '[]'] = process.argv.slice(2);
const steps = JSON.parse(stepsJson);
const declared = steps[0]?.op === 'capabilities' ? steps.shift() : {};
const capabilities = {};
if (declared.elicitAnswer !== undefined) capabilities.elicitation = { form: {} };
if (declared.sampleAnswer !== undefined) capabilities.sampling = {};
if (declared.roots !== undefined) capabilities.roots = {};
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} },
});
const client = new Client({ name: 'gateway-test-modern-agent', version: '1.0.0' },
  { capabilities, versionNegotiation: { mode: mode === 'pin' ? { pin: '2026-07-28' } : mode } });
const elicited = [];
let sampled = 0;
if (capabilities.elicitation) {
  client.setRequestHandler('elicitation/create', async (request) => {
    elicited.push(request.params.message);
    return declared.elicitAnswer === 'decline' ? { action: 'decline' } : { action: 'accept', content: { answer: declared.elicitAnswer } };
  });
}
if (capabilities.sampling) {
  client.setRequestHandler('sampling/createMessage', async () => {
    sampled++;
    return { model: 'test-model', role: 'assistant', content: { type: 'text', text: declared.sampleAnswer } };
  });
}
if (capabilities.roots) {
  client.setRequestHandler('roots/list', async () => ({ roots: declared.roots.map((uri) => ({ uri })) }));
}
const report = { steps: [] };
try {
  await client.connect(transport);
  report.era = client.getProtocolEra();
  report.version = client.getNegotiatedProtocolVersion();
  for (const step of steps) {
    const entry = { op: step.op };
    try {
      switch (step.op) {
        case 'listTools': entry.result = await client.listTools(); break;
        case 'listPrompts': entry.result = await client.listPrompts(); break;
        case 'callTool': {
          const progress = [];
          const options = step.progress ? { onprogress: (p) => progress.push(p) } : undefined;
          entry.result = await client.callTool({ name: step.name, arguments: step.arguments ?? {} }, options);
          if (step.progress) entry.progress = progress;
          break;
        }
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
report.elicited = elicited;
report.sampled = sampled;
console.log(JSON.stringify(report));
