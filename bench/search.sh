#!/usr/bin/env bash
# The tool-search benchmark, in one command:   bench/search.sh
#
# Measures dev.mcpgateway.search.ToolSearch in-process (no gateway, no network): recall@1/@5/@10 and MRR
# on the labelled queries (src/test/resources/search/queries.jsonl) per catalogue and overall, the same
# for the tunings it was chosen over, index build time and single-thread search latency (p50/p90/p99)
# at 1,000 tools. Prints the report and writes bench/results/search/SEARCH.md. About two minutes on
# 2 cores; needs a JDK 25+ and Maven (it compiles the test classes if src/ changed). See bench/README.md.
#
# Settings (environment):   SEARCH_OUT=bench/results/search/SEARCH.md   where the report goes
#                           SEARCH_JAVA_OPTS=""                          extra JVM flags
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source scripts/lib/java.sh
OUT="${SEARCH_OUT:-bench/results/search/SEARCH.md}"

mvn_q() { mvn -q -o "$@" 2>/dev/null || mvn -q "$@"; }

# The benchmark and its fixtures live with the tests; compile them only when a source is newer.
stamp=target/test-classes/dev/mcpgateway/search/SearchBenchmark.class
if [ ! -f "$stamp" ] || [ -n "$(find src pom.xml -newer "$stamp" -type f -print -quit)" ]; then
  echo "search.sh: compiling (mvn test-compile)" >&2
  mvn_q test-compile
fi
cp_file=target/search-bench.classpath
if [ ! -s "$cp_file" ] || [ pom.xml -nt "$cp_file" ]; then
  mvn_q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
fi

# shellcheck disable=SC2086
exec java ${SEARCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat "$cp_file")" \
  dev.mcpgateway.search.SearchBenchmark "$OUT"
