#!/usr/bin/env python3
"""Side-by-side tables of several bench/run.sh runs (e.g. a gateway before and after a change).

    python3 bench/lib/compare.py BASELINE_LABEL=DIR LABEL=DIR ...

Each DIR is a run's BENCH_OUT (or its results/ folder). Prints Markdown: one table per (upstream,
workload), one row per (clients, target), for every run: requests/s, p50 / p99 (ms), the ratio of
requests/s and of p99 to the first run's, the TCP connections opened during the point beyond the
load generator's own (ActiveOpens delta minus the number of clients: for a proxy, the connections
it opened to the upstream) and, on the gateway rows, the mean wait for a pooled upstream connection
(vertx_pool_queue_time_seconds). Standard library only.
"""
import os
import sys

from report import load_jsonl, ms  # the run report's readers and formats, so both print alike

TITLES = {
    ("fast", "call"): "tools/call, small JSON result, fast upstream",
    ("fast", "stream"): "tools/call streaming 100 progress events then the result (SSE answer), fast upstream",
    ("fast", "list"): "tools/list, fast upstream",
    ("fast", "big"): "tools/call returning 1 MiB, fast upstream",
    ("fast", "session"): "whole sessions, fast upstream",
    ("everything", "call"): "tools/call on server-everything (SSE answers)",
    ("everything", "list"): "tools/list on server-everything",
}


def load(d):
    for path in (os.path.join(d, "results", "results.jsonl"), os.path.join(d, "results.jsonl")):
        if os.path.exists(path):
            return load_jsonl(path)
    sys.exit(f"no results.jsonl in {d}")


def main(args):
    runs = []
    for a in args:
        label, _, d = a.partition("=")
        runs.append((label, {(p["phase"], p["workload"], p["connections"], p["target"]): p for p in load(d)}))
    base_label, base = runs[0]
    keys = []
    for _, pts in runs:
        for k in pts:
            if k not in keys:
                keys.append(k)
    groups = []
    for k in keys:
        if k[:2] not in groups:
            groups.append(k[:2])
    out = []
    for phase, workload in groups:
        out.append(f"#### {TITLES.get((phase, workload), phase + ' ' + workload)}\n")
        head = ["clients", "target"]
        for label, _ in runs:
            head.append(f"{label} req/s")
        for label, _ in runs[1:]:
            head.append(f"{label} ÷ {base_label} req/s")
        for label, _ in runs:
            head.append(f"{label} p50 / p99 ms")
        for label, _ in runs[1:]:
            head.append(f"{label} ÷ {base_label} p99")
        head.append("new TCP connections beyond the clients' (" + " / ".join(l for l, _ in runs) + ")")
        head.append("gateway: mean pool wait ms (" + " / ".join(l for l, _ in runs) + ")")
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + " --- |" * len(head))
        rows = sorted({(k[2], k[3]) for k in keys if k[:2] == (phase, workload)},
                      key=lambda r: (r[0], ["direct", "gateway", "nginx"].index(r[1]) if r[1] in ("direct", "gateway", "nginx") else 9))
        for conns, target in rows:
            pts = [pts.get((phase, workload, conns, target)) for _, pts in runs]
            res = [p["result"] if p else {} for p in pts]
            b = res[0]
            cells = [str(conns), target]
            cells += [f"{r['rps']:,.0f}" if r.get("rps") is not None else "—" for r in res]
            for r in res[1:]:
                cells.append(f"{r['rps'] / b['rps']:.2f}×" if r.get("rps") and b.get("rps") else "—")
            cells += [f"{ms(r.get('p50_us'))} / {ms(r.get('p99_us'))}" for r in res]
            for r in res[1:]:
                cells.append(f"{r['p99_us'] / b['p99_us']:.2f}×" if r.get("p99_us") and b.get("p99_us") else "—")
            cells.append(" / ".join(f"{p['tcp_active_opens'] - conns:,}" if p and "tcp_active_opens" in p else "—" for p in pts))
            if target == "gateway":
                cells.append(" / ".join(f"{p['pool_wait_mean_ms']:.2f}" if p and "pool_wait_mean_ms" in p else "—" for p in pts))
            else:
                cells.append("")
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1:])
