// Opens N MCP Streamable HTTP sessions (initialize + notifications/initialized) and prints one
// Mcp-Session-Id per line (an empty line when the server hands out none: a stateless server).
//   [MCP_HEADER='Name: value'] node bench/lib/open-sessions.mjs URL COUNT [TOKEN] > sessions.txt
// Exits non-zero if any initialize fails, printing the first failure on stderr.
// MCP_OPEN_CONCURRENCY: sessions opened at once (default 16). With --close, reads ids from stdin
// and ends each session with DELETE instead.
const [url, countArg, token] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const count = Number(countArg || 1);
const version = process.env.MCP_VERSION || "2025-11-25";
const headers = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
if (token) headers.Authorization = `Bearer ${token}`;
const extra = (process.env.MCP_HEADER || "").match(/^([^:]+):\s*(.*)$/);
if (extra) headers[extra[1]] = extra[2];

async function open(i) {
  const res = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({
      jsonrpc: "2.0", id: 1, method: "initialize",
      params: { protocolVersion: version, capabilities: {}, clientInfo: { name: `bench-${i}`, version: "1.0.0" } },
    }),
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"result"')) throw new Error(`initialize answered ${res.status}: ${text.slice(0, 300)}`);
  const sid = res.headers.get("mcp-session-id") || "";
  const h = { ...headers, "MCP-Protocol-Version": version };
  if (sid) h["Mcp-Session-Id"] = sid;
  const note = await fetch(url, { method: "POST", headers: h, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) });
  await note.text();
  if (note.status >= 300) throw new Error(`notifications/initialized answered ${note.status}`);
  return sid;
}

if (process.argv.includes("--close")) {
  const input = await new Promise((resolve) => {
    let data = "";
    process.stdin.on("data", (c) => (data += c)).on("end", () => resolve(data));
  });
  const sids = input.split("\n").filter((s) => s.trim() !== "");
  let at = 0;
  const h = { ...headers, "MCP-Protocol-Version": version };
  delete h["Content-Type"];
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (at < sids.length) {
      const sid = sids[at++];
      try {
        const res = await fetch(url, { method: "DELETE", headers: { ...h, "Mcp-Session-Id": sid } });
        await res.arrayBuffer();
      } catch { /* best effort */ }
    }
  }));
  process.exit(0);
}

const ids = new Array(count);
let next = 0;
async function worker() {
  while (next < count) {
    const i = next++;
    ids[i] = await open(i);
  }
}
try {
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(Number(process.env.MCP_OPEN_CONCURRENCY || 16), count) }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(ids.join("\n") + "\n");
  process.stderr.write(`opened ${count} sessions in ${seconds.toFixed(2)} s\n`);
} catch (e) {
  console.error(String(e.message || e));
  process.exit(1);
}
