#!/usr/bin/env bash
# Signalling relay, Telemed's hub against the PeerJS server: ./tests/Telemed.Benchmarks/run-signalling-relay.sh [rooms] [seconds]
# Starts PostgreSQL, the release server and PeerJS inside a loopback-only network namespace, runs the driver,
# writes docs/benchmarks.md, and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/services.sh
ROOMS="${1:-1000}"; SECONDS_TO_RUN="${2:-30}"
export DOTNET_gcServer="${DOTNET_gcServer:-0}"

if [ "${3:-}" != "--inside" ]; then
  ensure_postgres
  (cd tests/Telemed.Benchmarks/peerjs && npm ci --no-audit --no-fund --loglevel=error)
  dotnet build src/Telemed.Server -c Release -nologo -v quiet
  dotnet build tests/Telemed.Benchmarks -c Release -nologo -v quiet
  if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then exec unshare -n "$0" "$ROOMS" "$SECONDS_TO_RUN" --inside; fi
  exec "$0" "$ROOMS" "$SECONDS_TO_RUN" --inside
fi

[ "$(id -u)" -eq 0 ] && ip link set lo up
ulimit -n 65536 2>/dev/null || true
PG_DIR="$PWD/.data/bench-pg"; PG_PORT=55434; URL=http://127.0.0.1:5090; PEER_URL=ws://127.0.0.1:9000
rm -rf "$PG_DIR"
pg_start "$PG_DIR" "$PG_PORT"
SERVER_PID=""; PEER_PID=""
cleanup() {
  for pid in $SERVER_PID $PEER_PID; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pg_stop "$PG_DIR"
}
trap cleanup EXIT
pg_ensure_database "$PG_PORT" telemed_bench

Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=telemed_bench;Maximum Pool Size=60" \
Auth__SigningKeyPath="$PWD/.data/bench-key.pem" Demo__Seed=true Otp__ResendCooldownSeconds=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS="${INLINE_COMPLETIONS:-0}" \
  dotnet src/Telemed.Server/bin/Release/net10.0/Telemed.Server.dll --urls "$URL" --contentRoot "$PWD/src/Telemed.Server" > .data/bench-server.log 2>&1 &
SERVER_PID=$!
node tests/Telemed.Benchmarks/peerjs/node_modules/peer/dist/bin/peerjs.js --port 9000 --host 127.0.0.1 > .data/bench-peerjs.log 2>&1 &
PEER_PID=$!
for _ in $(seq 1 60); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 0.5; done

dotnet tests/Telemed.Benchmarks/bin/Release/net10.0/Telemed.Benchmarks.dll signalling-relay "$URL" "$PEER_URL" "$SERVER_PID" "$PEER_PID" "$ROOMS" "$SECONDS_TO_RUN"
