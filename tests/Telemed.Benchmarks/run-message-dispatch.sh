#!/usr/bin/env bash
# Dispatcher throughput on one node to the fake SMS gateway: ./tests/Telemed.Benchmarks/run-message-dispatch.sh [messages]
# Writes docs/benchmarks.md (see bench.sh for what is started and where).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
MESSAGES="${1:-20000}"
[ "${2:-}" = "--inside" ] || bench_enter "$0" "$MESSAGES"

bench_inside
bench_start_server_with_fake_sms
dotnet "$DRIVER" message-dispatch "$BENCH_DATABASE" "$BENCH_MESSAGES_KEY" "$MESSAGES" "$SMS_URL"
