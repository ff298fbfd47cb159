#!/usr/bin/env bash
# Lighthouse's accessibility and best-practices scores on each role's main page (sign-in, patient, doctor, pharmacist,
# admin, health worker), signed in through the page, in the local Chromium:
# ./tests/Telemed.Benchmarks/run-lighthouse-roles.sh
# Prints one row per page with the audits below 100 and writes docs/benchmarks.md; exits non-zero when an audit fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
LIGHTHOUSE=tests/Telemed.Benchmarks/lighthouse
if [ "${1:-}" != "--inside" ]; then
  build_web_client
  (cd "$LIGHTHOUSE" && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })
  bench_enter "$0"
fi

bench_inside
bench_start_server
CHROME_PATH=/usr/bin/chromium node "$LIGHTHOUSE/roles.mjs" "$URL" docs/benchmarks.md
