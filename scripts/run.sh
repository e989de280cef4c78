#!/usr/bin/env bash
# Builds the gateway if needed and starts it on the embedded store (./data), port 8080.
# Every setting can be overridden by environment variables (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh
mvn -B -ntp -q package -DskipTests
exec java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -jar target/mcp-gateway.jar "$@"
