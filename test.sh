#!/usr/bin/env bash
# Every test suite against real servers: ./test.sh [dotnet test --filter expression]
# Prints "N passed, N failed" last and exits non-zero on any failure.
set -Eeuo pipefail
cd "$(dirname "$0")"
source deploy/local/services.sh
# Whatever fails before the tests run (an install, the build, the database) still ends with the totals line.
trap 'echo "test.sh: set-up failed before the tests ran" >&2; echo "0 passed, 1 failed"' ERR

PG_PORT="${TELEMED_TEST_PG_PORT:-55433}"
RESULTS="$PWD/.data/test-results"

if [ "${1:-}" != "--inside" ]; then
  # Phase 1, with the network: install, restore, build.
  ensure_postgres
  ensure_pdf_fonts
  ensure_debian_packages chromium:chromium turnserver:coturn pdftotext:poppler-utils zbarimg:zbar-tools redis-server:redis-server \
    /usr/lib/python3/dist-packages/aiosmtpd:python3-aiosmtpd
  echo "==> Restoring and building"
  build_web_client
  dotnet restore Telemed.sln -nologo -v quiet
  dotnet build Telemed.sln --no-restore -nologo -v quiet -clp:ErrorsOnly
  # Phase 2, without it: a fresh network namespace with only loopback, so nothing a test starts
  # (PostgreSQL, the server, Chromium's WebRTC) can reach any address but 127.0.0.0/8.
  if [ "$(id -u)" -eq 0 ] && unshare -n true 2>/dev/null; then
    exec unshare -n "$0" --inside "$@"
  fi
  echo "warning: cannot create a network namespace (needs root); running tests on the host network" >&2
  exec "$0" --inside "$@"
fi
shift

if [ "$(id -u)" -eq 0 ] && ! ip -o addr show 2>/dev/null | grep -qv ' lo '; then ip link set lo up; fi

PG_DIR="$(pg_dir "$PWD/.data/test-pg")"
rm -rf "$PG_DIR" "$RESULTS"
mkdir -p "$RESULTS"
# fsync off: this cluster is thrown away after the run.
PG_FSYNC=off pg_start "$PG_DIR" "$PG_PORT"
trap 'pg_stop "$PG_DIR"' EXIT
pg_ensure_database "$PG_PORT" telemed_test
export TELEMED_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=telemed_test;Maximum Pool Size=40"
# From here on every failure is counted by the suites themselves.
trap - ERR

filter=()
[ $# -gt 0 ] && filter=(--filter "$1")

# One suite: its output goes to its own log; its counts to a .counts file ("passed failed exit").
run_suite() {
  local name="$1"; shift
  local log="$RESULTS/$name.log" code p f summary
  set +e
  "$@" >"$log" 2>&1
  code=$?
  set -e
  if [ "$name" = vitest ]; then
    summary="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests ' | tail -1 || true)"
    p="$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$summary")"; f="$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$summary")"
  else
    summary="$(grep -E '(Passed|Failed)!  - Failed: ' "$log" | tail -1 || true)"
    p="$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary")"; f="$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")"
  fi
  p="${p:-0}"; f="${f:-0}"
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
    if [ ${#filter[@]} -gt 0 ] && grep -q "No test matches the given testcase filter" "$log"; then code=0
    else echo "$name: the test run itself failed (exit $code)" >>"$log"; f=1; fi
  fi
  echo "$p $f $code" >"$RESULTS/$name.counts"
  echo "--- $name: $p passed, $f failed"
}

# Each suite also writes a TRX file with every test's duration (.data/test-results/NAME.trx).
dotnet_suite() { dotnet test "tests/$1" --no-build -nologo --logger "trx;LogFileName=$1.trx" --results-directory "$RESULTS" "${filter[@]}"; }

# One suite at a time: the server and browser suites each keep both cores busy, and run side by side they took longer
# than one after the other (WebRTC and page timings stretched under the contention).
suites=(Telemed.Domain.Tests Telemed.Server.Tests Telemed.Browser.Tests)
run_suite Telemed.Domain.Tests dotnet_suite Telemed.Domain.Tests
if [ ${#filter[@]} -eq 0 ]; then
  suites+=(vitest)
  run_suite vitest bash -c 'cd web-client && NO_COLOR=1 npx vitest run --reporter=default 2>&1 | grep -v nodedir; exit "${PIPESTATUS[0]}"'
fi
run_suite Telemed.Server.Tests dotnet_suite Telemed.Server.Tests
run_suite Telemed.Browser.Tests dotnet_suite Telemed.Browser.Tests

passed=0; failed=0; status=0
for name in "${suites[@]}"; do
  echo "==> $name"
  cat "$RESULTS/$name.log"
  read -r p f code <"$RESULTS/$name.counts"
  passed=$((passed + p)); failed=$((failed + f))
  [ "$code" -ne 0 ] && status=1
done

echo "$passed passed, $failed failed"
exit "$status"
