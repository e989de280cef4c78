#!/usr/bin/env bash
# What agent sign-in costs a call, in one command:   bench/signin.sh        (BENCH_QUICK=1: a ~1 minute smoke run)
#
# One gateway with sign-in on (the company IdP is test-peers/company-idp.mjs, whose JWKS the gateway
# reads once), one server on the fast upstream (bench/upstream), and 2026-07-28 tools/call load
# (stateless: every request authenticated on its own, nothing cached per session) with:
#   client   a configured client token (a SHA-256 look-up; no access policy is consulted)
#   jwt      an OAuth access token of the IdP (RS256 signature, claims, then the account's access policies)
# alternating, point by point, in the same run: the ratio jwt/client is the price of a signed-in
# user's call. Writes $BENCH_OUT/SIGNIN.md (also printed) and signin.jsonl beside it. Stops by itself;
# every process it starts is stopped on exit.
#
# Settings (environment):
#   BENCH_SECONDS=10   BENCH_WARMUP=3   BENCH_JIT_WARMUP=30   BENCH_CONCURRENCY="16 64"   BENCH_ROUNDS=3
#   BENCH_TARGET_CPUS=0  BENCH_LOAD_CPUS=1   BENCH_PORT_BASE=19600   BENCH_OUT=bench/results/signin
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
# shellcheck source=../scripts/lib/java.sh
source "$ROOT/scripts/lib/java.sh"
COMMAND="bench/signin.sh${*:+ $*}"

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  : "${BENCH_SECONDS:=2}" "${BENCH_WARMUP:=1}" "${BENCH_JIT_WARMUP:=8}" "${BENCH_CONCURRENCY:=16}" "${BENCH_ROUNDS:=2}"
  : "${BENCH_OUT:=$BENCH/results/signin/quick}"
fi
SECS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-3}
JIT_WARMUP=${BENCH_JIT_WARMUP:-30}
CONCURRENCY=${BENCH_CONCURRENCY:-16 64}
ROUNDS=${BENCH_ROUNDS:-3}
TCPU=${BENCH_TARGET_CPUS:-0}
LCPU=${BENCH_LOAD_CPUS:-1}
OUT=${BENCH_OUT:-$BENCH/results/signin}
BASE=${BENCH_PORT_BASE:-19600}
TIMEOUT=10
VERSION=2026-07-28

P_FAST=$((BASE + 1)) P_IDP=$((BASE + 2)) P_GW=$((BASE + 80))
ADMIN=bench-admin-secret
AGENT=bench-agent-secret
JAR=$ROOT/target/mcp-gateway.jar
GW_JAR=$JAR
GW_ENV=()
RUN=$(mktemp -d /tmp/mcp-signin-bench.XXXXXX)
mkdir -p "$RUN/logs" "$RUN/classes"
RESULTS=$RUN/signin.jsonl
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
[[ -d "$ROOT/test-peers/node_modules/oidc-provider" ]] || (cd "$ROOT/test-peers" && npm ci --no-audit --no-fund --loglevel=error)
if [[ ! -f "$JAR" || -n "$(find "$ROOT/src" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]]; then
  log "building the gateway jar"
  (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
fi
javac -nowarn -cp "$JAR" -d "$RUN/classes" "$BENCH/upstream/FastUpstream.java"

start_upstream fast $P_FAST
# exec: the background job is node itself, so that stopping it stops the IdP
(cd "$ROOT/test-peers" && exec env PORT=$P_IDP RESOURCE_PREFIX="http://127.0.0.1:$P_GW/mcp/" AT_TTL=7200 \
  taskset -c "$LCPU" node company-idp.mjs >"$RUN/logs/idp.log" 2>&1) &
PID[idp]=$!
wait_log idp "LISTENING"
start_gateway gateway $P_GW "$RUN/gateway-data" GATEWAY_SYNC_ON_CREATE=false GATEWAY_PUBLIC_URL="http://127.0.0.1:$P_GW" \
  GATEWAY_SIGN_IN_ISSUER="http://localhost:$P_IDP"
register $P_GW s01 "http://127.0.0.1:$P_FAST/mcp" '[]'
api POST "http://127.0.0.1:$P_GW/accounts/acme/access/policies" \
  '{"name":"everyone","decision":"allow","include":[{"everyone":{}}],"servers":["*"]}' >/dev/null
URL=http://127.0.0.1:$P_GW/mcp/acme/s01
JWT=$(curl -sS -f -X POST "http://127.0.0.1:$P_IDP/mint" -H 'Content-Type: application/json' \
  -d "{\"sub\":\"alice\",\"resource\":\"$URL\",\"ttl\":7200}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')

wrk_run() { # token connections seconds -> the BENCH_RESULT json
  local out line
  out=$(MCP_WORKLOAD=call MCP_TOOL=echo MCP_TOKEN=$1 MCP_VERSION=$VERSION \
    taskset -c "$LCPU" wrk -t1 -c"$2" -d"${3}s" --timeout "${TIMEOUT}s" -s "$BENCH/wrk/mcp.lua" "$URL" 2>&1) || true
  line=$(grep -m1 '^BENCH_RESULT ' <<<"$out" | sed 's/^BENCH_RESULT //') || true
  echo "${line:-{\"requests\":0,\"failed\":true\}}"
}
for who in client jwt; do
  token=$AGENT; [[ $who == jwt ]] && token=$JWT
  check=$(wrk_run "$token" 1 1)
  python3 -c 'import json, sys; r = json.loads(sys.argv[1]); sys.exit(0 if r.get("requests", 0) > 0 and not r.get("failed") and r.get("errors", 0) == 0 else 1)' "$check" \
    || { log "$who calls fail: $check"; exit 1; }
done
log "warming the gateway up (${JIT_WARMUP}s, both kinds)"
wrk_run "$AGENT" 16 $((JIT_WARMUP / 2)) >/dev/null
wrk_run "$JWT" 16 $((JIT_WARMUP / 2)) >/dev/null

for conns in $CONCURRENCY; do
  for ((round = 1; round <= ROUNDS; round++)); do
    for who in client jwt; do
      token=$AGENT; [[ $who == jwt ]] && token=$JWT
      wrk_run "$token" "$conns" "$WARMUP" >/dev/null
      result=$(wrk_run "$token" "$conns" "$SECS")
      echo "{\"who\":\"$who\",\"clients\":$conns,\"round\":$round,\"result\":$result}" >>"$RESULTS"
      log "$who, $conns clients, round $round: $(python3 -c 'import json, sys; print(round(json.loads(sys.argv[1]).get("requests", 0) / float(sys.argv[2])), "req/s")' "$result" "$SECS")"
    done
  done
done

mkdir -p "$OUT"
cp "$RESULTS" "$OUT/signin.jsonl"
python3 - "$RESULTS" "$SECS" "$COMMAND" "$(date -u +%FT%TZ)" >"$OUT/SIGNIN.md" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
secs = float(sys.argv[2])
print("# Sign-in cost per call\n")
print(f"`{sys.argv[3]}`, {sys.argv[4]}: 2026-07-28 `tools/call` through one gateway to the fast upstream, "
      f"{secs:g} s per point, client token and OAuth access token (RS256 JWT + access policies) alternating in one run.\n")
print("| clients | round | client token req/s | access token req/s | ratio |")
print("| ---: | ---: | ---: | ---: | ---: |")
ratios = {}
for clients in sorted({r["clients"] for r in rows}):
    for rnd in sorted({r["round"] for r in rows if r["clients"] == clients}):
        get = lambda who: next(r["result"] for r in rows if r["clients"] == clients and r["round"] == rnd and r["who"] == who)
        c, j = get("client").get("requests", 0) / secs, get("jwt").get("requests", 0) / secs
        ratio = j / c if c else 0
        ratios.setdefault(clients, []).append(ratio)
        print(f"| {clients} | {rnd} | {c:,.0f} | {j:,.0f} | {ratio:.2f}x |")
print()
for clients, values in ratios.items():
    print(f"- {clients} clients: median ratio {statistics.median(values):.2f}x over {len(values)} rounds")
EOF
cat "$OUT/SIGNIN.md"
