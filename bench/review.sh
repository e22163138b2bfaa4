#!/usr/bin/env bash
# Benchmarks of the review path: catalogue parsing, workload loading and evaluation, and the end-to-end CLI.
# Usage: bench/review.sh [COUNT]   (default 6 runs per benchmark; compare runs with benchstat)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-6}
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version) $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
go test -run '^$' -bench . -benchmem -count "$count" ./internal/review/
go build -o /tmp/walens-bench ./cmd/walens
echo "# end-to-end: walens review examples/fraud-detection (process start, catalogue parse, evaluation, output)"
for i in $(seq 1 "$count"); do
  start=$(date +%s%N)
  /tmp/walens-bench review examples/fraud-detection >/dev/null
  echo "cli-review-fraud-detection $(( ($(date +%s%N) - start) / 1000 )) us"
done
