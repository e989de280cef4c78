#!/usr/bin/env bash
# The context-cost benchmark, in one command:   bench/context.sh
#
# Starts a real gateway (embedded store, loopback HTTP) in front of 50 upstreams × 20 tools (the generated
# 1,000-tool catalogue of src/test/resources/search/), joins them in one portal and measures, as an agent
# gets them: the tokens (o200k_base) and bytes of tools/list with ?optimize_context= none, minimize_tools and
# search_and_execute, the ratio full ÷ search_and_execute, the tokens of one portal_query_tools answer (limit
# 5 and 10), the management API's context_tokens beside them, and how long counting takes. Prints the report
# and writes bench/results/context/CONTEXT.md. Under a minute on 2 cores; needs a JDK 25+ and Maven (it
# compiles the test classes if src/ changed). See bench/README.md.
#
# Settings (environment):   CONTEXT_OUT=bench/results/context/CONTEXT.md   where the report goes
#                           CONTEXT_JAVA_OPTS=""                          extra JVM flags
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source scripts/lib/java.sh
OUT="${CONTEXT_OUT:-bench/results/context/CONTEXT.md}"

mvn_q() { mvn -q -o "$@" 2>/dev/null || mvn -q "$@"; }

# The benchmark and its fixtures live with the tests; compile them only when a source is newer.
stamp=target/test-classes/dev/mcpgateway/search/ContextBenchmark.class
if [ ! -f "$stamp" ] || [ -n "$(find src pom.xml -newer "$stamp" -type f -print -quit)" ]; then
  echo "context.sh: compiling (mvn test-compile)" >&2
  mvn_q test-compile
fi
cp_file=target/context-bench.classpath
if [ ! -s "$cp_file" ] || [ pom.xml -nt "$cp_file" ]; then
  mvn_q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
fi

# shellcheck disable=SC2086
exec java ${CONTEXT_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat "$cp_file")" \
  dev.mcpgateway.search.ContextBenchmark "$OUT"
