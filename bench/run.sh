#!/usr/bin/env bash
# The benchmark, in one command:   bench/run.sh
#
# On loopback, against the same upstream, measures the agent load straight to the upstream (direct),
# through mcp-gateway, through Debian's nginx, and through the npm MCP proxies (civic passthrough,
# mcp-proxy, mcp-hub); then idle sessions and the control plane. Writes bench/RESULTS.md and
# bench/latency-vs-concurrency.png (raw data in bench/results/). Stops by itself; every process it
# starts is stopped on exit. See bench/README.md.
#
# Settings (environment):
#   BENCH_SECONDS=10        measured seconds per point        BENCH_WARMUP=3  warm-up seconds per target and workload
#   BENCH_JIT_WARMUP=30     seconds of mixed load that warm each JIT-compiled target up before anything is measured
#                           (the gateway's; the Node peers and the upstream get a third of it)
#   BENCH_CONCURRENCY="1 16 64 256"                           BENCH_WORKLOADS="call list big stream session"
#   BENCH_TARGETS="direct gateway nginx civic mcp-proxy mcp-hub"
#   BENCH_EVERYTHING_WORKLOADS="call list"   workloads of the realistic run against server-everything ("" to skip)
#   BENCH_IDLE_SESSIONS=10000           BENCH_IDLE_PEERS="civic mcp-proxy" ("" to skip the peers' idle test)
#   BENCH_SERVERS=10000  BENCH_SYNC_TOOLS=1000   BENCH_STORES="embedded postgres"
#   PG_URL (default postgresql://postgres@127.0.0.1:5432/test)
#   BENCH_TARGET_CPUS=0  BENCH_LOAD_CPUS=1   cores for the targets under test / for load generator + upstream
#   BENCH_PORT_BASE=19000   BENCH_OUT=bench (where RESULTS.md goes)   BENCH_QUICK=1: a short smoke run
#   BENCH_GATEWAY_JAR=target/mcp-gateway.jar   the gateway jar under test, e.g. another commit's build (not rebuilt
#                           when set; the upstream and the load tools still run from this tree's target/mcp-gateway.jar)
#   BENCH_GATEWAY_ENV=""    extra KEY=VALUE words (space-separated) in the environment of every gateway started,
#                           e.g. BENCH_GATEWAY_ENV="GATEWAY_UPSTREAM_MAX_CONNECTIONS=128"
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
# shellcheck source=../scripts/lib/java.sh
source "$ROOT/scripts/lib/java.sh"
COMMAND="bench/run.sh${*:+ $*}"
ENV_SHOWN=$(env | grep -E '^(BENCH_|PG_URL=)' | sort | tr '\n' ' ' || true)

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  : "${BENCH_SECONDS:=2}" "${BENCH_WARMUP:=1}" "${BENCH_JIT_WARMUP:=6}" "${BENCH_CONCURRENCY:=1 16}" "${BENCH_IDLE_SESSIONS:=500}"
  : "${BENCH_SERVERS:=300}" "${BENCH_SYNC_TOOLS:=1000}" "${BENCH_OUT:=$BENCH/quick}"
fi
SECS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-3}
JIT_WARMUP=${BENCH_JIT_WARMUP:-30}
CONCURRENCY=${BENCH_CONCURRENCY:-1 16 64 256}
WORKLOADS=${BENCH_WORKLOADS:-call list big stream session}
TARGETS=${BENCH_TARGETS:-direct gateway nginx civic mcp-proxy mcp-hub}
EVERYTHING_WORKLOADS=${BENCH_EVERYTHING_WORKLOADS-call list}
IDLE_SESSIONS=${BENCH_IDLE_SESSIONS:-10000}
IDLE_PEERS=${BENCH_IDLE_PEERS-civic mcp-proxy}
SERVERS=${BENCH_SERVERS:-10000}
SYNC_TOOLS=${BENCH_SYNC_TOOLS:-1000}
STORES=${BENCH_STORES-embedded postgres}
PG=${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}
TCPU=${BENCH_TARGET_CPUS:-0}
LCPU=${BENCH_LOAD_CPUS:-1}
OUT=${BENCH_OUT:-$BENCH}
BASE=${BENCH_PORT_BASE:-19000}
TIMEOUT=10   # seconds: a request slower than this counts as a timeout

P_FAST=$((BASE + 1)) P_EVERY=$((BASE + 2)) P_MANY=$((BASE + 3))
P_GW=$((BASE + 80)) P_NGX_FAST=$((BASE + 81)) P_NGX_EVERY=$((BASE + 82))
P_CIVIC=$((BASE + 83)) P_MPROXY=$((BASE + 84)) P_HUB=$((BASE + 85))
P_GW_IDLE=$((BASE + 180)) P_CIVIC_IDLE=$((BASE + 183)) P_MPROXY_IDLE=$((BASE + 184)) P_GW_CP=$((BASE + 280))

ADMIN=bench-admin-secret
AGENT=bench-agent-secret
APIKEY=bench-api-key
JAR=$ROOT/target/mcp-gateway.jar
GW_JAR=$(realpath -m "${BENCH_GATEWAY_JAR:-$JAR}")
read -r -a GW_ENV <<<"${BENCH_GATEWAY_ENV:-}"
PEERS=$BENCH/peers/node_modules
RUN=$(mktemp -d /tmp/mcp-bench.XXXXXX)
mkdir -p "$RUN/logs" "$RUN/sessions" "$RUN/classes"
RESULTS=$RUN/results.jsonl
: > "$RESULTS"

# shellcheck source=lib/common.sh
source "$BENCH/lib/common.sh"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "${SAMPLER:-}" ]] && kill "$SAMPLER" 2>/dev/null
  [[ ${#PID[@]} -gt 0 ]] && stop_bg "${!PID[@]}"
  if [[ -n "${PG_SCHEMA_TO_DROP:-}" ]]; then
    psql "$PG" -q -c "DROP SCHEMA IF EXISTS $PG_SCHEMA_TO_DROP CASCADE" >/dev/null 2>&1 || true
  fi
  [[ $rc -ne 0 ]] && log "failed (exit $rc); logs in $RUN/logs"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ preparation
prepare() {
  command -v java >/dev/null || { log "needs a JDK 25+"; exit 1; }
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]} (apt)"
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [[ ! -f "$JAR" || -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]]; then
    log "building the gateway jar"
    (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
  fi
  [[ -f "$GW_JAR" ]] || { log "no gateway jar at $GW_JAR (BENCH_GATEWAY_JAR)"; exit 1; }
  if [[ ! -d "$PEERS" || "$BENCH/peers/package-lock.json" -nt "$PEERS/.package-lock.json" ]]; then
    log "installing the npm peers (npm ci)"
    (cd "$BENCH/peers" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  javac -nowarn -cp "$JAR" -d "$RUN/classes" "$BENCH/upstream/FastUpstream.java" "$BENCH/load/SseLoad.java"
}

# ------------------------------------------------------------------ the processes under test (the gateway and the upstream: lib/common.sh)
start_peers() { # upstream-base (http://127.0.0.1:PORT) upstream-name
  local up=$1 upname=$2
  local hub=$RUN/hub-$upname
  mkdir -p "$hub"
  printf '{"mcpServers":{"%s":{"url":"%s/mcp"}}}\n' "$upname" "$up" >"$hub/servers.json"
  # civic logs every request on stdout, with no switch to turn it off: thrown away
  [[ " $TARGETS " == *" civic "* ]] && QUIET=1 start_bg civic "$TCPU" env PORT=$P_CIVIC TARGET_SERVER_URL="$up" \
    TARGET_SERVER_TRANSPORT=httpStream node "$PEERS/@civic/passthrough-mcp-server/dist/cli.js"
  [[ " $TARGETS " == *" mcp-proxy "* ]] && start_bg mcp-proxy "$TCPU" node "$BENCH/peers/mcp-proxy-server.mjs" \
    "$P_MPROXY" "$up/mcp" "$APIKEY"
  [[ " $TARGETS " == *" mcp-hub "* ]] && start_bg mcp-hub "$TCPU" env HOME="$hub" XDG_STATE_HOME="$hub/state" \
    XDG_CONFIG_HOME="$hub/config" XDG_CACHE_HOME="$hub/cache" XDG_DATA_HOME="$hub/data" \
    node "$PEERS/mcp-hub/dist/cli.js" --port "$P_HUB" --config "$hub/servers.json"
  [[ " $TARGETS " == *" civic "* ]] && wait_http "http://127.0.0.1:$P_CIVIC/mcp"
  [[ " $TARGETS " == *" mcp-proxy "* ]] && wait_log mcp-proxy "listening"
  if [[ " $TARGETS " == *" mcp-hub "* ]]; then
    wait_log mcp-hub "servers started"
    curl -s "http://127.0.0.1:$P_HUB/api/health" | grep -q '"status":"connected"' || { log "mcp-hub did not connect"; return 1; }
  fi
  return 0
}

# What each target is for the current upstream ($UPNAME: fast | everything):
# URL, TOOL (the echo tool's exposed name), TOKEN, HEADER, KIND (wrk | sse), MEASURED (pids)
target_env() {
  TOKEN="" HEADER="" KIND=wrk TOOL=echo BIG=big STREAM=stream
  case $1 in
    direct) URL=http://127.0.0.1:$UPPORT/mcp MEASURED=${PID[$UPNAME]} ;;
    gateway) URL=http://127.0.0.1:$P_GW/mcp/acme/$UPNAME TOOL=say TOKEN=$AGENT MEASURED=${PID[gateway]} ;;
    nginx) URL=http://127.0.0.1:$NGXPORT/mcp MEASURED=${PID[nginx]} ;;
    civic) URL=http://127.0.0.1:$P_CIVIC/mcp MEASURED=${PID[civic]} ;;
    mcp-proxy) URL=http://127.0.0.1:$P_MPROXY/mcp HEADER="X-API-Key: $APIKEY" MEASURED=${PID[mcp-proxy]} ;;
    mcp-hub) URL=http://127.0.0.1:$P_HUB/mcp KIND=sse TOOL=${UPNAME}__echo BIG=${UPNAME}__big STREAM=${UPNAME}__stream
      MEASURED=${PID[mcp-hub]} ;;
  esac
}

open_sessions() { # target count -> session file path
  local file=$RUN/sessions/$UPNAME-$1.txt
  target_env "$1"
  if [[ $KIND == wrk ]]; then
    MCP_HEADER="$HEADER" taskset -c "$LCPU" node "$BENCH/lib/open-sessions.mjs" "$URL" "$2" "$TOKEN" >"$file" 2>>"$RUN/logs/sessions.log"
  else
    : >"$file"
  fi
  echo "$file"
}
close_sessions() { # target file
  target_env "$1"
  [[ $KIND == wrk && -s "$2" ]] && MCP_HEADER="$HEADER" taskset -c "$LCPU" node "$BENCH/lib/open-sessions.mjs" \
    "$URL" 0 "$TOKEN" --close <"$2" 2>>"$RUN/logs/sessions.log"
  return 0
}

# One load run; prints the BENCH_RESULT json (without the prefix).
load() { # target workload connections seconds sessions-file [warmup-for-sse]
  local target=$1 workload=$2 conns=$3 secs=$4 sessions=$5 out
  target_env "$target"
  if [[ $KIND == wrk ]]; then
    out=$(MCP_WORKLOAD=$workload MCP_TOOL=$TOOL MCP_TOKEN=$TOKEN MCP_HEADER="$HEADER" MCP_SESSIONS_FILE=$sessions \
      taskset -c "$LCPU" wrk -t1 -c"$conns" -d"${secs}s" --timeout "${TIMEOUT}s" -s "$BENCH/wrk/mcp.lua" "$URL" 2>&1) || true
  else
    out=$(taskset -c "$LCPU" java -XX:+UseSerialGC -cp "$JAR:$RUN/classes" SseLoad --url "$URL" --workload "$workload" \
      --connections "$conns" --duration "$secs" --warmup "${6:-2}" --timeout "$TIMEOUT" --tool "$TOOL" --big-tool "$BIG" \
      --stream-tool "$STREAM" 2>&1) || true
  fi
  local line
  line=$(grep -m1 '^BENCH_RESULT ' <<<"$out" | sed 's/^BENCH_RESULT //') || true
  if [[ -z "$line" ]]; then
    log "no result from $target/$workload/$conns: $(tail -3 <<<"$out")"
    line='{"requests":0,"failed":true}'
  fi
  echo "$line"
}

point() { # phase target workload connections sessions-file
  local phase=$1 target=$2 workload=$3 conns=$4 sessions=$5
  target_env "$target"
  local measured=$MEASURED up=${PID[$UPNAME]}
  local t0 u0 c0 c1 t1 u1 d0 d1 peak_file=$RUN/peak.rss sampler
  echo 0 >"$peak_file"
  (
    peak=0
    while :; do
      r=$(rss_kb "$measured")
      ((r > peak)) && peak=$r && echo "$peak" >"$peak_file"
      sleep 0.25
    done
  ) &
  sampler=$! SAMPLER=$!
  # the gateway's wait for a pooled upstream connection (scraped outside the window: curl connects too)
  local q0="0 0" q1="0 0" o0 o1
  [[ $target == gateway ]] && q0=$(pool_queue "$UPPORT")
  o0=$(tcp_opens)
  t0=$(ticks "$measured") u0=$(ticks "$up")
  read -r -a c0 <<<"$(core_busy "$TCPU") $(core_busy "$LCPU")"
  local s0; s0=$(date +%s.%N)
  local result; result=$(load "$target" "$workload" "$conns" "$SECS" "$sessions")
  local s1; s1=$(date +%s.%N)
  t1=$(ticks "$measured") u1=$(ticks "$up")
  read -r -a c1 <<<"$(core_busy "$TCPU") $(core_busy "$LCPU")"
  o1=$(tcp_opens)
  [[ $target == gateway ]] && q1=$(pool_queue "$UPPORT")
  local pool; pool=$(awk -v a="$q0" -v b="$q1" 'BEGIN { split(a, x, " "); split(b, y, " ")
    n = y[2] - x[2]; printf "\"pool_waits\":%d,\"pool_wait_mean_ms\":%.3f", n, (n > 0 ? 1000 * (y[1] - x[1]) / n : 0) }')
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  SAMPLER=""
  local rss_end; rss_end=$(rss_kb "$measured")
  local peak; peak=$(cat "$peak_file")
  ((peak < rss_end)) && peak=$rss_end
  local wall; wall=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.3f", b - a }')
  local cpu upcpu core0 core1
  cpu=$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v w="$wall" 'BEGIN { printf "%.1f", 100 * d / hz / w }')
  upcpu=$(awk -v d=$((u1 - u0)) -v hz="$HZ" -v w="$wall" 'BEGIN { printf "%.1f", 100 * d / hz / w }')
  core0=$(awk -v b=$((c1[0] - c0[0])) -v t=$((c1[1] - c0[1])) 'BEGIN { printf "%.1f", t ? 100 * b / t : 0 }')
  core1=$(awk -v b=$((c1[2] - c0[2])) -v t=$((c1[3] - c0[3])) 'BEGIN { printf "%.1f", t ? 100 * b / t : 0 }')
  printf '{"phase":"%s","target":"%s","workload":"%s","connections":%d,"cpu_pct":%s,"rss_peak_kb":%d,"rss_end_kb":%d,"upstream_cpu_pct":%s,"target_core_pct":%s,"load_core_pct":%s,"load1":"%s","tcp_active_opens":%d,%s,"result":%s}\n' \
    "$phase" "$target" "$workload" "$conns" "$cpu" "$peak" "$rss_end" "$upcpu" "$core0" "$core1" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$((o1 - o0))" "$pool" "$result" >>"$RESULTS"
  log "  $phase $workload c=$conns $target: $(grep -o '"rps":[0-9.]*' <<<"$result" | head -1) $(grep -o '"p99_us":[0-9]*' <<<"$result") cpu=$cpu% bad=$(grep -o '"bad":[0-9]*' <<<"$result" | cut -d: -f2) tcp_opens=$((o1 - o0))"
}

# The load matrix for one upstream: per workload, every target warmed up, then for each concurrency
# every target in turn (interleaved, so that drifting background load hits every target alike).
matrix() { # phase workloads...
  local phase=$1 workload target c
  shift
  for workload in "$@"; do
    declare -A SESS=()
    for target in $TARGETS; do
      SESS[$target]=$(open_sessions "$target" "$(echo $CONCURRENCY | tr ' ' '\n' | sort -n | tail -1)")
      target_env "$target"
      # (SseLoad warms up for 2 s at the start of every point instead)
      [[ $KIND == wrk ]] && load "$target" "$workload" 16 "$WARMUP" "${SESS[$target]}" >/dev/null
    done
    for c in $CONCURRENCY; do
      for target in $TARGETS; do point "$phase" "$target" "$workload" "$c" "${SESS[$target]}"; done
    done
    for target in $TARGETS; do close_sessions "$target" "${SESS[$target]}"; done
  done
}

# Before anything is measured: mixed load on every target so that the JITs (the gateway's HotSpot,
# which on one core needs ~30 s of load to reach its steady state, the upstream's, Node's V8) have
# compiled the hot paths. Not recorded.
jit_warmup() { # workloads...
  local target secs per workload sessions
  for target in $TARGETS; do
    case $target in
      gateway) secs=$JIT_WARMUP ;;
      nginx) secs=$((JIT_WARMUP / 10)) ;;
      *) secs=$((JIT_WARMUP / 3)) ;;
    esac
    per=$((secs / $#))
    ((per < 1)) && per=1
    sessions=$(open_sessions "$target" 16)
    target_env "$target"
    log "  warming $target up (${secs}s)"
    for workload in "$@"; do
      if [[ $KIND == wrk ]]; then
        load "$target" "$workload" 16 "$per" "$sessions" >/dev/null
      else
        load "$target" "$workload" 16 1 "$sessions" "$((per > 1 ? per - 1 : 0))" >/dev/null
      fi
    done
    close_sessions "$target" "$sessions"
  done
}

scrape() { curl -s "http://127.0.0.1:$1/metrics"; }
heap_bytes() { scrape "$1" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ { s += $NF } END { printf "%d", s }'; }
metric() { scrape "$1" | awk -v m="$2" 'index($0, m) == 1 { s += $NF } END { printf "%d", s }'; }
pool_queue() { # upstream-port -> "seconds count" of vertx_pool_queue_time_seconds for the gateway's pool to 127.0.0.1:port
  scrape $P_GW | awk -v p="pool_name=\"127.0.0.1:$1\"" 'index($0, "vertx_pool_queue_time_seconds_") == 1 && index($0, p) {
    if ($1 ~ /_sum\{/) s += $NF; else if ($1 ~ /_count\{/) n += $NF } END { printf "%.6f %d", s, n }'
}

# ------------------------------------------------------------------ phases
phase_load() {
  log "phase 1: load against the fast upstream ($WORKLOADS; clients $CONCURRENCY; ${SECS}s per point)"
  start_upstream fast $P_FAST
  mkdir -p "$RUN/nginx/nginx-tmp"
  sed -e "s#@RUN@#$RUN/nginx#g" -e "s/@FAST_PORT@/$P_FAST/" -e "s/@EVERYTHING_PORT@/$P_EVERY/" \
    -e "s/@NGINX_FAST_PORT@/$P_NGX_FAST/" -e "s/@NGINX_EVERYTHING_PORT@/$P_NGX_EVERY/" "$BENCH/nginx.conf" >"$RUN/nginx/nginx.conf"
  if [[ " $TARGETS " == *" nginx "* ]]; then
    start_bg nginx "$TCPU" nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -e "$RUN/nginx/nginx-error.log"
    wait_http "http://127.0.0.1:$P_NGX_FAST/health"
  fi
  start_gateway gateway $P_GW "$RUN/gateway-data"
  register $P_GW fast "http://127.0.0.1:$P_FAST/mcp" '[{"name":"echo","alias":"say"},{"name":"hidden","enabled":false}]'
  start_peers "http://127.0.0.1:$P_FAST" fast
  UPNAME=fast UPPORT=$P_FAST NGXPORT=$P_NGX_FAST
  # shellcheck disable=SC2086
  jit_warmup $WORKLOADS
  # shellcheck disable=SC2086
  matrix fast $WORKLOADS
  scrape $P_GW >"$RUN/gateway-metrics-after-load.txt"
  stop_bg civic mcp-proxy mcp-hub

  if [[ -n "$EVERYTHING_WORKLOADS" ]]; then
    log "phase 2: realistic run against server-everything ($EVERYTHING_WORKLOADS)"
    start_bg everything "$LCPU" env PORT=$P_EVERY node "$PEERS/@modelcontextprotocol/server-everything/dist/index.js" streamableHttp
    wait_log everything "listening"
    register $P_GW everything "http://127.0.0.1:$P_EVERY/mcp" \
      '[{"name":"echo","alias":"say"},{"name":"trigger-long-running-operation","enabled":false}]'
    start_peers "http://127.0.0.1:$P_EVERY" everything
    UPNAME=everything UPPORT=$P_EVERY NGXPORT=$P_NGX_EVERY
    # shellcheck disable=SC2086
    JIT_WARMUP=$((JIT_WARMUP / 3)) jit_warmup $EVERYTHING_WORKLOADS
    # shellcheck disable=SC2086
    matrix everything $EVERYTHING_WORKLOADS
    scrape $P_GW >"$RUN/gateway-metrics-after-everything.txt"
    stop_bg civic mcp-proxy mcp-hub everything
  fi
  stop_bg gateway nginx
}

# Idle sessions: N sessions opened (initialize + initialized) and held; memory before and after.
idle_one() { # name port url token header
  local name=$1 port=$2 url=$3 token=$4 header=$5 pid=${PID[$1]} file=$RUN/sessions/idle-$1.txt
  local rss0 heap0 rss1 heap1 rss2 heap2 active t0 t1 opened
  sleep 1
  rss0=$(rss_kb "$pid")
  [[ $name == gateway* ]] && heap0=$(heap_bytes "$port")
  t0=$(date +%s.%N)
  MCP_HEADER="$header" MCP_OPEN_CONCURRENCY=32 taskset -c "$LCPU" node "$BENCH/lib/open-sessions.mjs" "$url" "$IDLE_SESSIONS" "$token" >"$file" \
    2>>"$RUN/logs/sessions.log" || log "opening $IDLE_SESSIONS sessions on $name failed: $(tail -1 "$RUN/logs/sessions.log")"
  t1=$(date +%s.%N)
  opened=$(grep -c . "$file" || true)
  sleep 2
  rss1=$(rss_kb "$pid")
  local extra=""
  if [[ $name == gateway* ]]; then
    heap1=$(heap_bytes "$port")
    active=$(metric "$port" mcp_gateway_sessions_active)
    jcmd "$pid" GC.run >/dev/null 2>&1 || true
    sleep 1
    heap2=$(heap_bytes "$port")
    rss2=$(rss_kb "$pid")
    extra=$(printf ',"heap_before":%d,"heap_after":%d,"heap_after_gc":%d,"rss_after_gc_kb":%d,"sessions_active":%d' \
      "$heap0" "$heap1" "$heap2" "$rss2" "$active")
  fi
  printf '{"target":"%s","sessions":%d,"opened":%d,"open_seconds":%s,"rss_before_kb":%d,"rss_after_kb":%d%s}\n' "$name" \
    "$IDLE_SESSIONS" "$opened" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')" "$rss0" "$rss1" "$extra" >>"$RUN/idle.jsonl"
  log "  idle: $name $opened sessions, RSS $((rss0 / 1024)) -> $((rss1 / 1024)) MiB"
}
phase_idle() {
  log "phase 3: $IDLE_SESSIONS idle sessions"
  : >"$RUN/idle.jsonl"
  [[ -n "${PID[fast]:-}" ]] || start_upstream fast $P_FAST
  start_gateway gateway-idle $P_GW_IDLE "$RUN/gateway-idle-data"
  register $P_GW_IDLE fast "http://127.0.0.1:$P_FAST/mcp" '[{"name":"echo","alias":"say"},{"name":"hidden","enabled":false}]'
  idle_one gateway-idle $P_GW_IDLE "http://127.0.0.1:$P_GW_IDLE/mcp/acme/fast" "$AGENT" ""
  sed -i 's/"target":"gateway-idle"/"target":"gateway"/' "$RUN/idle.jsonl"
  stop_bg gateway-idle
  if [[ " $IDLE_PEERS " == *" civic "* ]]; then
    QUIET=1 start_bg civic-idle "$TCPU" env PORT=$P_CIVIC_IDLE TARGET_SERVER_URL="http://127.0.0.1:$P_FAST" \
      TARGET_SERVER_TRANSPORT=httpStream node "$PEERS/@civic/passthrough-mcp-server/dist/cli.js"
    wait_http "http://127.0.0.1:$P_CIVIC_IDLE/mcp"
    idle_one civic-idle $P_CIVIC_IDLE "http://127.0.0.1:$P_CIVIC_IDLE/mcp" "" ""
    stop_bg civic-idle
  fi
  if [[ " $IDLE_PEERS " == *" mcp-proxy "* ]]; then
    start_bg mcp-proxy-idle "$TCPU" node "$BENCH/peers/mcp-proxy-server.mjs" "$P_MPROXY_IDLE" "http://127.0.0.1:$P_FAST/mcp" "$APIKEY"
    wait_log mcp-proxy-idle "listening"
    idle_one mcp-proxy-idle $P_MPROXY_IDLE "http://127.0.0.1:$P_MPROXY_IDLE/mcp" "" "X-API-Key: $APIKEY"
    stop_bg mcp-proxy-idle
  fi
  sed -i 's/"target":"\(civic\|mcp-proxy\)-idle"/"target":"\1"/' "$RUN/idle.jsonl"
}

phase_control() {
  log "phase 4: control plane ($SYNC_TOOLS-tool sync, $SERVERS servers; stores: $STORES)"
  : >"$RUN/control.jsonl"
  start_upstream many $P_MANY --tools "$((SYNC_TOOLS - 4))"
  local store
  for store in $STORES; do
    local env=(GATEWAY_SYNC_ON_CREATE=false GATEWAY_SYNC_SWEEP_MS=86400000)
    if [[ $store == postgres ]]; then
      PG_SCHEMA_TO_DROP=bench_cp_$$_$(date +%s)
      env+=(PG_URL="$PG" GATEWAY_PG_SCHEMA=$PG_SCHEMA_TO_DROP GATEWAY_STORE=postgres)
    else
      env+=(GATEWAY_STORE=embedded)
    fi
    start_gateway gateway-cp $P_GW_CP "$RUN/gateway-cp-$store" "${env[@]}"
    local line
    line=$(taskset -c "$LCPU" node "$BENCH/lib/control-plane.mjs" --api "http://127.0.0.1:$P_GW_CP" --token "$ADMIN" \
      --servers "$SERVERS" --sync-upstream "http://127.0.0.1:$P_MANY/mcp" --sync-repeats 5 \
      --host-for-servers "http://127.0.0.1:$P_FAST/mcp" 2>>"$RUN/logs/control.log" | grep '^CONTROL_RESULT ' | sed 's/^CONTROL_RESULT //') || true
    [[ -z "$line" ]] && { log "control plane on $store failed: $(tail -3 "$RUN/logs/control.log")"; line='{"failed":true}'; }
    printf '{"store":"%s","rss_kb":%d,"heap_bytes":%d,"result":%s}\n' "$store" "$(rss_kb "${PID[gateway-cp]}")" \
      "$(heap_bytes $P_GW_CP)" "$line" >>"$RUN/control.jsonl"
    log "  $store: $(grep -o '"first_ms":[0-9.]*' <<<"$line") $(grep -o '"per_second":[0-9]*' <<<"$line")"
    stop_bg gateway-cp
    if [[ $store == postgres ]]; then
      psql "$PG" -q -c "DROP SCHEMA IF EXISTS $PG_SCHEMA_TO_DROP CASCADE" >/dev/null 2>&1 || log "could not drop schema $PG_SCHEMA_TO_DROP"
      PG_SCHEMA_TO_DROP=""
    fi
  done
  stop_bg many
}

# ------------------------------------------------------------------ main
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
prepare
log "run directory $RUN"
phase_load
[[ "$IDLE_SESSIONS" -gt 0 ]] && phase_idle
[[ -n "$STORES" && "$SERVERS" -gt 0 ]] && phase_control
stop_bg fast
FINISHED=$(date -u +%Y-%m-%dT%H:%M:%SZ)

cat >"$RUN/meta.json" <<EOF
{"started":"$STARTED","finished":"$FINISHED","command":"${ENV_SHOWN}$COMMAND",
 "host":"$(hostname)","kernel":"$(uname -r)","cpu_model":"$(lscpu | sed -n 's/^Model name: *//p' | head -1)",
 "nproc":$(nproc),"mem_gib":$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo),
 "java":"$(java -version 2>&1 | head -1 | tr -d '"')","node":"$(node -v)","nginx":"$(nginx -v 2>&1 | sed 's/.*: //')",
 "wrk":"$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)","gateway_commit":"$(git -C "$(dirname "$GW_JAR")" rev-parse --short HEAD 2>/dev/null || echo unknown)",
 "gateway_jar":"$GW_JAR","gateway_env":"${BENCH_GATEWAY_ENV:-}",
 "seconds":$SECS,"warmup":$WARMUP,"jit_warmup":$JIT_WARMUP,"concurrency":"$CONCURRENCY","target_cpus":"$TCPU","load_cpus":"$LCPU",
 "timeout":$TIMEOUT,"load_start":"$LOAD_START","load_end":"$(cut -d' ' -f1-3 /proc/loadavg)",
 "idle_sessions":$IDLE_SESSIONS,"servers":$SERVERS,"sync_tools":$SYNC_TOOLS,
 "peers":"$(cd "$BENCH/peers" && node -e 'const l=require("./package-lock.json").packages;console.log(["@civic/passthrough-mcp-server","mcp-proxy","mcp-hub","@modelcontextprotocol/server-everything"].map(n=>n+" "+l["node_modules/"+n].version).join(", "))')"}
EOF
mkdir -p "$OUT/results"
# only the files this script writes: bench/results/ also holds kept runs (e.g. before-after/)
rm -f "$OUT/results"/{results.jsonl,meta.json,idle.jsonl,control.jsonl,gateway-metrics-after-load.txt,gateway-metrics-after-everything.txt}
cp "$RUN/results.jsonl" "$RUN/meta.json" "$OUT/results/"
[[ -f "$RUN/idle.jsonl" ]] && cp "$RUN/idle.jsonl" "$OUT/results/"
[[ -f "$RUN/control.jsonl" ]] && cp "$RUN/control.jsonl" "$OUT/results/"
[[ -f "$RUN/gateway-metrics-after-load.txt" ]] && cp "$RUN/gateway-metrics-after-load.txt" "$OUT/results/"
[[ -f "$RUN/gateway-metrics-after-everything.txt" ]] && cp "$RUN/gateway-metrics-after-everything.txt" "$OUT/results/"
python3 "$BENCH/lib/report.py" "$OUT/results" "$OUT"
log "done: $OUT/RESULTS.md and $OUT/latency-vs-concurrency.png ($(( $(date +%s) - $(date -d "$STARTED" +%s) )) s)"
