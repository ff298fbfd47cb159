#!/usr/bin/env bash
# Lighthouse on the patient's pages (the sign-in page and the prescription check), Lighthouse's default mobile profile
# and a 2G profile (250 kbps, 300 ms, 4x CPU), in the local Chromium: ./tests/Telemed.Benchmarks/run-lighthouse.sh [runs]
# Prints the median figures and writes docs/benchmarks.md (see bench.sh for what is started and where).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/Telemed.Benchmarks/bench.sh
RUNS="${1:-3}"
LIGHTHOUSE=tests/Telemed.Benchmarks/lighthouse
if [ "${2:-}" != "--inside" ]; then
  build_web_client
  (cd "$LIGHTHOUSE" && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; })
  bench_enter "$0" "$RUNS"
fi

bench_inside
bench_start_server
CHROME_PATH=/usr/bin/chromium node "$LIGHTHOUSE/run.mjs" "$URL" "$RUNS" docs/benchmarks.md
