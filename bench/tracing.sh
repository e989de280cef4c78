#!/usr/bin/env bash
# What tracing costs a call, in one command:   bench/tracing.sh        (BENCH_QUICK=1: a ~1 minute smoke run)
#
# Three gateways from the same jar, each with one server on the fast upstream (bench/upstream), differing only
# in their OTEL_* environment:
#   off     no OTEL_* at all (tracing off: no SDK, Vert.x without a tracer)
#   all     OTLP/HTTP to a local sink, every trace sampled (OTEL_TRACES_SAMPLER=always_on)
#   1pct    the same, 1 % of traces sampled (OTEL_TRACES_SAMPLER=traceidratio, OTEL_TRACES_SAMPLER_ARG=0.01)
# The sink (bench/lib/otlp-sink.py) answers 200 to every export and counts them. 2026-07-28 tools/call load
# (wrk, bench/wrk/mcp.lua), the three alternating point by point in one run, each loaded alone: the ratios
# all/off and 1pct/off are what tracing costs. Writes $BENCH_OUT/TRACING.md (also printed) and tracing.jsonl
# beside it. Stops by itself; every process it starts is stopped on exit.
#
# Settings (environment):
#   BENCH_SECONDS=10   BENCH_WARMUP=3   BENCH_JIT_WARMUP=30   BENCH_CONCURRENCY="16 64"   BENCH_ROUNDS=3
#   BENCH_TARGET_CPUS=0  BENCH_LOAD_CPUS=1   BENCH_PORT_BASE=19700   BENCH_OUT=bench/results/tracing
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
# shellcheck source=../scripts/lib/java.sh
source "$ROOT/scripts/lib/java.sh"
COMMAND="bench/tracing.sh${*:+ $*}"

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  : "${BENCH_SECONDS:=2}" "${BENCH_WARMUP:=1}" "${BENCH_JIT_WARMUP:=8}" "${BENCH_CONCURRENCY:=16}" "${BENCH_ROUNDS:=2}"
  : "${BENCH_OUT:=$BENCH/results/tracing/quick}"
fi
SECS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-3}
JIT_WARMUP=${BENCH_JIT_WARMUP:-30}
CONCURRENCY=${BENCH_CONCURRENCY:-16 64}
ROUNDS=${BENCH_ROUNDS:-3}
TCPU=${BENCH_TARGET_CPUS:-0}
LCPU=${BENCH_LOAD_CPUS:-1}
OUT=${BENCH_OUT:-$BENCH/results/tracing}
BASE=${BENCH_PORT_BASE:-19700}
TIMEOUT=10
VERSION=2026-07-28

P_FAST=$((BASE + 1)) P_SINK=$((BASE + 2))
declare -A P_GW=([off]=$((BASE + 80)) [all]=$((BASE + 81)) [1pct]=$((BASE + 82)))
MODES="off all 1pct"
ADMIN=bench-admin-secret
AGENT=bench-agent-secret
JAR=$ROOT/target/mcp-gateway.jar
GW_JAR=$JAR
GW_ENV=()
RUN=$(mktemp -d /tmp/mcp-tracing-bench.XXXXXX)
mkdir -p "$RUN/logs" "$RUN/classes"
RESULTS=$RUN/tracing.jsonl
: >"$RESULTS"
declare -A PID=()

# shellcheck source=lib/common.sh
source "$BENCH/lib/common.sh"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ ${#PID[@]} -gt 0 ]] && stop_bg "${!PID[@]}"
  [[ $rc -ne 0 ]] && log "failed (exit $rc); logs in $RUN/logs"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null || { log "needs wrk (apt-get install wrk)"; exit 1; }
if [[ ! -f "$JAR" || -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]]; then
  log "building the gateway jar"
  (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
fi
javac -nowarn -cp "$JAR" -d "$RUN/classes" "$BENCH/upstream/FastUpstream.java"

start_upstream fast $P_FAST
start_bg sink "$LCPU" python3 "$BENCH/lib/otlp-sink.py" $P_SINK "$RUN/sink-count"
wait_log sink "listening"
SINK=http://127.0.0.1:$P_SINK/v1/traces
start_gateway off ${P_GW[off]} "$RUN/data-off" GATEWAY_SYNC_ON_CREATE=false
start_gateway all ${P_GW[all]} "$RUN/data-all" GATEWAY_SYNC_ON_CREATE=false OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=$SINK \
  OTEL_TRACES_SAMPLER=always_on
start_gateway 1pct ${P_GW[1pct]} "$RUN/data-1pct" GATEWAY_SYNC_ON_CREATE=false OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=$SINK \
  OTEL_TRACES_SAMPLER=traceidratio OTEL_TRACES_SAMPLER_ARG=0.01
for mode in $MODES; do register "${P_GW[$mode]}" s01 "http://127.0.0.1:$P_FAST/mcp" '[]'; done

wrk_run() { # mode connections seconds -> the BENCH_RESULT json
  local out line
  out=$(MCP_WORKLOAD=call MCP_TOOL=echo MCP_TOKEN=$AGENT MCP_VERSION=$VERSION \
    taskset -c "$LCPU" wrk -t1 -c"$2" -d"${3}s" --timeout "${TIMEOUT}s" -s "$BENCH/wrk/mcp.lua" "http://127.0.0.1:${P_GW[$1]}/mcp/acme/s01" 2>&1) || true
  line=$(grep -m1 '^BENCH_RESULT ' <<<"$out" | sed 's/^BENCH_RESULT //') || true
  echo "${line:-{\"requests\":0,\"failed\":true\}}"
}
for mode in $MODES; do
  check=$(wrk_run "$mode" 1 1)
  python3 -c 'import json, sys; r = json.loads(sys.argv[1]); sys.exit(0 if r.get("requests", 0) > 0 and not r.get("failed") and r.get("errors", 0) == 0 else 1)' "$check" \
    || { log "$mode calls fail: $check"; exit 1; }
done
log "warming the gateways up (${JIT_WARMUP}s each)"
for mode in $MODES; do wrk_run "$mode" 16 "$JIT_WARMUP" >/dev/null; done
[[ "$(cat "$RUN/sink-count")" -gt 0 ]] || { log "the sink received no export: tracing is not on"; exit 1; }

for conns in $CONCURRENCY; do
  for ((round = 1; round <= ROUNDS; round++)); do
    for mode in $MODES; do
      wrk_run "$mode" "$conns" "$WARMUP" >/dev/null
      result=$(wrk_run "$mode" "$conns" "$SECS")
      echo "{\"mode\":\"$mode\",\"clients\":$conns,\"round\":$round,\"result\":$result}" >>"$RESULTS"
      log "$mode, $conns clients, round $round: $(python3 -c 'import json, sys; print(round(json.loads(sys.argv[1]).get("requests", 0) / float(sys.argv[2])), "req/s")' "$result" "$SECS")"
    done
  done
done

mkdir -p "$OUT"
cp "$RESULTS" "$OUT/tracing.jsonl"
python3 - "$RESULTS" "$SECS" "$COMMAND" "$(date -u +%FT%TZ)" "$(cat "$RUN/sink-count")" >"$OUT/TRACING.md" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
secs = float(sys.argv[2])
print("# Tracing cost per call\n")
print(f"`{sys.argv[3]}`, {sys.argv[4]}: 2026-07-28 `tools/call` through three gateways (tracing off; OTLP with every trace "
      f"sampled; 1 % sampled) to the fast upstream, {secs:g} s per point, alternating in one run, each loaded alone. "
      f"The sink took {sys.argv[5]} exports.\n")
print("| clients | round | off req/s | all sampled req/s | ratio | 1 % sampled req/s | ratio |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
ratios = {}
for clients in sorted({r["clients"] for r in rows}):
    for rnd in sorted({r["round"] for r in rows if r["clients"] == clients}):
        rate = lambda mode: next(r["result"] for r in rows if r["clients"] == clients and r["round"] == rnd and r["mode"] == mode).get("requests", 0) / secs
        off, all_, pct = rate("off"), rate("all"), rate("1pct")
        ra, rp = (all_ / off if off else 0), (pct / off if off else 0)
        ratios.setdefault((clients, "all"), []).append(ra)
        ratios.setdefault((clients, "1pct"), []).append(rp)
        print(f"| {clients} | {rnd} | {off:,.0f} | {all_:,.0f} | {ra:.2f}x | {pct:,.0f} | {rp:.2f}x |")
print()
for (clients, mode), values in sorted(ratios.items()):
    label = "every trace sampled" if mode == "all" else "1 % sampled"
    print(f"- {clients} clients, {label}: median {statistics.median(values):.2f}x of tracing off over {len(values)} rounds")
PY
cat "$OUT/TRACING.md"
