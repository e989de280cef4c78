#!/usr/bin/env bash
# The Code Mode benchmark, in one command:   bench/codemode.sh
#
# In one run (compare its ratios, never absolute times across runs): a sandbox process's start-up and a warm
# run's latency (p50/p99); through a real gateway (embedded store, loopback HTTP, a portal of three upstreams),
# one portal_codemode_execute making three tool calls against the same three calls made by the agent one by one;
# and the throughput of ordinary portal calls alone, beside 2 clients running Code Mode scripts, and beside 2
# clients running code that spins until its limit. Prints the report and writes
# bench/results/codemode/CODEMODE.md. About two minutes on 2 cores; needs a JDK 25+ and Maven.
#
# Settings (environment):   CODEMODE_OUT=bench/results/codemode/CODEMODE.md   where the report goes
#                           CODEMODE_JAVA_OPTS=""                            extra JVM flags (-Dcodemode.runs=300
#                                                                            -Dcodemode.window=10)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source scripts/lib/java.sh
OUT="${CODEMODE_OUT:-bench/results/codemode/CODEMODE.md}"

mvn_q() { mvn -q -o "$@" 2>/dev/null || mvn -q "$@"; }

stamp=target/test-classes/dev/mcpgateway/codemode/CodeModeBenchmark.class
if [ ! -f "$stamp" ] || [ -n "$(find src pom.xml -newer "$stamp" -type f -print -quit)" ]; then
  echo "codemode.sh: compiling (mvn test-compile)" >&2
  mvn_q test-compile
fi
cp_file=target/codemode-bench.classpath
if [ ! -s "$cp_file" ] || [ pom.xml -nt "$cp_file" ]; then
  mvn_q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
fi

# shellcheck disable=SC2086
exec java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow ${CODEMODE_JAVA_OPTS:-} \
  -cp "target/classes:target/test-classes:$(cat "$cp_file")" dev.mcpgateway.codemode.CodeModeBenchmark "$OUT"
