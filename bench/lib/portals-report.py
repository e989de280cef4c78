#!/usr/bin/env python3
"""Turns bench/portals.sh's raw results into PORTALS.md.

    python3 bench/lib/portals-report.py RESULTS_DIR OUT_FILE

RESULTS_DIR holds portals.jsonl (one line per point), meta.json and optionally gateway-metrics.txt.
Every workload is shown with the ratio of its requests/s to its baseline's, measured in the same run
at the same number of clients; the goals are those ratios against fixed thresholds (not assertions:
the run never fails on them). With several rounds, a workload's requests/s is its requests over its
seconds in all rounds, p50/p99 the median of the rounds', and the ratio cell also shows the lowest
and highest of the rounds' own ratios. Standard library only.
"""
import json
import os
import re
import statistics
import sys

from report import errors, errors_cell, fmt_ratio, load_jsonl, ms, num, ratio  # the run report's formats

ERA_TITLES = {
    "session": "session era (MCP 2025-11-25, sessions opened beforehand)",
    "stateless": "stateless era (MCP 2026-07-28: MCP-Protocol-Version, Mcp-Method, Mcp-Name, params._meta)",
}
GROUP_TITLES = {
    "list": "tools/list from the capability cache",
    "call": "tools/call of a small echo",
    "stall": "one member stalled",
}


def describe(target, meta):
    big = max(int(n) for n in meta["members"].split())
    each = meta["tools_each"]
    stalled = meta["stalled_member"]
    if target.startswith("portal-") and target.endswith("-list"):
        n = int(target[len("portal-"):-len("-list")])
        return f"portal of {n} member{'s' if n != 1 else ''} ({n * each + 3} tools: {n} × {each} + 3 built-in)"
    return {
        "server-list": f"one server, `/mcp/acme/s01` ({each} tools) — **baseline**",
        "wide-list": f"one server with {big * each:,} tools, `/mcp/acme/wide` (reference: the largest portal's payload, no merge)",
        "server-call": "`echo` on one server, `/mcp/acme/s01` — **baseline**",
        "portal-call": f"`s01_echo` on the portal of {big}, `/mcp/acme/portals/p{big:02d}`",
        "portal-host-call": f"`s01_echo` on the portal of {big} at its hostname (`/mcp`, `Host: p{big:02d}.portals.bench.test`)",
        "unstalled": f"`s01_echo` … `s{big - 1:02d}_echo` in turn on the portal of {big}, nothing stalled — **baseline**",
        "stalled": f"the same, while {meta['stall_clients']} more clients keep calling `{stalled}_echo` (stalled)",
    }.get(target, target)


GOALS = [
    # (group, target, baseline, threshold, statement)
    ("list", None, "server-list", 0.8, "portal tools/list with {big} members ≥ 0.8× one server's tools/list"),
    ("call", "portal-call", "server-call", 0.95, "portal tools/call ≥ 0.95× the same call on the server's own endpoint"),
    ("stall", "stalled", "unstalled", 0.95, "calls to the other members with one member stalled ≥ 0.95× the unstalled run"),
]


ERROR_KEYS = ("err_connect", "err_read", "err_write", "err_status", "err_timeout", "bad")


def combine(results):
    """One wrk result from several rounds' (None when none answered)."""
    results = [r for r in results if r and not r.get("failed")]
    if not results:
        return {"requests": 0, "failed": True}
    out = {"requests": sum(r.get("requests", 0) for r in results), "seconds": sum(r.get("seconds", 0) for r in results),
           "bytes": sum(r.get("bytes", 0) for r in results)}
    out["rps"] = out["requests"] / out["seconds"] if out["seconds"] else 0
    for k in ("p50_us", "p99_us"):
        out[k] = statistics.median(r[k] for r in results if r.get(k) is not None)
    out["max_us"] = max(r.get("max_us", 0) for r in results)
    for k in ERROR_KEYS:
        out[k] = sum(r.get(k, 0) or 0 for r in results)
    out["bad_example"] = next((r["bad_example"] for r in results if r.get("bad_example")), None)
    return out


def aggregate(points):
    """(era, group, clients, target) -> the point with its rounds combined, and each round's ratio to its baseline."""
    rounds = {}
    for p in points:
        rounds.setdefault((p["era"], p["group"], p["connections"], p["target"]), []).append(p)
    by_round = {(p["era"], p["group"], p["connections"], p["target"], p.get("round", 1)): p for p in points}
    out = {}
    for key, ps in rounds.items():
        first = ps[0]
        agg = dict(first)
        agg["result"] = combine([p["result"] for p in ps])
        for k in ("gateway_cpu_pct", "load_core_pct"):
            agg[k] = statistics.mean(p.get(k, 0) for p in ps)
        if any(p.get("stalled") for p in ps):
            agg["stalled"] = combine([p.get("stalled") for p in ps])
        agg["rounds"] = len(ps)
        ratios = []
        for p in ps:
            b = by_round.get((p["era"], p["group"], p["connections"], p["baseline"], p.get("round", 1)))
            r = ratio(rps_of(p["result"]), rps_of(b["result"]) if b else None)
            if r is not None:
                ratios.append(r)
        agg["round_ratios"] = ratios
        out[key] = agg
    return out


def rps_of(r):
    return None if not r or r.get("failed") or not r.get("requests") else r.get("rps")


def ratio_cell(p, base):
    r = ratio(rps_of(p["result"]), rps_of(base["result"]) if base else None)
    cell = fmt_ratio(r)
    if r is not None and len(p.get("round_ratios", [])) > 1:
        cell += f" ({min(p['round_ratios']):.2f}–{max(p['round_ratios']):.2f})"
    return cell


def main():
    src, out_file = sys.argv[1], sys.argv[2]
    points = load_jsonl(os.path.join(src, "portals.jsonl"))
    with open(os.path.join(src, "meta.json")) as f:
        meta = json.load(f)
    big = max(int(n) for n in meta["members"].split())
    by = aggregate(points)
    eras = [e for e in meta["eras"].split() if any(p["era"] == e for p in points)]
    clients = sorted({p["connections"] for p in points})
    lines = []
    w = lines.append

    def rps(p):
        return rps_of(p["result"]) if p else None

    w("# Portal benchmark" + (" — QUICK smoke run" if meta.get("quick") else ""))
    w("")
    if meta.get("quick"):
        w(f"> **Quick smoke run** (`BENCH_QUICK=1`: {meta['seconds']} s points, {meta['concurrency']} clients, "
          f"{meta['jit_warmup']} s of JIT warm-up). It shows the command works end to end; its ratios are indicative "
          "only. The full run (`bench/portals.sh`) writes `bench/results/portals/PORTALS.md`.")
        w("")
    loads = [float(p["load1"]) for p in points if p.get("load1")]
    w(f"- **Date**: {meta['started']} → {meta['finished']} (UTC)")
    w(f"- **Machine**: {meta['cpu_model']}, {meta['nproc']} cores, {meta['mem_gib']} GiB RAM, Linux {meta['kernel']}; "
      f"load average at start {meta['load_start']}, at end {meta['load_end']}"
      + (f", 1-minute load during the points {min(loads):.2f}–{max(loads):.2f}" if loads else "")
      + (" (**the machine was shared: other work was running**)" if loads and max(loads) >= 1.0 else ""))
    w(f"- **Software**: {meta['java']}; Node {meta['node']}; {meta['wrk']}; gateway commit `{meta['gateway_commit']}`")
    if meta.get("gateway_env"):
        w(f"- **Gateway environment added** (`BENCH_GATEWAY_ENV`): `{meta['gateway_env']}`")
    w(f"- **Command**: `{meta['command']}`")
    w(f"- **Setup**: one gateway (embedded store, client token on, rate limits off, access log off, "
      f"`GATEWAY_UPSTREAM_REQUEST_TIMEOUT_MS={meta['stall_timeout_ms']}`) in front of "
      f"{big} servers `s01` … `s{big:02d}` registered and synced through the management API, {meta['tools_each']} tools each: "
      f"`s01` … `s{big - 1:02d}` on one fast upstream (`bench/upstream/FastUpstream.java --tools {meta['tools_each'] - 4}`, "
      f"a distinct URL `?m=NN` each), `{meta['stalled_member']}` on a second one started with `--stall-calls` "
      f"(it accepts `tools/call` and never answers; lists answer normally). Portals of {meta['members'].replace(' ', ', ')} "
      f"members (`p01`, `p10`, …: the first N servers) created through the portals API.")
    rounds = meta.get("rounds", 1)
    w(f"- **Method**: wrk (one thread, closed loop: each client sends its next request when the previous answer is "
      f"complete; every answer checked for a JSON-RPC result without error) on CPU {meta['load_cpus']} with the upstreams, "
      f"the gateway alone on CPU {meta['target_cpus']}. {meta['seconds']} s per point; {meta['jit_warmup']} s of mixed warm-up "
      f"load before the first point and {meta['warmup']} s per target before each group. Within a group, the baseline and "
      f"its workloads run one after the other at each client count (interleaved"
      + (f", {rounds} rounds: req/s over all rounds, p50/p99 the rounds' median, the ratio's range over the rounds in "
         f"brackets" if rounds > 1 else "")
      + "), and every ratio is against the baseline of the same era, group and client count **in this run** — compare "
        "ratios, not requests/s across runs.")
    w("")

    w("## Goals")
    w("")
    w("| goal | era | clients | ratio | threshold | result |")
    w("|---|---|---:|---:|---:|---|")
    for group, target, baseline, threshold, text in GOALS:
        target = target or f"portal-{big}-list"
        for era in eras:
            for c in clients:
                p, b = by.get((era, group, c, target)), by.get((era, group, c, baseline))
                if p is None or b is None:
                    continue
                r = ratio(rps(p), rps(b))
                bad = errors(p["result"]) + errors(b["result"]) if not p["result"].get("failed") else 1
                verdict = "—" if r is None else ("**pass**" if r >= threshold and not bad else "**miss**" if not bad
                                                  else "**miss** (errors)")
                rr = p.get("round_ratios", [])
                if r is not None and len(rr) > 1 and min(rr) < threshold <= max(rr):
                    verdict += ", the rounds disagree (noise)"
                w(f"| {text.format(big=big)} | {era} | {c} | {ratio_cell(p, b)} | {threshold:.2f}× | {verdict} |")
    w("")
    scale, sizes = [], None
    for era in eras:
        for c in clients:
            pp, wp = by.get((era, "list", c, f"portal-{big}-list")), by.get((era, "list", c, "wide-list"))
            r = ratio(rps(pp), rps(wp))
            if r is not None:
                scale.append(f"{era} at {c} clients {fmt_ratio(r)}")
                sizes = sizes or (pp["result"]["bytes"] / pp["result"]["requests"] / 1024,
                                  wp["result"]["bytes"] / wp["result"]["requests"] / 1024)
    if scale:
        w(f"For scale, the portal of {big}'s tools/list against one server's with as many tools "
          f"(`/mcp/acme/wide`, {big * meta['tools_each']:,} tools, served from the same cache without a merge; answers of "
          f"{sizes[1]:,.0f} KiB against the portal's {sizes[0]:,.0f} KiB): " + "; ".join(scale) + ".")
        w("")
    stall_rows = [p for p in points if p["target"] == "stalled" and p.get("stalled")]
    if stall_rows:
        t = meta["stall_timeout_ms"]
        n = sum(p["stalled"].get("requests", 0) for p in stall_rows if not p["stalled"].get("failed"))
        bad = sum(errors(p["stalled"]) for p in stall_rows if not p["stalled"].get("failed"))
        worst = max((p["stalled"].get("max_us", 0) for p in stall_rows if not p["stalled"].get("failed")), default=0)
        w(f"Calls to the stalled member are bounded by the gateway's **upstream request timeout** "
          f"(`upstream.request_timeout_ms`, `GATEWAY_UPSTREAM_REQUEST_TIMEOUT_MS`, set to {t:,} ms here; the default is "
          f"30,000 ms): over the stalled points, {n} such calls were answered, {bad} of them with an error, the slowest after "
          f"{ms(worst)} ms; each client then called again.")
        w("")

    for group in ("list", "call", "stall"):
        if not any(p["group"] == group for p in points):
            continue
        w(f"## {GROUP_TITLES[group]}")
        w("")
        for era in eras:
            rows = [p for p in points if p["era"] == era and p["group"] == group]
            if not rows:
                continue
            w(f"### {ERA_TITLES.get(era, era)}")
            w("")
            head = ["clients", "workload", "req/s", "p50 ms", "p99 ms", "errors", "gateway CPU %", "load core %",
                    "÷ baseline (req/s)"]
            if group == "list":
                head.insert(2, "KiB / answer")
            if group == "stall":
                head += ["stalled member's calls: answered / p50 ms / max ms / errors"]
            w("| " + " | ".join(head) + " |")
            w("|" + "|".join("---" if h == "workload" or h.startswith("stalled") else "---:" for h in head) + "|")
            order = []
            for p in rows:
                if p["target"] not in order:
                    order.append(p["target"])
            for c in clients:
                for target in order:
                    p = by.get((era, group, c, target))
                    if p is None:
                        continue
                    r = p["result"]
                    base = by.get((era, group, c, p["baseline"]))
                    if r.get("failed"):
                        w(f"| {c} | {describe(target, meta)} | failed |" + " |" * (len(head) - 3))
                        continue
                    cells = [str(c), describe(target, meta), num(r.get("rps")), ms(r.get("p50_us")), ms(r.get("p99_us")),
                             errors_cell(r), num(p.get("gateway_cpu_pct")), num(p.get("load_core_pct")),
                             "—" if target == p["baseline"] else ratio_cell(p, base)]
                    if group == "list":
                        cells.insert(2, num(r.get("bytes", 0) / r["requests"] / 1024, 1) if r.get("requests") else "—")
                    if group == "stall":
                        s = p.get("stalled")
                        if not s:
                            cells.append("—")
                        elif s.get("failed"):
                            cells.append("no result")
                        else:
                            cells.append(f"{s.get('requests', 0)} / {ms(s.get('p50_us'))} / {ms(s.get('max_us'))} / {errors(s)}")
                    w("| " + " | ".join(cells) + " |")
            w("")

    # the measured workloads' bad answers (the stalled member's clients' errors are expected: shown above the table)
    examples = [f"- {p['era']} / {p['group']} / {p['target']} at {p['connections']} clients: {errors(p['result'])} errors, "
                f"first: `{p['result']['bad_example'][:300]}`" for p in points if p["result"].get("bad_example")]
    stalled_examples = [p["stalled"]["bad_example"] for p in stall_rows if p["stalled"].get("bad_example")]
    if stalled_examples:
        w("The stalled member's calls were answered with (first one shown):")
        w("")
        w(f"    {stalled_examples[0][:400]}")
        w("")
    w("## Errors")
    w("")
    w("\n".join(examples) if examples else "None: every answer on the measured workloads was a JSON-RPC result.")
    w("")

    metrics = os.path.join(src, "gateway-metrics.txt")
    if os.path.exists(metrics):
        left = 0.0
        for line in open(metrics):
            m = re.match(r'^mcp_gateway_portal_members_left_out\S*\s+(\S+)', line)
            if m:
                left += float(m.group(1))
        w(f"Members left out of a portal's lists during the run (`mcp_gateway_portal_members_left_out`): {left:.0f}.")
        w("")
    w("*gateway CPU %*: the gateway process's CPU time over the point (100 = its whole core); *load core %*: how busy "
      f"CPU {meta['load_cpus']} was (wrk and the upstreams; other processes too, on a shared machine). The side near 100 is the "
      "one that limited the point.")
    w("")
    w("Raw data beside this file: `portals.jsonl` (one line per point: wrk's result, the gateway's CPU, both cores' "
      "utilisation, the load average; on the stalled point, the stalled member's clients' own result), `meta.json`, "
      "`gateway-metrics.txt` (the gateway's `/metrics` at the end).")
    w("")
    with open(out_file, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
