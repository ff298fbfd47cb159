#!/usr/bin/env bash
# Telemed as HIP: build, encrypt and push 100 care contexts, on one core: ./tests/Telemed.Benchmarks/run-hip-transfer.sh
# BenchmarkDotNet (ShortRun) in a release build, pinned to CPU 0 with taskset (its child processes inherit the pin);
# the HIU endpoint it pushes to listens on loopback in the same process. Writes docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/Telemed.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly
taskset -c 0 dotnet tests/Telemed.Benchmarks/bin/Release/net10.0/Telemed.Benchmarks.dll micro HipTransfer
