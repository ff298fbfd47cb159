#!/usr/bin/env bash
# Idle hub connections per node and server memory: ./tests/Telemed.Benchmarks/run-idle-connections.sh [connections]
# HTTP2=1 opens them over HTTP/2 (up to 100 WebSockets per TCP connection) on a second, cleartext HTTP/2 endpoint:
# past 20,000 the process open-files limit here is reached by sockets otherwise.
# Writes docs/benchmarks.md (see bench.sh for what is started and where).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
CONNECTIONS="${1:-20000}"
[ "${2:-}" = "--inside" ] || bench_enter "$0" "$CONNECTIONS"

bench_inside
if [ "${HTTP2:-0}" = 1 ]; then
  H2_URL=http://127.0.0.1:5091
  bench_start_server "$URL" Kestrel__Endpoints__Http1__Url="$URL" Kestrel__Endpoints__H2c__Url="$H2_URL" Kestrel__Endpoints__H2c__Protocols=Http2
  dotnet "$DRIVER" idle-connections "$URL" "$SERVER_PID" "$CONNECTIONS" "$H2_URL"
else
  bench_start_server
  dotnet "$DRIVER" idle-connections "$URL" "$SERVER_PID" "$CONNECTIONS"
fi
