#!/usr/bin/env bash
# Benchmarks of the monitor: profiling and sketch throughput (Go benchmarks), a baseline of a generated
# 1,000,000 x 20 CSV (14 numeric, 6 categorical columns) through the CLI, a run of that file against its own
# baseline, and peak memory while a generated stream of BYTES (default 10 GB) is baselined from standard input.
# Usage: bench/monitor.sh [COUNT] [BYTES]   (COUNT runs of each timing, default 3; BYTES 0 skips the stream)
# Needs GNU time (/usr/bin/time, Debian package "time") for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3}
bytes=${2:-10000000000}
tmp=${TMPDIR:-/tmp}/walens-monitor-bench
mkdir -p "$tmp"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version) $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
go test -run '^$' -bench . -benchmem -count "$count" ./internal/monitor/profile/ ./internal/monitor/sketch/
go build -o "$tmp/walens" ./cmd/walens
go build -o "$tmp/monitordata" ./bench/monitordata
"$tmp/monitordata" -rows 1000000 >"$tmp/1m.csv"
echo "# 1,000,000 x 20 CSV: $(stat -c %s "$tmp/1m.csv") bytes"
for _ in $(seq 1 "$count"); do
  /usr/bin/time -f "baseline-1m %e s wall, %U s user, %M KB max RSS" "$tmp/walens" monitor baseline --data "$tmp/1m.csv" --out "$tmp/base" >/dev/null
done
for _ in $(seq 1 "$count"); do
  # Exit 1 would mean violations; the file is its own baseline, so a clean run exits 0.
  /usr/bin/time -f "run-1m %e s wall, %U s user, %M KB max RSS" "$tmp/walens" monitor run --baseline "$tmp/base" --data "$tmp/1m.csv" --out "$tmp/run" >/dev/null
done
if [ "$bytes" -gt 0 ]; then
  echo "# a generated stream of $bytes bytes through standard input (the generator shares the CPUs)"
  "$tmp/monitordata" -bytes "$bytes" -seed 7 |
    /usr/bin/time -f "baseline-stream %e s wall, %U s user, %M KB max RSS" "$tmp/walens" monitor baseline --data - --data-format csv --out "$tmp/stream" --format json |
    grep -o '"rows": [0-9]*'
fi
