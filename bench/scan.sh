#!/usr/bin/env bash
# Benchmark of walens scan on the synthetic corpus: 1,000 Terraform files with 10,000 resource blocks (mixed
# SageMaker, Bedrock and everyday AWS types, with variables, locals, count, for_each, dynamic blocks and references)
# and 200 CloudFormation templates with 2,000 resources. Times the whole CLI process and records its peak memory,
# then runs the Go benchmarks for the same corpus and a tenth of it.
# Usage: bench/scan.sh [COUNT]   (default 5 runs; needs GNU time at /usr/bin/time for peak memory)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5}
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version) $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/walens" ./cmd/walens
go run ./bench/scangen -dir "$work/corpus"
files=1200
resources=$(( 10000 + 2000 ))
echo "# walens scan CORPUS --format json -o OUT --fail-on none: wall seconds, peak RSS"
for i in $(seq 1 "$count"); do
  /usr/bin/time -f "%e %M" -o "$work/time" "$work/walens" scan "$work/corpus" --format json -o "$work/out.json" --fail-on none 2>/dev/null
  read -r secs kb <"$work/time"
  echo "cli-scan-full ${secs} s, $(( kb / 1024 )) MB peak RSS, $(awk -v f=$files -v s="$secs" 'BEGIN{printf "%.0f", f/s}') files/s, $(awk -v r=$resources -v s="$secs" 'BEGIN{printf "%.0f", r/s}') resource blocks/s"
done
go test -run '^$' -bench 'BenchmarkScan' -benchmem -benchtime 3x -count "$count" ./internal/scan/
