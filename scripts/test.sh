#!/usr/bin/env bash
# Runs the whole test suite: the one command the README and CI use.
# Starts what the tests need (PostgreSQL, when installed but down) and leaves nothing running
# that it started. Under CI=true a missing PostgreSQL fails loudly instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

PG_URL="${PG_URL:-postgresql://postgres@127.0.0.1:5432/test}"
export PG_URL
pg_hostport="${PG_URL#*@}"; pg_hostport="${pg_hostport%%/*}"
pg_host="${pg_hostport%%:*}"; pg_port="${pg_hostport##*:}"
[ "$pg_port" = "$pg_hostport" ] && pg_port=5432

started_pg=""
pg_up() { pg_isready -q -h "$pg_host" -p "$pg_port" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version="$(ls /etc/postgresql | head -n 1)"
    echo "test.sh: starting PostgreSQL $version (it did not answer)"
    # "already running" (a busy server that missed one probe) is not a failure: wait for it below
    if pg_ctlcluster --skip-systemctl-redirect "$version" main start; then started_pg="$version"; fi
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  fi
fi
if ! pg_up; then
  echo "test.sh: PostgreSQL is not reachable at $pg_host:$pg_port (PG_URL=$PG_URL)." >&2
  echo "test.sh: the PostgreSQL store tests need it; install/start it (see README) and retry." >&2
  exit 1
fi

# Real MCP peers for the integration tests: installed from the committed lock file into
# test-peers/node_modules only (never globally, never at test time).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: node and npm are needed for the MCP peer tests (Node 20+)." >&2
  exit 1
fi
if [ ! -d test-peers/node_modules ] || [ test-peers/package-lock.json -nt test-peers/node_modules/.package-lock.json ]; then
  echo "test.sh: installing the MCP test peers (npm ci in test-peers)"
  (cd test-peers && npm ci --no-audit --no-fund --loglevel=error)
fi

# The metrics tests read /metrics with the official Prometheus Python client's parser (Debian package).
if ! /usr/bin/python3 -c "import prometheus_client.parser" >/dev/null 2>&1; then
  echo "test.sh: installing python3-prometheus-client (Debian) for the metrics tests"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -qq python3-prometheus-client >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq python3-prometheus-client >/dev/null; }
  fi
  /usr/bin/python3 -c "import prometheus_client.parser" || { echo "test.sh: python3-prometheus-client is needed (apt-get install python3-prometheus-client)" >&2; exit 1; }
fi

# The alert rules in deploy/prometheus are checked and unit-tested with promtool (Debian's prometheus
# package; policy-rc.d or the lack of systemd keeps its server from starting, and none is needed).
if ! command -v promtool >/dev/null 2>&1; then
  echo "test.sh: installing prometheus (Debian, for promtool) for the alert rule tests"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }
  fi
  command -v promtool >/dev/null 2>&1 || { echo "test.sh: promtool is needed for the alert rule tests (apt-get install prometheus)" >&2; exit 1; }
fi

# The sign-in tests drive the agent's browser login in headless Chromium (Debian's, via playwright-core from
# the lock file; Playwright never downloads a browser here).
if ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing chromium (Debian) for the browser tests"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
  fi
  command -v chromium >/dev/null 2>&1 || { echo "test.sh: Chromium is needed for the browser tests (apt-get install chromium)" >&2; exit 1; }
fi
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"

cleanup() {
  if [ -n "$started_pg" ]; then
    echo "test.sh: stopping the PostgreSQL this run started"
    pg_ctlcluster --skip-systemctl-redirect "$started_pg" main stop || true
  fi
}
trap cleanup EXIT

mvn -B -ntp verify "$@"
