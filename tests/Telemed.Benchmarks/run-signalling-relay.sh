#!/usr/bin/env bash
# Signalling relay, Telemed's hub against the PeerJS server: ./tests/Telemed.Benchmarks/run-signalling-relay.sh [rooms] [seconds]
# TWO_NODES=1: two Telemed nodes on one redis-server, measured with both sides on one node and across the two.
# Writes docs/benchmarks.md (see bench.sh for what is started and where; PeerJS runs beside the server).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
ROOMS="${1:-1000}"; SECONDS_TO_RUN="${2:-30}"
if [ "${3:-}" != "--inside" ]; then
  (cd tests/Telemed.Benchmarks/peerjs && npm ci --no-audit --no-fund --loglevel=error)
  bench_enter "$0" "$ROOMS" "$SECONDS_TO_RUN"
fi

bench_inside
node tests/Telemed.Benchmarks/peerjs/node_modules/peer/dist/bin/peerjs.js --port 9000 --host 127.0.0.1 > .data/bench-peerjs.log 2>&1 &
PEER_PID=$!
BENCH_PIDS+=("$PEER_PID")
if [ "${TWO_NODES:-0}" = "1" ]; then
  bench_start_redis
  bench_start_server "$URL" Redis__ConnectionString="$REDIS"
  FIRST_PID=$SERVER_PID
  bench_start_server http://127.0.0.1:5091 Redis__ConnectionString="$REDIS"
  dotnet "$DRIVER" signalling-relay "$URL" ws://127.0.0.1:9000 "$FIRST_PID" "$PEER_PID" "$ROOMS" "$SECONDS_TO_RUN" http://127.0.0.1:5091 "$SERVER_PID"
else
  bench_start_server
  dotnet "$DRIVER" signalling-relay "$URL" ws://127.0.0.1:9000 "$SERVER_PID" "$PEER_PID" "$ROOMS" "$SECONDS_TO_RUN"
fi
