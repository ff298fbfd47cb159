#!/usr/bin/env bash
# Queue latency at 1,000 connected waiting patients: ./tests/Telemed.Benchmarks/run-queue-latency.sh [patients] [samples]
# Starts a private PostgreSQL and the release server inside a loopback-only network namespace, runs the driver,
# writes docs/benchmarks.md, and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/services.sh
PATIENTS="${1:-1000}"; SAMPLES="${2:-200}"
# The server's GC mode (0 = workstation, the default build; 1 = server GC); the report is labelled with it.
export DOTNET_gcServer="${DOTNET_gcServer:-0}"

if [ "${3:-}" != "--inside" ]; then
  ensure_postgres
  dotnet build src/Telemed.Server -c Release -nologo -v quiet
  dotnet build tests/Telemed.Benchmarks -c Release -nologo -v quiet
  if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then exec unshare -n "$0" "$PATIENTS" "$SAMPLES" --inside; fi
  exec "$0" "$PATIENTS" "$SAMPLES" --inside
fi

[ "$(id -u)" -eq 0 ] && ip link set lo up
PG_DIR="$PWD/.data/bench-pg"; PG_PORT=55434; URL=http://127.0.0.1:5090
rm -rf "$PG_DIR"
pg_start "$PG_DIR" "$PG_PORT"
SERVER_PID=""
cleanup() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi; pg_stop "$PG_DIR"; }
trap cleanup EXIT
pg_ensure_database "$PG_PORT" telemed_bench

ulimit -n 65536 2>/dev/null || true
Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=telemed_bench" \
Auth__SigningKeyPath="$PWD/.data/bench-key.pem" Demo__Seed=true Otp__ResendCooldownSeconds=0 \
  dotnet src/Telemed.Server/bin/Release/net10.0/Telemed.Server.dll --urls "$URL" --contentRoot "$PWD/src/Telemed.Server" > .data/bench-server.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 0.5; done

dotnet tests/Telemed.Benchmarks/bin/Release/net10.0/Telemed.Benchmarks.dll queue-latency "$URL" "$SERVER_PID" "$PATIENTS" "$SAMPLES"
