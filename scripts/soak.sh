#!/usr/bin/env bash
# The soak (not part of scripts/test.sh): the gateway as a real process under mixed traffic with
# faults injected for SOAK_SECONDS (default 300), then checked for lost writes, unexpected errors
# and heap growth. The report is printed and written to target/soak-report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh
SOAK_SECONDS="${SOAK_SECONDS:-300}"
if [ ! -d test-peers/node_modules ] || [ test-peers/package-lock.json -nt test-peers/node_modules/.package-lock.json ]; then
  (cd test-peers && npm ci --no-audit --no-fund --loglevel=error)
fi
/usr/bin/python3 -c "import prometheus_client.parser" 2>/dev/null \
  || { echo "soak.sh: python3-prometheus-client is needed (apt-get install python3-prometheus-client)" >&2; exit 1; }
mvn -B -ntp test -Dsoak.excluded=not-a-tag -Dgroups=soak -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.seconds="$SOAK_SECONDS" -Dsurefire.extraArgs="-Dsoak.seconds=$SOAK_SECONDS"
cat target/soak-report.md
