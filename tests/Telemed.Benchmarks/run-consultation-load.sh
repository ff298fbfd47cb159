#!/usr/bin/env bash
# Whole consultations under load: ./tests/Telemed.Benchmarks/run-consultation-load.sh [pairs] [seconds]
# Writes docs/benchmarks.md (see bench.sh for what is started and where).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
PAIRS="${1:-1000}"; SECONDS_TO_RUN="${2:-300}"
[ "${3:-}" = "--inside" ] || bench_enter "$0" "$PAIRS" "$SECONDS_TO_RUN"

bench_inside
bench_start_server
dotnet "$DRIVER" consultation-load "$URL" "$SERVER_PID" "$PAIRS" "$SECONDS_TO_RUN" "$BENCH_DATABASE"
