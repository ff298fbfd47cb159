#!/usr/bin/env bash
# Idle hub connections per node and server memory: ./tests/Telemed.Benchmarks/run-idle-connections.sh [connections]
# Starts PostgreSQL and the release server inside a loopback-only network namespace, opens the connections,
# writes docs/benchmarks.md, and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/services.sh
CONNECTIONS="${1:-20000}"
export DOTNET_gcServer="${DOTNET_gcServer:-0}"

if [ "${2:-}" != "--inside" ]; then
  ensure_postgres
  dotnet build src/Telemed.Server -c Release -nologo -v quiet
  dotnet build tests/Telemed.Benchmarks -c Release -nologo -v quiet
  if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then exec unshare -n "$0" "$CONNECTIONS" --inside; fi
  exec "$0" "$CONNECTIONS" --inside
fi

[ "$(id -u)" -eq 0 ] && ip link set lo up
ulimit -n 200000 2>/dev/null || ulimit -n 65536 2>/dev/null || true
PG_DIR="$PWD/.data/bench-pg"; PG_PORT=55434; URL=http://127.0.0.1:5090
rm -rf "$PG_DIR"
pg_start "$PG_DIR" "$PG_PORT"
SERVER_PID=""
cleanup() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi; pg_stop "$PG_DIR"; }
trap cleanup EXIT
pg_ensure_database "$PG_PORT" telemed_bench

Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=telemed_bench" \
Auth__SigningKeyPath="$PWD/.data/bench-key.pem" Demo__Seed=true \
  dotnet src/Telemed.Server/bin/Release/net10.0/Telemed.Server.dll --urls "$URL" --contentRoot "$PWD/src/Telemed.Server" > .data/bench-server.log 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 0.5; done

dotnet tests/Telemed.Benchmarks/bin/Release/net10.0/Telemed.Benchmarks.dll idle-connections "$URL" "$SERVER_PID" "$CONNECTIONS"
