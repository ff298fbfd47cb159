#!/usr/bin/env bash
# Queue latency at 1,000 connected waiting patients: ./tests/Telemed.Benchmarks/run-queue-latency.sh [patients] [samples]
# Writes docs/benchmarks.md (see bench.sh for what is started and where).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
PATIENTS="${1:-1000}"; SAMPLES="${2:-500}"
[ "${3:-}" = "--inside" ] || bench_enter "$0" "$PATIENTS" "$SAMPLES"

bench_inside
bench_start_server
dotnet "$DRIVER" queue-latency "$URL" "$SERVER_PID" "$PATIENTS" "$SAMPLES"
