#!/usr/bin/env bash
# Sessions opened and closed on one node for a long time: ./tests/Telemed.Benchmarks/run-soak.sh [doctors] [sessions] [minutes]
# Exits non-zero when resident memory at the end is more than 10 % above its level after the warm-up.
# Writes docs/benchmarks.md (see bench.sh for what is started and where).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
DOCTORS="${1:-10}"; SESSIONS="${2:-10000}"; MINUTES="${3:-30}"
[ "${4:-}" = "--inside" ] || bench_enter "$0" "$DOCTORS" "$SESSIONS" "$MINUTES"

bench_inside
# Tokens that outlive the run: the driver signs in once, and the hubs close connections whose token expires.
bench_start_server "$URL" Auth__AccessTokenMinutes=120
dotnet "$DRIVER" soak "$URL" "$SERVER_PID" "$DOCTORS" "$SESSIONS" "$MINUTES"
