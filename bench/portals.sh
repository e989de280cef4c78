#!/usr/bin/env bash
# The portal benchmark, in one command:   bench/portals.sh        (BENCH_QUICK=1: a ~2-3 minute smoke run)
#
# One gateway, 50 servers registered and synced through the management API (20 tools each: the fast
# upstream with --tools 16), portals of 1, 10 and 50 of them created through the portals API, and
# each portal workload measured against its baseline in the same run, point by point:
#   list   tools/list of a portal with 1, 10, 50 members (from the cache)  vs  tools/list of one server
#   call   tools/call of s01_echo through the portal (by path, and by Host)  vs  echo on /mcp/acme/s01
#   stall  calls spread over the 49 healthy members while clients keep calling the stalled one
#          (its upstream takes tools/call and never answers)  vs  the same calls with no one stalled
# in both agent eras (session: 2025-11-25 with sessions opened beforehand; stateless: 2026-07-28).
# Writes $BENCH_OUT/PORTALS.md (also printed) and the raw data beside it (portals.jsonl, meta.json,
# gateway-metrics.txt). Stops by itself; every process it starts is stopped on exit. See bench/README.md.
#
# Settings (environment):
#   BENCH_SECONDS=10  measured seconds per point       BENCH_WARMUP=3  seconds of load per target before each group
#   BENCH_JIT_WARMUP=30  seconds of mixed load before anything is measured (HotSpot on one core needs ~30 s)
#   BENCH_CONCURRENCY="16 64"   clients per point      BENCH_ERAS="session stateless"
#   BENCH_ROUNDS=2          each (baseline, workloads…) sequence repeated, alternating, at each client count (quick: 2 rounds of 2 s)
#   BENCH_GROUPS="list call stall"                       BENCH_MEMBERS="1 10 50"  portal sizes (the largest >= 2)
#   BENCH_STALL_CLIENTS=8   clients calling the stalled member during the stalled point
#   BENCH_STALL_TIMEOUT_MS=2000   the gateway's upstream.request_timeout_ms (GATEWAY_UPSTREAM_REQUEST_TIMEOUT_MS):
#                           what bounds a call to the stalled member (the gateway's default is 30000)
#   BENCH_TARGET_CPUS=0  BENCH_LOAD_CPUS=1   cores for the gateway / for wrk and the upstreams
#   BENCH_PORT_BASE=19400   BENCH_OUT=bench/results/portals (quick: bench/results/portals/quick)
#   BENCH_GATEWAY_JAR, BENCH_GATEWAY_ENV   as in bench/run.sh
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
# shellcheck source=../scripts/lib/java.sh
source "$ROOT/scripts/lib/java.sh"
COMMAND="bench/portals.sh${*:+ $*}"
ENV_SHOWN=$(env | grep -E '^BENCH_' | sort | tr '\n' ' ' || true)

QUICK=${BENCH_QUICK:-0}
if [[ "$QUICK" == 1 ]]; then
  : "${BENCH_SECONDS:=2}" "${BENCH_WARMUP:=1}" "${BENCH_JIT_WARMUP:=12}" "${BENCH_CONCURRENCY:=16}" "${BENCH_ROUNDS:=2}"
  : "${BENCH_OUT:=$BENCH/results/portals/quick}"
fi
SECS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-3}
JIT_WARMUP=${BENCH_JIT_WARMUP:-30}
CONCURRENCY=${BENCH_CONCURRENCY:-16 64}
ROUNDS=${BENCH_ROUNDS:-2}
ERAS=${BENCH_ERAS:-session stateless}
GROUPS_RUN=${BENCH_GROUPS:-list call stall}
MEMBERS=${BENCH_MEMBERS:-1 10 50}
STALL_CLIENTS=${BENCH_STALL_CLIENTS:-8}
STALL_TIMEOUT_MS=${BENCH_STALL_TIMEOUT_MS:-2000}
TCPU=${BENCH_TARGET_CPUS:-0}
LCPU=${BENCH_LOAD_CPUS:-1}
OUT=${BENCH_OUT:-$BENCH/results/portals}
BASE=${BENCH_PORT_BASE:-19400}
TIMEOUT=10        # seconds: a request slower than this counts as a timeout (wrk)
TOOLS_EACH=20     # tools per member: the fast upstream's echo, hidden, big, stream + 16 generated
BUILT_IN_TOOLS=3  # the portal's own: portal_list_servers, portal_toggle_single_server, portal_toggle_servers
STATELESS_VERSION=2026-07-28

P_FAST=$((BASE + 1)) P_STALL=$((BASE + 2)) P_WIDE=$((BASE + 3)) P_GW=$((BASE + 80))
ADMIN=bench-admin-secret
AGENT=bench-agent-secret
ACCOUNT=acme
JAR=$ROOT/target/mcp-gateway.jar
GW_JAR=$(realpath -m "${BENCH_GATEWAY_JAR:-$JAR}")
read -r -a GW_ENV <<<"${BENCH_GATEWAY_ENV:-}"
RUN=$(mktemp -d /tmp/mcp-portals-bench.XXXXXX)
mkdir -p "$RUN/logs" "$RUN/sessions" "$RUN/classes"
RESULTS=$RUN/portals.jsonl
: >"$RESULTS"
MAX_MEMBERS=$(tr ' ' '\n' <<<"$MEMBERS" | sort -n | tail -1)
((MAX_MEMBERS >= 2)) || { echo "BENCH_MEMBERS: the largest portal needs at least 2 members (one of them is stalled)" >&2; exit 2; }
STALLED=$(printf 's%02d' "$MAX_MEMBERS")   # the last member of the largest portal: on the stalling upstream
MAX_CLIENTS=$(tr ' ' '\n' <<<"$CONCURRENCY" | sort -n | tail -1)

# shellcheck source=lib/common.sh
source "$BENCH/lib/common.sh"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "${STALL_LOAD:-}" ]] && kill "$STALL_LOAD" 2>/dev/null
  [[ ${#PID[@]} -gt 0 ]] && stop_bg "${!PID[@]}"
  [[ $rc -ne 0 ]] && log "failed (exit $rc); logs in $RUN/logs"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ preparation
prepare() {
  command -v java >/dev/null || { log "needs a JDK 25+"; exit 1; }
  command -v node >/dev/null || { log "needs Node 20+ (bench/lib/open-sessions.mjs)"; exit 1; }
  if ! command -v wrk >/dev/null; then
    log "installing wrk (apt)"
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
  fi
  if [[ ! -f "$JAR" || -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]]; then
    log "building the gateway jar"
    (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
  fi
  [[ -f "$GW_JAR" ]] || { log "no gateway jar at $GW_JAR (BENCH_GATEWAY_JAR)"; exit 1; }
  javac -nowarn -cp "$JAR" -d "$RUN/classes" "$BENCH/upstream/FastUpstream.java"
}

# ------------------------------------------------------------------ servers and portals
member_url() { # n -> the member's upstream URL: one fast upstream, a distinct URL per member; the last one stalls
  if (($1 == MAX_MEMBERS)); then echo "http://127.0.0.1:$P_STALL/mcp"; else printf 'http://127.0.0.1:%d/mcp?m=%02d' "$P_FAST" "$1"; fi
}
create_portal() { # members
  local n=$1 id servers="" i
  id=$(printf 'p%02d' "$n")
  for ((i = 1; i <= n; i++)); do servers+=$(printf '%s{"server_id":"s%02d"}' "${servers:+,}" "$i"); done
  api POST "http://127.0.0.1:$P_GW/accounts/$ACCOUNT/access/ai-controls/mcp/portals" \
    "{\"id\":\"$id\",\"name\":\"Bench portal of $n\",\"hostname\":\"$id.portals.bench.test\",\"servers\":[$servers]}" >/dev/null \
    || { log "creating portal $id failed"; return 1; }
}
count_tools() { # url -> number of tools in a stateless tools/list
  curl -sS "$1" -H "Authorization: Bearer $AGENT" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H "MCP-Protocol-Version: $STATELESS_VERSION" -H 'Mcp-Method: tools/list' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"$STATELESS_VERSION\",\"io.modelcontextprotocol/clientCapabilities\":{}}}}" |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin)["result"]["tools"]))'
}
setup() {
  log "upstreams: fast (:$P_FAST, $TOOLS_EACH tools), stalling (:$P_STALL, tools/call never answered), wide (:$P_WIDE, $((MAX_MEMBERS * TOOLS_EACH)) tools)"
  start_upstream fast $P_FAST --tools $((TOOLS_EACH - 4))
  start_upstream stall $P_STALL --tools $((TOOLS_EACH - 4)) --stall-calls
  start_upstream wide $P_WIDE --tools $((MAX_MEMBERS * TOOLS_EACH - 4))
  start_gateway gateway $P_GW "$RUN/gateway-data" GATEWAY_SYNC_ON_CREATE=false GATEWAY_UPSTREAM_REQUEST_TIMEOUT_MS="$STALL_TIMEOUT_MS"
  log "registering and syncing $MAX_MEMBERS servers (s01 … $STALLED) and the $((MAX_MEMBERS * TOOLS_EACH))-tool reference server (wide)"
  local i
  for ((i = 1; i <= MAX_MEMBERS; i++)); do register $P_GW "$(printf 's%02d' "$i")" "$(member_url "$i")" '[]'; done
  register $P_GW wide "http://127.0.0.1:$P_WIDE/mcp" '[]'
  local n got
  for n in $MEMBERS; do
    create_portal "$n"
    got=$(count_tools "http://127.0.0.1:$P_GW/mcp/$ACCOUNT/portals/$(printf 'p%02d' "$n")")
    # every member's tools, plus the portal's own built-in tools
    [[ "$got" == $((n * TOOLS_EACH + BUILT_IN_TOOLS)) ]] || { log "portal of $n lists $got tools, not $((n * TOOLS_EACH + BUILT_IN_TOOLS))"; return 1; }
  done
  log "portals of $MEMBERS members created (tools/list checked)"
}

# ------------------------------------------------------------------ targets and load
# A target: label -> URL, TOOL (MCP_TOOL), HEADER (MCP_HEADER), WORKLOAD; SESSION_URL: where its sessions are opened
# (the portal's path for the Host-routed target: Node's fetch does not send a Host header of our choosing; a
# portal session is bound to the portal and the client token, not to the route it was opened on)
target_env() {
  HEADER="" TOOL=echo WORKLOAD=call TOOL_LABEL="" SESSION_URL=""
  local big; big=$(printf 'p%02d' "$MAX_MEMBERS")
  case $1 in
    server-list) URL=http://127.0.0.1:$P_GW/mcp/$ACCOUNT/s01 WORKLOAD=list ;;
    wide-list) URL=http://127.0.0.1:$P_GW/mcp/$ACCOUNT/wide WORKLOAD=list ;;
    portal-*-list) local n=${1#portal-}; n=${n%-list}; URL=http://127.0.0.1:$P_GW/mcp/$ACCOUNT/portals/$(printf 'p%02d' "$n") WORKLOAD=list ;;
    server-call) URL=http://127.0.0.1:$P_GW/mcp/$ACCOUNT/s01 ;;
    portal-call) URL=http://127.0.0.1:$P_GW/mcp/$ACCOUNT/portals/$big TOOL=s01_echo ;;
    portal-host-call) URL=http://127.0.0.1:$P_GW/mcp HEADER="Host: $big.portals.bench.test" TOOL=s01_echo
      SESSION_URL=http://127.0.0.1:$P_GW/mcp/$ACCOUNT/portals/$big ;;
    healthy-calls) URL=http://127.0.0.1:$P_GW/mcp/$ACCOUNT/portals/$big TOOL=$(seq -f 's%02g_echo' 1 $((MAX_MEMBERS - 1)) | paste -sd,)
      TOOL_LABEL="s01_echo … $(printf 's%02d' $((MAX_MEMBERS - 1)))_echo in turn" ;;
    stalled-calls) URL=http://127.0.0.1:$P_GW/mcp/$ACCOUNT/portals/$big TOOL=${STALLED}_echo ;;
    *) log "unknown target $1"; return 1 ;;
  esac
  SESSION_URL=${SESSION_URL:-$URL}
}
# The session file a target's clients use (session era: opened beforehand, spread round-robin; stateless: none)
SESSIONS_FOR() { echo "$RUN/sessions/$1-$2.txt"; }
open_sessions() { # era target count
  local file; file=$(SESSIONS_FOR "$1" "$2")
  target_env "$2"
  if [[ $1 == session ]]; then
    taskset -c "$LCPU" node "$BENCH/lib/open-sessions.mjs" "$SESSION_URL" "$3" "$AGENT" >"$file" 2>>"$RUN/logs/sessions.log" \
      || { log "opening sessions on $2 failed: $(tail -1 "$RUN/logs/sessions.log")"; return 1; }
  else
    : >"$file"
  fi
}
close_sessions() { # era target
  local file; file=$(SESSIONS_FOR "$1" "$2")
  target_env "$2"
  [[ $1 == session && -s "$file" ]] && taskset -c "$LCPU" node "$BENCH/lib/open-sessions.mjs" \
    "$SESSION_URL" 0 "$AGENT" --close <"$file" 2>>"$RUN/logs/sessions.log"
  return 0
}

wrk_run() { # era target connections seconds -> the BENCH_RESULT json
  local era=$1 target=$2 conns=$3 secs=$4 out line version=2025-11-25
  [[ $era == stateless ]] && version=$STATELESS_VERSION
  target_env "$target"
  out=$(MCP_WORKLOAD=$WORKLOAD MCP_TOOL=$TOOL MCP_TOKEN=$AGENT MCP_HEADER="$HEADER" MCP_VERSION=$version \
    MCP_SESSIONS_FILE="$(SESSIONS_FOR "$era" "$target")" \
    taskset -c "$LCPU" wrk -t1 -c"$conns" -d"${secs}s" --timeout "${TIMEOUT}s" -s "$BENCH/wrk/mcp.lua" "$URL" 2>&1) || true
  line=$(grep -m1 '^BENCH_RESULT ' <<<"$out" | sed 's/^BENCH_RESULT //') || true
  if [[ -z "$line" ]]; then
    log "no result from $era/$target/$conns: $(tail -3 <<<"$out")"
    line='{"requests":0,"failed":true}'
  fi
  echo "$line"
}

# One measured point: the target's load for SECS seconds (for "stalled": with STALL_CLIENTS more clients
# calling the stalled member throughout, started half a second before and ended after it).
point() { # era group target baseline-target connections round
  local era=$1 group=$2 target=$3 baseline=$4 conns=$5 round=$6 measured=$3 stall_file="" t0 t1 c0 c1 s0 s1
  [[ $target == stalled ]] && measured=healthy-calls
  [[ $target == unstalled ]] && measured=healthy-calls
  if [[ $target == stalled ]]; then
    stall_file=$RUN/stall.json
    (wrk_run "$era" stalled-calls "$STALL_CLIENTS" $((SECS + 1)) >"$stall_file") &
    STALL_LOAD=$!
    sleep 0.5
  fi
  t0=$(ticks "${PID[gateway]}")
  read -r -a c0 <<<"$(core_busy "$TCPU") $(core_busy "$LCPU")"
  s0=$(date +%s.%N)
  local result; result=$(wrk_run "$era" "$measured" "$conns" "$SECS")
  s1=$(date +%s.%N)
  t1=$(ticks "${PID[gateway]}")
  read -r -a c1 <<<"$(core_busy "$TCPU") $(core_busy "$LCPU")"
  local stalled=""
  if [[ -n "$stall_file" ]]; then
    wait "$STALL_LOAD" 2>/dev/null || true
    STALL_LOAD=""
    stalled=",\"stalled_clients\":$STALL_CLIENTS,\"stalled\":$(cat "$stall_file")"
  fi
  local cpu core0 core1
  cpu=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v a="$s0" -v b="$s1" 'BEGIN { printf "%.1f", 100 * d / hz / (b - a) }')
  core0=$(awk -v b=$((c1[0] - c0[0])) -v t=$((c1[1] - c0[1])) 'BEGIN { printf "%.1f", t ? 100 * b / t : 0 }')
  core1=$(awk -v b=$((c1[2] - c0[2])) -v t=$((c1[3] - c0[3])) 'BEGIN { printf "%.1f", t ? 100 * b / t : 0 }')
  target_env "$measured"
  printf '{"era":"%s","group":"%s","target":"%s","baseline":"%s","connections":%d,"round":%d,"url":"%s","tool":"%s","header":"%s","gateway_cpu_pct":%s,"target_core_pct":%s,"load_core_pct":%s,"load1":"%s","result":%s%s}\n' \
    "$era" "$group" "$target" "$baseline" "$conns" "$round" "$URL" "$([[ $WORKLOAD == list ]] && echo "" || echo "${TOOL_LABEL:-$TOOL}")" "$HEADER" \
    "$cpu" "$core0" "$core1" "$(cut -d' ' -f1 /proc/loadavg)" "$result" "$stalled" >>"$RESULTS"
  log "  $era $group c=$conns$( ((ROUNDS > 1)) && echo " round $round") $target: $(grep -o '"rps":[0-9.]*' <<<"$result" | head -1) $(grep -o '"p99_us":[0-9]*' <<<"$result" | head -1) bad=$(grep -o '"bad":[0-9]*' <<<"$result" | head -1 | cut -d: -f2) gateway cpu=$cpu%${stalled:+ stalled: $(grep -o '"requests":[0-9]*' "$stall_file") $(grep -o '"p50_us":[0-9]*' "$stall_file")}"
}

# What each group measures: its targets, the first one the baseline of the others.
group_targets() {
  case $1 in
    list) echo "server-list $(for n in $MEMBERS; do printf 'portal-%d-list ' "$n"; done)wide-list" ;;
    call) echo "server-call portal-call portal-host-call" ;;
    stall) echo "unstalled stalled" ;;
  esac
}
load_target() { # group target -> the target whose URL carries the load (stall's two points both load the healthy members)
  case $2 in unstalled | stalled) echo healthy-calls ;; *) echo "$2" ;; esac
}

# Per era and group: sessions opened, every target warmed up, then for each concurrency, ROUNDS times, every
# target in turn, the baseline first (interleaved, so that drifting background load hits baseline and portal alike).
measure_era() { # era
  local era=$1 group target c
  for group in $GROUPS_RUN; do
    local loaded=() t
    for target in $(group_targets "$group"); do
      t=$(load_target "$group" "$target")
      [[ " ${loaded[*]-} " == *" $t "* ]] || loaded+=("$t")
    done
    [[ $group == stall ]] && loaded+=(stalled-calls)
    for t in "${loaded[@]}"; do open_sessions "$era" "$t" "$MAX_CLIENTS"; done
    for t in "${loaded[@]}"; do [[ $t == stalled-calls ]] || wrk_run "$era" "$t" 16 "$WARMUP" >/dev/null; done
    local targets; read -r -a targets <<<"$(group_targets "$group")"
    local r
    for c in $CONCURRENCY; do
      for ((r = 1; r <= ROUNDS; r++)); do
        for target in "${targets[@]}"; do point "$era" "$group" "$target" "${targets[0]}" "$c" "$r"; done
      done
    done
    for t in "${loaded[@]}"; do close_sessions "$era" "$t"; done
  done
}

# Before anything is measured: mixed load (lists of the largest portal and of one server, calls through
# the portal and direct), so that HotSpot has compiled the hot paths. Not recorded.
jit_warmup() {
  local per era t targets=(portal-${MAX_MEMBERS}-list server-list portal-call server-call healthy-calls)
  per=$((JIT_WARMUP / (${#targets[@]} * $(wc -w <<<"$ERAS"))))
  ((per < 1)) && per=1
  log "warming the gateway up (${JIT_WARMUP}s of mixed load)"
  for era in $ERAS; do
    for t in "${targets[@]}"; do
      open_sessions "$era" "$t" 16
      wrk_run "$era" "$t" 16 "$per" >/dev/null
      close_sessions "$era" "$t"
    done
  done
}

# ------------------------------------------------------------------ main
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
prepare
log "run directory $RUN"
setup
jit_warmup
for era in $ERAS; do
  log "$era era: $GROUPS_RUN; clients $CONCURRENCY; ${SECS}s per point"
  measure_era "$era"
done
curl -s "http://127.0.0.1:$P_GW/metrics" >"$RUN/gateway-metrics.txt" || true
stop_bg gateway fast stall wide
FINISHED=$(date -u +%Y-%m-%dT%H:%M:%SZ)

cat >"$RUN/meta.json" <<EOF
{"started":"$STARTED","finished":"$FINISHED","command":"${ENV_SHOWN}$COMMAND","quick":$([[ $QUICK == 1 ]] && echo true || echo false),
 "host":"$(hostname)","kernel":"$(uname -r)","cpu_model":"$(lscpu | sed -n 's/^Model name: *//p' | head -1)",
 "nproc":$(nproc),"mem_gib":$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo),
 "java":"$(java -version 2>&1 | head -1 | tr -d '"')","node":"$(node -v)","wrk":"$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)",
 "gateway_commit":"$(git -C "$(dirname "$GW_JAR")" rev-parse --short HEAD 2>/dev/null || echo unknown)",
 "gateway_jar":"$GW_JAR","gateway_env":"${BENCH_GATEWAY_ENV:-}",
 "seconds":$SECS,"rounds":$ROUNDS,"warmup":$WARMUP,"jit_warmup":$JIT_WARMUP,"concurrency":"$CONCURRENCY","eras":"$ERAS","members":"$MEMBERS",
 "tools_each":$TOOLS_EACH,"stalled_member":"$STALLED","stall_clients":$STALL_CLIENTS,"stall_timeout_ms":$STALL_TIMEOUT_MS,
 "target_cpus":"$TCPU","load_cpus":"$LCPU","timeout":$TIMEOUT,
 "load_start":"$LOAD_START","load_end":"$(cut -d' ' -f1-3 /proc/loadavg)"}
EOF
mkdir -p "$OUT"
cp "$RUN/portals.jsonl" "$RUN/meta.json" "$OUT/"
[[ -s "$RUN/gateway-metrics.txt" ]] && cp "$RUN/gateway-metrics.txt" "$OUT/"
python3 "$BENCH/lib/portals-report.py" "$OUT" "$OUT/PORTALS.md"
cat "$OUT/PORTALS.md"
log "done: $OUT/PORTALS.md ($(( $(date +%s) - $(date -d "$STARTED" +%s) )) s)"
