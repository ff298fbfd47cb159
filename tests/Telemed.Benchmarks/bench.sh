# shellcheck shell=bash disable=SC2034  # sourced: the variables are read by the run-*.sh scripts
# Shared by the run-*.sh benchmark scripts (sourced from the repository root). They build outside, then run again
# inside a loopback-only network namespace with a private PostgreSQL and the release server, and stop what they started.
source deploy/local/services.sh
# The server's GC mode (0 = workstation, the default build; 1 = server GC); reports are labelled with it.
export DOTNET_gcServer="${DOTNET_gcServer:-0}"
# Socket completions on the epoll thread (1) or, as deployed, on the thread pool (0); the relay report says which was used.
export INLINE_COMPLETIONS="${INLINE_COMPLETIONS:-0}"
PG_DIR="$PWD/.data/bench-pg"; PG_PORT=55434; URL=http://127.0.0.1:5090
BENCH_DATABASE="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=telemed_bench;Maximum Pool Size=60"
BENCH_MESSAGES_KEY="$PWD/.data/bench-messages.key"
# Where the message benchmarks' driver runs the fake Fast2SMS gateway.
SMS_URL=http://127.0.0.1:5095
BENCH_PIDS=()
DRIVER=tests/Telemed.Benchmarks/bin/Release/net10.0/Telemed.Benchmarks.dll

# bench_enter SCRIPT ARGS...: builds, then runs SCRIPT ARGS... --inside in a fresh network namespace (when allowed).
bench_enter() {
  ensure_postgres
  dotnet build src/Telemed.Server -c Release -nologo -v quiet
  dotnet build tests/Telemed.Benchmarks -c Release -nologo -v quiet
  if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then exec unshare -n "$@" --inside; fi
  exec "$@" --inside
}

bench_cleanup() {
  for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pg_stop "$PG_DIR"
}

# Inside the namespace: loopback up, enough file descriptors, a fresh PostgreSQL cluster.
bench_inside() {
  [ "$(id -u)" -eq 0 ] && ip link set lo up
  ulimit -n 200000 2>/dev/null || ulimit -n 65536 2>/dev/null || true
  rm -rf "$PG_DIR"
  pg_start "$PG_DIR" "$PG_PORT"
  trap bench_cleanup EXIT
  pg_ensure_database "$PG_PORT" telemed_bench
}

# Starts the release server with demo users and the limits meant for people (sign-in, check-in, OTP, hub messages per
# second) lifted — the limiter still runs on every call; sets SERVER_PID.
# bench_start_server [URL [NAME=value ...]]: another node on another URL, with extra settings (e.g. Redis__ConnectionString).
# shellcheck disable=SC2120  # the arguments are optional
bench_start_server() {
  local url="${1:-$URL}"
  [ $# -gt 0 ] && shift
  local log=".data/bench-server-${url##*:}.log"
  # Not Production: patients' codes go to the development sink, which Production refuses.
  env ASPNETCORE_ENVIRONMENT=Benchmark Sms__Provider=Sink Email__Provider=Sink \
  Messages__SecretPath="$BENCH_MESSAGES_KEY" Database__ConnectionString="$BENCH_DATABASE" \
  Auth__SigningKeyPath="$PWD/.data/bench-key.pem" Demo__Seed=true Otp__ResendCooldownSeconds=0 \
  Security__SignInPerMinute=100000 Security__CheckInPerMinute=100000 Security__SessionPerMinute=100000 Signalling__Burst=10000 Signalling__MessagesPerSecond=10000 \
  Auth__PasswordHashIterations=1000 Hubs__ConnectionsPerAddress=1000000 Hubs__ConnectionsPerAccount=100000 Hubs__AnonymousConnectionsPerMinute=1000000 \
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS="$INLINE_COMPLETIONS" "$@" \
    dotnet src/Telemed.Server/bin/Release/net10.0/Telemed.Server.dll --urls "$url" --contentRoot "$PWD/src/Telemed.Server" > "$log" 2>&1 &
  SERVER_PID=$!
  BENCH_PIDS+=("$SERVER_PID")
  for _ in $(seq 1 240); do curl -sf "$url/health/ready" >/dev/null && return 0; sleep 0.5; done
  echo "the server did not become ready; see $log" >&2
  return 1
}

# A private redis-server on loopback (no persistence); sets REDIS.
bench_start_redis() {
  redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no > .data/bench-redis.log 2>&1 &
  BENCH_PIDS+=("$!")
  REDIS="127.0.0.1:6390,abortConnect=false"
  for _ in $(seq 1 40); do redis-cli -p 6390 ping >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "redis-server did not start; see .data/bench-redis.log" >&2
  return 1
}

# The release server sending SMS to the fake gateway the driver runs at SMS_URL (with its DLT ids); sets SERVER_PID.
bench_start_server_with_fake_sms() {
  local settings
  mapfile -t settings < <(dotnet "$DRIVER" fake-sms-settings "$SMS_URL")
  bench_start_server "$URL" "${settings[@]}"
}
