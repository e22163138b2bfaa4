#!/usr/bin/env bash
# Gateway benchmark: added latency, highest sustained rate, memory, added time to first token, and the fault run.
# Usage: bench/gateway/run.sh [OUTDIR]      (default: a new temporary directory)
# Environment: RATE (1000), DURATION (10s per measurement), ROUNDS (5), RATES (2000,3000,5000,7000,10000),
# MAXRATE_ROUNDS (3 per rate),
# FAULT_RATE (1000), FAULT_DURATION (60s), PORT_BASE (18080: gateway; +1 the same gateway with transport: net/http;
# +10 the bare net/http proxy; +10010 and +10011 the two mocks).
# Everything runs on this machine and shares its cores: the load driver, the two mocks and the gateways.
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=${1:-$(mktemp -d -t walens-gwbench.XXXXXX)}
mkdir -p "$OUT/bin"
RATE=${RATE:-1000}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-5}
RATES=${RATES:-2000,3000,5000,7000,10000}
MAXRATE_ROUNDS=${MAXRATE_ROUNDS:-3}
FAULT_RATE=${FAULT_RATE:-1000}
FAULT_DURATION=${FAULT_DURATION:-60s}
PORT_BASE=${PORT_BASE:-18080}
GW=127.0.0.1:$PORT_BASE
GW_STD=127.0.0.1:$((PORT_BASE + 1))
MOCK_A=127.0.0.1:$((PORT_BASE + 10010))
MOCK_B=127.0.0.1:$((PORT_BASE + 10011))
BASELINE=127.0.0.1:$((PORT_BASE + 10))
export WALENS_BENCH_KEY=sk-walens-bench

echo "== building into $OUT/bin"
go build -o "$OUT/bin/walens" ./cmd/walens
go build -o "$OUT/bin/mockllm" ./bench/gateway/mockllm
go build -o "$OUT/bin/loadgen" ./bench/gateway/loadgen
go build -o "$OUT/bin/baseline" ./bench/gateway/baseline

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT

wait_http() { # URL
	for _ in $(seq 100); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# The mocks and the driver are measuring tools sharing the gateway's two cores: one thread each for Go code keeps
# their schedulers from waking a second thread for every request, which costs CPU the gateway would otherwise get.
# The gateway runs with Go's default, one per core, as in production.
start_mocks() {
	GOMAXPROCS=1 "$OUT/bin/mockllm" -listen "$MOCK_A" >"$OUT/mock-a.log" 2>&1 &
	pids+=($!)
	GOMAXPROCS=1 "$OUT/bin/mockllm" -listen "$MOCK_B" >"$OUT/mock-b.log" 2>&1 &
	pids+=($!)
	wait_http "http://$MOCK_A/mock/stats"
	wait_http "http://$MOCK_B/mock/stats"
}

start_gateway() { # LISTEN TRANSPORT DIR; sets GW_PID
	mkdir -p "$OUT/$3"
	WALENS_BENCH_LISTEN=$1 WALENS_BENCH_TRANSPORT=$2 WALENS_BENCH_MOCK_A=http://$MOCK_A WALENS_BENCH_MOCK_B=http://$MOCK_B \
		WALENS_BENCH_DIR=$OUT/$3 "$OUT/bin/walens" gateway --config bench/gateway/gateway.yaml \
		>>"$OUT/$3.log" 2>&1 &
	GW_PID=$!
	pids+=("$GW_PID")
	wait_http "http://$1/healthz"
}

rss() { # PID -> "VmRSS kB VmHWM kB"
	awk '/^VmRSS|^VmHWM/ {printf "%s %s kB  ", $1, $2} END {print ""}' "/proc/$1/status"
}

{
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go version | cut -d' ' -f3)"
	echo "load before: $(uptime)"
} | tee "$OUT/machine.txt"

start_mocks
# The same gateway with transport: net/http shows what inlinehttp changes; net/http's bare reverse proxy is the
# floor a Go proxy starts from. Both idle while the main gateway is measured alone.
start_gateway "$GW_STD" net/http gw-nethttp
GW_STD_PID=$GW_PID
"$OUT/bin/baseline" -listen "$BASELINE" -upstream "http://$MOCK_A" >"$OUT/baseline.log" 2>&1 &
bl=$!
pids+=("$bl")
start_gateway "$GW" inline gw
sleep 2
echo "== gateway RSS idle: $(rss "$GW_PID")" | tee "$OUT/rss.txt"

echo "== added latency at $RATE req/s, $ROUNDS rounds of $DURATION: direct; through the gateway; the gateway on net/http's transport; net/http's bare reverse proxy"
"$OUT/bin/loadgen" compare -rate "$RATE" -duration "$DURATION" -rounds "$ROUNDS" \
	-direct "http://$MOCK_A/v1/chat/completions" -through "http://$GW/v1/chat/completions" \
	-also "gw-nethttp=http://$GW_STD/v1/chat/completions" -also "bare-proxy=http://$BASELINE/v1/chat/completions" \
	-json "$OUT/compare.json" | tee "$OUT/compare.txt"

echo "== gateway RSS under $RATE req/s (sampled every second for 20 s)"
"$OUT/bin/loadgen" attack -rate "$RATE" -duration 20s -warmup 0s -url "http://$GW/v1/chat/completions" \
	>"$OUT/rss-load.txt" &
lg=$!
for _ in $(seq 20); do sleep 1; rss "$GW_PID"; done >"$OUT/rss-samples.txt"
wait "$lg"
cat "$OUT/rss-load.txt"
# VmHWM is the peak since start-up, earlier phases included; the samples' VmRSS is what this phase used.
echo "under load: VmRSS max $(awk '{print $5}' "$OUT/rss-samples.txt" | sort -n | tail -1) kB," \
	"last $(awk 'END {print $5}' "$OUT/rss-samples.txt") kB; $(rss "$GW_PID")" | tee -a "$OUT/rss.txt"

echo "== added time to first token at $RATE req/s: streams, 3 rounds of $DURATION, the same four"
"$OUT/bin/loadgen" compare -stream -rate "$RATE" -duration "$DURATION" -rounds 3 \
	-direct "http://$MOCK_A/v1/chat/completions" -through "http://$GW/v1/chat/completions" \
	-also "gw-nethttp=http://$GW_STD/v1/chat/completions" -also "bare-proxy=http://$BASELINE/v1/chat/completions" \
	-json "$OUT/ttft.json" | tee "$OUT/ttft.txt"

# The gateway goes first: the last step of a search overloads its target, and the backlog and TIME_WAIT sockets
# it leaves behind would spoil whatever is measured next.
echo "== highest rate with a median p99 < 5 ms over $MAXRATE_ROUNDS rounds: through the gateway, the gateway on net/http's transport, the bare proxy, the mock alone"
"$OUT/bin/loadgen" maxrate -rates "$RATES" -rounds "$MAXRATE_ROUNDS" -duration "$DURATION" -url "http://$GW/v1/chat/completions" \
	-json "$OUT/maxrate.json" | tee "$OUT/maxrate.txt"
sleep 30
"$OUT/bin/loadgen" maxrate -rates "$RATES" -rounds "$MAXRATE_ROUNDS" -duration "$DURATION" -url "http://$GW_STD/v1/chat/completions" \
	-json "$OUT/maxrate-nethttp.json" | tee "$OUT/maxrate-nethttp.txt"
kill "$GW_STD_PID"
wait "$GW_STD_PID" 2>/dev/null || true
sleep 30
"$OUT/bin/loadgen" maxrate -rates "$RATES" -rounds "$MAXRATE_ROUNDS" -duration "$DURATION" -url "http://$BASELINE/v1/chat/completions" \
	-json "$OUT/maxrate-baseline.json" | tee "$OUT/maxrate-baseline.txt"
kill "$bl"
wait "$bl" 2>/dev/null || true
sleep 30
"$OUT/bin/loadgen" maxrate -rates "$RATES" -rounds "$MAXRATE_ROUNDS" -duration "$DURATION" -url "http://$MOCK_A/v1/chat/completions" \
	-json "$OUT/maxrate-direct.json" | tee "$OUT/maxrate-direct.txt"
sleep 30
echo "== closed loop (64 requests in flight, no pacing): the mock alone, then through the gateway"
"$OUT/bin/loadgen" attack -rate 0 -workers 64 -duration "$DURATION" -url "http://$MOCK_A/v1/chat/completions" \
	-json "$OUT/closed-direct.json" | tee "$OUT/closed.txt"
"$OUT/bin/loadgen" attack -rate 0 -workers 64 -duration "$DURATION" -url "http://$GW/v1/chat/completions" \
	-json "$OUT/closed-gateway.json" | tee -a "$OUT/closed.txt"
echo "gateway RSS after the rate steps and the closed loop: $(rss "$GW_PID")" | tee -a "$OUT/rss.txt"

echo "== fault run: alias fault = mock B (tier 1) then mock A; mock B fails every request for 30 s"
"$OUT/bin/loadgen" fault -model fault -rate "$FAULT_RATE" -duration "$FAULT_DURATION" -fail-at 10s -fail-for 30s \
	-url "http://$GW/v1/chat/completions" -fail-url "http://$MOCK_B/mock/fail" -metrics "http://$GW/metrics" \
	-mocks "http://$MOCK_A,http://$MOCK_B" -json "$OUT/fault.json" | tee "$OUT/fault.txt" || fault_failed=1

echo "load after: $(uptime)" | tee -a "$OUT/machine.txt"
echo "results in $OUT"
exit "${fault_failed:-0}"
