#!/usr/bin/env bash
# OTP request → SMS at the gateway while a session's queue messages go out:
# ./tests/Telemed.Benchmarks/run-otp-under-load.sh [waiting] [samples]
# Writes docs/benchmarks.md (see bench.sh for what is started and where).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
WAITING="${1:-1000}"; SAMPLES="${2:-500}"
[ "${3:-}" = "--inside" ] || bench_enter "$0" "$WAITING" "$SAMPLES"

bench_inside
bench_start_server_with_fake_sms
dotnet "$DRIVER" otp-under-load "$URL" "$WAITING" "$SAMPLES" "$SMS_URL"
