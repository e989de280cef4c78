# Shell functions shared by the benchmark scripts (bench/run.sh, bench/portals.sh); sourced, not run.
#
# The sourcing script sets, before calling them:
#   RUN          its run directory (logs go to $RUN/logs/<name>.log, compiled bench classes in $RUN/classes)
#   TCPU, LCPU   the cores of the target under test / of the load generator and the upstream
#   JAR, GW_JAR  this tree's jar (upstream, tools) / the gateway jar under test; GW_ENV: extra gateway env words
#   ADMIN, AGENT the gateway's admin token and client token
# Processes are started with start_bg and remembered by pid in PID[name]; stop_bg stops them by pid
# (TERM, then KILL after 5 s), so a script's exit trap can stop exactly what it started.

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ------------------------------------------------------------------ processes (only ours, by pid)
declare -A PID=()
start_bg() { # name cpus command...   (QUIET=1: stdout to /dev/null, stderr to the log)
  local name=$1 cpus=$2
  shift 2
  if [[ "${QUIET:-0}" == 1 ]]; then
    taskset -c "$cpus" "$@" >/dev/null 2>"$RUN/logs/$name.log" &
  else
    taskset -c "$cpus" "$@" >"$RUN/logs/$name.log" 2>&1 &
  fi
  PID[$name]=$!
}
stop_bg() { # name...
  local name pid i
  for name in "$@"; do
    pid=${PID[$name]:-}
    [[ -z "$pid" ]] && continue
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "PID[$name]"
  done
}

# ------------------------------------------------------------------ waiting; /proc measurements
wait_http() { # url [seconds]
  local url=$1 limit=${2:-60} i
  for ((i = 0; i < limit * 10; i++)); do
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.1
  done
  log "timed out waiting for $url"
  return 1
}
wait_log() { # name pattern [seconds]
  local i
  for ((i = 0; i < ${3:-60} * 10; i++)); do
    grep -q -- "$2" "$RUN/logs/$1.log" 2>/dev/null && return 0
    kill -0 "${PID[$1]}" 2>/dev/null || { log "$1 exited: $(tail -5 "$RUN/logs/$1.log")"; return 1; }
    sleep 0.1
  done
  log "timed out waiting for $1 ($2)"
  return 1
}

# /proc: CPU ticks (utime + stime, all threads) and resident memory of a process and its children
tree() { local p; for p in "$@"; do echo "$p"; pgrep -P "$p" || true; done; }
ticks() {
  local s=0 p f line
  for p in $(tree "$@"); do
    line=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    read -r -a f <<<"${line##*) }" # the fields after "(comm)": utime and stime are the 12th and 13th
    s=$((s + f[11] + f[12]))
  done
  echo $s
}
rss_kb() {
  local s=0 p k v _
  for p in $(tree "$@"); do
    while read -r k v _; do [[ $k == VmRSS: ]] && s=$((s + v)); done <"/proc/$p/status" 2>/dev/null || true
  done
  echo $s
}
core_busy() { # cpu index -> "busy total" jiffies
  local name rest
  while read -r name rest; do
    if [[ $name == "cpu$1" ]]; then
      set -- $rest
      echo "$(($1 + $2 + $3 + $6 + $7 + $8)) $(($1 + $2 + $3 + $4 + $5 + $6 + $7 + $8))"
      return
    fi
  done </proc/stat
}
HZ=$(getconf CLK_TCK)
# TCP connections opened by this host so far (ActiveOpens in /proc/net/snmp: every connect(), whoever makes it)
tcp_opens() { awk '$1 == "Tcp:" { if (!col) { for (i = 2; i <= NF; i++) if ($i == "ActiveOpens") col = i } else { print $col; exit } }' /proc/net/snmp; }

# ------------------------------------------------------------------ the gateway and the fast upstream
start_gateway() { # name port data-dir [extra env...]
  local name=$1 port=$2 data=$3
  shift 3
  mkdir -p "$data"
  start_bg "$name" "$TCPU" env GATEWAY_HOST=127.0.0.1 GATEWAY_PORT="$port" GATEWAY_DATA_DIR="$data" \
    GATEWAY_ADMIN_TOKEN=$ADMIN GATEWAY_CLIENT_TOKEN=$AGENT GATEWAY_LOG_LEVEL=warn GATEWAY_ACCESS_LOG=false \
    GATEWAY_CLIENT_RPS=0 GATEWAY_ACCOUNT_RPS=0 GATEWAY_SHUTDOWN_GRACE_MS=2000 ${GW_ENV[@]+"${GW_ENV[@]}"} "$@" java -jar "$GW_JAR"
  wait_http "http://127.0.0.1:$port/health/ready"
}
api() { # method url [json]
  curl -sS -f -X "$1" "$2" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
register() { # gateway-port id upstream-url overrides-json
  local servers=http://127.0.0.1:$1/accounts/acme/access/ai-controls/mcp/servers
  api POST "$servers" "{\"id\":\"$2\",\"name\":\"$2\",\"hostname\":\"$3\",\"auth_type\":\"unauthenticated\",\"updated_tools\":$4}" >/dev/null
  api POST "$servers/$2/sync" | grep -q '"status":"ready"' || { log "sync of $2 failed"; return 1; }
}
start_upstream() { # name port [args]
  local name=$1 port=$2
  shift 2
  start_bg "$name" "$LCPU" java -cp "$JAR:$RUN/classes" FastUpstream --port "$port" "$@"
  wait_log "$name" "listening"
}
