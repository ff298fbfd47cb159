#!/usr/bin/env bash
# Idle hub connections per node and server memory: ./tests/Telemed.Benchmarks/run-idle-connections.sh [connections]
# Writes docs/benchmarks.md (see bench.sh for what is started and where).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
CONNECTIONS="${1:-20000}"
[ "${2:-}" = "--inside" ] || bench_enter "$0" "$CONNECTIONS"

bench_inside
bench_start_server
dotnet "$DRIVER" idle-connections "$URL" "$SERVER_PID" "$CONNECTIONS"
