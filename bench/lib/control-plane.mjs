// Control-plane benchmark against one running gateway (whichever store it was started on):
//  1. sync of an upstream with many tools (FastUpstream --tools N): the first sync (fingerprints
//     accepted on first sight) and then repeated resyncs, each POST …/sync timed;
//  2. creation of N servers (concurrently), timed;
//  3. list pages (per_page=100: first, middle, last page) and search (a few matches, none, all),
//     each repeated, plus one walk over every page.
//   node bench/lib/control-plane.mjs --api http://127.0.0.1:PORT --token TOKEN --servers 10000 \
//        --sync-upstream http://127.0.0.1:19003/mcp --sync-tools 1000 --host-for-servers http://127.0.0.1:19001/mcp
// Prints one JSON object (CONTROL_RESULT {...}) on stdout.
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const api = `${args.api}/accounts/${args.account || "acme"}/access/ai-controls/mcp/servers`;
const token = args.token;
const servers = Number(args.servers || 10000);
const concurrency = Number(args.concurrency || 16);
const repeats = Number(args.repeats || 20);
const syncRepeats = Number(args["sync-repeats"] || 5);
const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };

async function call(method, url, body) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!res.ok || !json.success) throw new Error(`${method} ${url} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  return { ms, json };
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const pct = (p) => s[Math.max(0, Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1))];
  const round = (x) => Math.round(x * 100) / 100;
  return { n: s.length, min: round(s[0]), p50: round(pct(50)), p99: round(pct(99)), max: round(s[s.length - 1]),
    mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

const out = {};

// 1. sync of a server with many tools
if (args["sync-upstream"]) {
  await call("POST", api, {
    id: "many-tools", name: "Many tools", hostname: args["sync-upstream"], auth_type: "unauthenticated",
    updated_tools: [{ name: "echo", alias: "say" }, { name: "hidden", enabled: false }],
  });
  const times = [];
  let tools = 0;
  for (let i = 0; i < syncRepeats + 1; i++) {
    const { ms, json } = await call("POST", `${api}/many-tools/sync`);
    if (json.result.status !== "ready") throw new Error(`sync: ${JSON.stringify(json.result)}`);
    times.push(ms);
  }
  const read = await call("GET", `${api}/many-tools`);
  tools = read.json.result.tools.length;
  out.sync = { tools, first_ms: Math.round(times[0] * 100) / 100, resync: stats(times.slice(1)) };
  process.stderr.write(`sync of ${tools} tools: first ${out.sync.first_ms} ms, resync p50 ${out.sync.resync.p50} ms\n`);
}

// 2. create N servers
{
  const host = args["host-for-servers"] || "http://127.0.0.1:19001/mcp";
  const times = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
  async function worker() {
    while (next < servers) {
      const i = ++next;
      const id = `bench-${String(i).padStart(5, "0")}`;
      const { ms } = await call("POST", api, {
        id, name: `Bench server ${i}`, hostname: host, auth_type: "unauthenticated",
        description: `one of ${servers} servers created by the control-plane benchmark`,
      });
      times.push(ms);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  out.create = { servers, concurrency, seconds: Math.round(total * 100) / 100, per_second: Math.round(servers / total), latency_ms: stats(times) };
  process.stderr.write(`created ${servers} servers in ${out.create.seconds} s\n`);
}

// 3. list and search
{
  const first = await call("GET", `${api}?per_page=100&page=1`);
  const total = first.json.result_info.total_count;
  const pages = first.json.result_info.total_pages;
  const timed = async (url) => {
    const times = [];
    let count = 0;
    for (let i = 0; i < repeats; i++) {
      const { ms, json } = await call("GET", url);
      times.push(ms);
      count = json.result_info.total_count;
    }
    return { ...stats(times), total_count: count };
  };
  out.list = {
    total_count: total, pages,
    first_page: await timed(`${api}?per_page=100&page=1`),
    middle_page: await timed(`${api}?per_page=100&page=${Math.max(1, Math.floor(pages / 2))}`),
    last_page: await timed(`${api}?per_page=100&page=${pages}`),
  };
  const t0 = process.hrtime.bigint();
  for (let p = 1; p <= pages; p++) await call("GET", `${api}?per_page=100&page=${p}`);
  out.list.walk_all_pages_ms = Math.round(Number(process.hrtime.bigint() - t0) / 1e4) / 100;
  out.search = {
    few: await timed(`${api}?per_page=100&search=bench-0999`),
    none: await timed(`${api}?per_page=100&search=no-such-server`),
    all: await timed(`${api}?per_page=100&search=bench`),
  };
  process.stderr.write(`list page 1 p50 ${out.list.first_page.p50} ms, search p50 ${out.search.few.p50} ms\n`);
}

console.log("CONTROL_RESULT " + JSON.stringify(out));
