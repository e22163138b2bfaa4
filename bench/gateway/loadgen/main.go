// Command loadgen drives the gateway benchmark: open-model, constant-rate load (fasthttp's client for whole
// responses, see attack.go; a net/http streaming client for time to first token), side-by-side comparisons of a direct and a proxied
// URL, a search for the highest rate that keeps p99 under a bound, and the fault run's checks.
//
//	loadgen attack   -url U [-stream] -rate R -duration D
//	loadgen compare  -direct U1 -through U2 [-also NAME=U3 ...] [-stream] -rate R -duration D -rounds N
//	loadgen maxrate  -url U -rates 1000,2000,3000,5000 -duration D -rounds 3 -p99 5ms
//	loadgen fault    -url U -rate R -duration D -fail-url M/mock/fail -fail-at 10s -fail-for 30s \
//	                 -metrics G/metrics -mocks M1,M2
//
// Every command prints a human-readable table; -json FILE also writes the results as JSON.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	chatBody   = `{"model":"%s","messages":[{"role":"system","content":"You are a benchmark."},{"role":"user","content":"Say hello to the gateway benchmark please"}],"max_tokens":64}`
	streamBody = `{"model":"%s","messages":[{"role":"system","content":"You are a benchmark."},{"role":"user","content":"Say hello to the gateway benchmark please"}],"max_tokens":64,"stream":true,"stream_options":{"include_usage":true}}`
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadgen attack|compare|maxrate|fault [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "attack":
		err = cmdAttack(os.Args[2:])
	case "compare":
		err = cmdCompare(os.Args[2:])
	case "maxrate":
		err = cmdMaxRate(os.Args[2:])
	case "fault":
		err = cmdFault(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: want attack, compare, maxrate or fault", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// common are the flags every command shares.
type common struct {
	model    string
	key      string
	stream   bool
	rate     int
	duration time.Duration
	warmup   time.Duration
	timeout  time.Duration
	workers  uint64
	procs    int
	jsonOut  string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.model, "model", "bench", "model sent in the request body")
	fs.StringVar(&c.key, "key", os.Getenv("WALENS_BENCH_KEY"), "bearer key sent as Authorization (default $WALENS_BENCH_KEY)")
	fs.BoolVar(&c.stream, "stream", false, "stream chat completions and measure time to first token")
	fs.IntVar(&c.rate, "rate", 1000, "requests per second (open model: sent on schedule whatever the latency); 0: closed loop, as fast as -workers allow")
	fs.Uint64Var(&c.workers, "workers", 64, "connections and workers, at least rate/10 in the open model; with -rate 0, exactly this many requests in flight")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured attack length")
	fs.DurationVar(&c.warmup, "warmup", 2*time.Second, "unmeasured attack at the same rate before each measurement")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.StringVar(&c.jsonOut, "json", "", "also write results as JSON to this file")
	fs.IntVar(&c.procs, "procs", 1, "GOMAXPROCS for the driver: one keeps its scheduler from waking a second thread per request on a machine it shares with what it measures")
}

func (c *common) body() []byte {
	if c.stream {
		return fmt.Appendf(nil, streamBody, c.model)
	}
	return fmt.Appendf(nil, chatBody, c.model)
}

func (c *common) header() http.Header {
	h := http.Header{"Content-Type": {"application/json"}}
	if c.key != "" {
		h.Set("Authorization", "Bearer "+c.key)
	}
	return h
}

// Result summarises one measured attack. Latencies are in milliseconds; for streams Latency is the whole
// stream and TTFT the time to the first data line.
type Result struct {
	Label    string         `json:"label"`
	URL      string         `json:"url"`
	Stream   bool           `json:"stream"`
	Rate     int            `json:"rate"`
	Achieved float64        `json:"achieved_rate"`
	Requests int            `json:"requests"`
	Late     int            `json:"late,omitempty"` // open model: requests sent over 1 ms after they were due
	Success  float64        `json:"success_ratio"`
	Latency  Quantiles      `json:"latency_ms"`
	TTFT     *Quantiles     `json:"ttft_ms,omitempty"`
	Status   map[string]int `json:"status_codes"`
	Errors   []string       `json:"errors,omitempty"`
}

// Quantiles are exact order statistics of the measured latencies, in milliseconds.
type Quantiles struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

func quantiles(d []time.Duration) Quantiles {
	if len(d) == 0 {
		return Quantiles{}
	}
	slices.Sort(d)
	at := func(q float64) float64 {
		i := max(0, int(math.Ceil(q*float64(len(d))))-1)
		return float64(d[i]) / 1e6
	}
	return Quantiles{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: float64(d[len(d)-1]) / 1e6}
}

// attack runs an unmeasured warm-up and then a measured constant-rate attack against url.
func attack(c *common, label, url string) (Result, error) {
	if c.warmup > 0 {
		if _, err := measure(c, label, url, c.warmup); err != nil {
			return Result{}, err
		}
	}
	return measure(c, label, url, c.duration)
}

func measure(c *common, label, url string, d time.Duration) (Result, error) {
	if c.procs > 0 {
		runtime.GOMAXPROCS(c.procs)
	}
	if c.stream {
		return streamAttack(c, label, url, d)
	}
	return fastAttack(c, label, url, d)
}

// streamAttack sends streaming requests at a constant rate, each on its own goroutine so that a slow answer
// never delays the next request (open model), and measures the time to the first SSE data line and to the end.
func streamAttack(c *common, label, url string, d time.Duration) (Result, error) {
	if c.rate <= 0 {
		return Result{}, errors.New("-rate: streams need a positive rate")
	}
	client := &http.Client{Timeout: c.timeout, Transport: &http.Transport{
		MaxIdleConns: 10000, MaxIdleConnsPerHost: 10000, IdleConnTimeout: 90 * time.Second,
	}}
	defer client.CloseIdleConnections()
	body, header := c.body(), c.header()
	type sample struct {
		ttft, total time.Duration
		status      int
		err         string
	}
	n := int(d.Seconds() * float64(c.rate))
	samples := make([]sample, n)
	interval := time.Second / time.Duration(c.rate)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		wg.Go(func() {
			s := &samples[i]
			t0 := time.Now()
			req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				s.err = err.Error()
				return
			}
			req.Header = header.Clone()
			resp, err := client.Do(req)
			if err != nil {
				s.err = err.Error()
				return
			}
			defer resp.Body.Close()
			s.status = resp.StatusCode
			br := bufio.NewReaderSize(resp.Body, 4096)
			done := false
			for {
				line, err := br.ReadSlice('\n')
				if bytes.HasPrefix(line, []byte("data:")) {
					if s.ttft == 0 {
						s.ttft = time.Since(t0)
					}
					if bytes.HasPrefix(bytes.TrimSpace(line[5:]), []byte("[DONE]")) {
						done = true
					}
				}
				if err != nil {
					if !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
						s.err = err.Error()
					}
					if !errors.Is(err, bufio.ErrBufferFull) {
						break
					}
				}
			}
			s.total = time.Since(t0)
			if s.err == "" && resp.StatusCode == http.StatusOK && !done {
				s.err = "stream ended without [DONE]"
			}
		})
	}
	sent := time.Since(start)
	wg.Wait()
	r := Result{Label: label, URL: url, Stream: true, Rate: c.rate, Requests: n, Status: map[string]int{},
		Achieved: float64(n) / sent.Seconds()}
	var ttft, total []time.Duration
	ok := 0
	errs := map[string]bool{}
	for _, s := range samples {
		r.Status[strconv.Itoa(s.status)]++
		if s.err != "" {
			errs[s.err] = true
			continue
		}
		if s.status == http.StatusOK {
			ok++
			ttft = append(ttft, s.ttft)
			total = append(total, s.total)
		}
	}
	for e := range errs {
		r.Errors = append(r.Errors, e)
	}
	r.Success = float64(ok) / float64(max(1, n))
	r.Latency = quantiles(total)
	q := quantiles(ttft)
	r.TTFT = &q
	return r, nil
}

func printResults(w io.Writer, rs []Result) {
	fmt.Fprintf(w, "%-22s %7s %9s %8s %8s %8s %8s %8s", "run", "rate", "achieved", "success", "p50 ms", "p90 ms", "p99 ms", "max ms")
	if len(rs) > 0 && rs[0].TTFT != nil {
		fmt.Fprintf(w, " %9s %9s %9s", "ttft p50", "ttft p90", "ttft p99")
	}
	fmt.Fprintln(w)
	for _, r := range rs {
		fmt.Fprintf(w, "%-22s %7d %9.1f %8.4f %8.3f %8.3f %8.3f %8.3f", r.Label, r.Rate, r.Achieved, r.Success,
			r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.Max)
		if r.TTFT != nil {
			fmt.Fprintf(w, " %9.3f %9.3f %9.3f", r.TTFT.P50, r.TTFT.P90, r.TTFT.P99)
		}
		if r.Late > 0 {
			fmt.Fprintf(w, "  late: %d", r.Late)
		}
		if len(r.Errors) > 0 {
			fmt.Fprintf(w, "  errors: %.200s", strings.Join(r.Errors, "; "))
		}
		fmt.Fprintln(w)
	}
}

func writeJSON(path string, v any) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func cmdAttack(args []string) error {
	fs := flag.NewFlagSet("attack", flag.ExitOnError)
	var c common
	c.register(fs)
	url := fs.String("url", "http://127.0.0.1:8080/v1/chat/completions", "target URL")
	_ = fs.Parse(args)
	r, err := attack(&c, "attack", *url)
	if err != nil {
		return err
	}
	printResults(os.Stdout, []Result{r})
	return writeJSON(c.jsonOut, r)
}

// median returns the median of the values f picks from rs, or 0 when rs is empty.
func median(rs []Result, f func(Result) float64) float64 {
	if len(rs) == 0 {
		return 0
	}
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// namedURLs is a repeatable flag of NAME=URL pairs.
type namedURLs [][2]string

func (n *namedURLs) String() string { return fmt.Sprint(*n) }

func (n *namedURLs) Set(v string) error {
	name, url, ok := strings.Cut(v, "=")
	if !ok || name == "" || url == "" || name == "direct" || name == "gateway" {
		return fmt.Errorf("want NAME=URL with a NAME other than direct and gateway, not %q", v)
	}
	*n = append(*n, [2]string{name, url})
	return nil
}

// rotate returns the i-th rotation of xs, so that across rounds every target goes first as often as the others
// and none always follows the same one.
func rotate[T any](xs []T, i int) []T {
	if len(xs) == 0 {
		return nil
	}
	k := i % len(xs)
	return append(slices.Clone(xs[k:]), xs[:k]...)
}

func cmdCompare(args []string) error {
	fs := flag.NewFlagSet("compare", flag.ExitOnError)
	var c common
	c.register(fs)
	direct := fs.String("direct", "http://127.0.0.1:9090/v1/chat/completions", "URL of the upstream itself")
	through := fs.String("through", "http://127.0.0.1:8080/v1/chat/completions", "URL of the gateway")
	var also namedURLs
	fs.Var(&also, "also", "NAME=URL of another proxy in front of the same upstream, measured in the same rounds (repeatable)")
	rounds := fs.Int("rounds", 5, "rounds; each measures every URL, in an order that rotates from round to round")
	_ = fs.Parse(args)
	targets := append([][2]string{{"direct", *direct}, {"gateway", *through}}, also...)
	results := map[string][]Result{}
	for i := range *rounds {
		for _, t := range rotate(targets, i) {
			r, err := attack(&c, fmt.Sprintf("%s round %d", t[0], i+1), t[1])
			if err != nil {
				return err
			}
			printResults(os.Stdout, []Result{r})
			results[t[0]] = append(results[t[0]], r)
		}
	}
	type row struct {
		Metric  string             `json:"metric"`
		Direct  float64            `json:"direct"`
		Gateway float64            `json:"gateway"`
		Added   float64            `json:"added"`
		Also    map[string]float64 `json:"also,omitempty"`       // NAME: its median
		AlsoAdd map[string]float64 `json:"also_added,omitempty"` // NAME: its median minus direct's
	}
	pick := map[string]func(Result) float64{
		"p50 ms": func(r Result) float64 { return r.Latency.P50 }, "p90 ms": func(r Result) float64 { return r.Latency.P90 },
		"p99 ms": func(r Result) float64 { return r.Latency.P99 }, "max ms": func(r Result) float64 { return r.Latency.Max },
		"success": func(r Result) float64 { return r.Success }, "achieved rate": func(r Result) float64 { return r.Achieved },
	}
	names := []string{"p50 ms", "p90 ms", "p99 ms", "max ms", "success", "achieved rate"}
	if c.stream {
		pick["ttft p50 ms"] = func(r Result) float64 { return r.TTFT.P50 }
		pick["ttft p90 ms"] = func(r Result) float64 { return r.TTFT.P90 }
		pick["ttft p99 ms"] = func(r Result) float64 { return r.TTFT.P99 }
		names = append(names, "ttft p50 ms", "ttft p90 ms", "ttft p99 ms")
	}
	var rows []row
	fmt.Printf("\nmedians of %d rounds at %d req/s (%s each, stream=%v)\n", *rounds, c.rate, c.duration, c.stream)
	fmt.Printf("%-14s %10s %10s %10s", "metric", "direct", "gateway", "added")
	for _, a := range also {
		fmt.Printf(" %14s %10s", a[0], "added")
	}
	fmt.Println()
	for _, n := range names {
		d, g := median(results["direct"], pick[n]), median(results["gateway"], pick[n])
		rw := row{Metric: n, Direct: d, Gateway: g, Added: g - d}
		fmt.Printf("%-14s %10.3f %10.3f %10.3f", n, d, g, g-d)
		for _, a := range also {
			v := median(results[a[0]], pick[n])
			if rw.Also == nil {
				rw.Also, rw.AlsoAdd = map[string]float64{}, map[string]float64{}
			}
			rw.Also[a[0]], rw.AlsoAdd[a[0]] = v, v-d
			fmt.Printf(" %14.3f %10.3f", v, v-d)
		}
		fmt.Println()
		rows = append(rows, rw)
	}
	out := map[string]any{"direct": results["direct"], "gateway": results["gateway"], "medians": rows}
	for _, a := range also {
		out[a[0]] = results[a[0]]
	}
	return writeJSON(c.jsonOut, out)
}

// Step is one rate of a maxrate search: its rounds and the verdict on them.
type Step struct {
	Rate       int      `json:"rate"`
	Rounds     []Result `json:"rounds"`
	MedianP99  float64  `json:"median_p99_ms"`
	Passed     bool     `json:"passed"`
	Overloaded bool     `json:"overloaded"`
}

// judge decides a step. Its p99 is the median of the rounds' p99s, so that one round spoiled by another process
// on the shared machine does not decide the step alone; every round must keep the success ratio and the rate
// (a driver that cannot keep up has not sustained the rate). A round that lost requests or fell far behind
// means the target is overloaded.
func judge(rate int, rounds []Result, bound time.Duration, minSuccess float64) Step {
	st := Step{Rate: rate, Rounds: rounds, Passed: len(rounds) > 0}
	st.MedianP99 = median(rounds, func(r Result) float64 { return r.Latency.P99 })
	if st.MedianP99 >= float64(bound)/1e6 {
		st.Passed = false
	}
	for _, r := range rounds {
		if r.Success < minSuccess || r.Achieved < 0.98*float64(rate) {
			st.Passed = false
		}
		if r.Success < 0.99 || r.Achieved < 0.9*float64(rate) {
			st.Overloaded = true
		}
	}
	return st
}

func cmdMaxRate(args []string) error {
	fs := flag.NewFlagSet("maxrate", flag.ExitOnError)
	var c common
	c.register(fs)
	url := fs.String("url", "http://127.0.0.1:8080/v1/chat/completions", "target URL")
	rates := fs.String("rates", "1000,2000,3000,5000,7000,10000", "rates to step through, in order")
	bound := fs.Duration("p99", 5*time.Millisecond, "a rate is sustained when the median of its rounds' p99 stays under this")
	minSuccess := fs.Float64("min-success", 0.999, "... and every round has at least this share of successes")
	rounds := fs.Int("rounds", 3, "measured rounds per rate")
	all := fs.Bool("all", true, "run the next step after one fails its bounds, to show the curve (never after an overload)")
	cool := fs.Duration("cool", 3*time.Second, "pause between rounds")
	_ = fs.Parse(args)
	if *rounds < 1 {
		return errors.New("-rounds must be at least 1")
	}
	var steps []Step
	best, prev := 0, 0
	for _, s := range strings.Split(*rates, ",") {
		rate, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || rate <= 0 {
			return fmt.Errorf("-rates: %q is not a positive integer", s)
		}
		c.rate = rate
		var rs []Result
		for i := range *rounds {
			r, err := attack(&c, fmt.Sprintf("rate %d round %d", rate, i+1), *url)
			if err != nil {
				return err
			}
			rs = append(rs, r)
			printResults(os.Stdout, []Result{r})
			time.Sleep(*cool)
			// An overloaded round leaves thousands of timed-out connections in TIME_WAIT and a backlog that
			// spoils everything after it, so the search ends there.
			if judge(rate, []Result{r}, *bound, *minSuccess).Overloaded {
				break
			}
		}
		st := judge(rate, rs, *bound, *minSuccess)
		steps = append(steps, st)
		fmt.Printf("step %d req/s: median p99 %.3f ms over %d rounds: passed %v\n", rate, st.MedianP99, len(rs), st.Passed)
		if st.Passed && (len(steps) == 1 || steps[len(steps)-2].Passed) && best == prev {
			best = rate
		}
		prev = rate
		if (!st.Passed && !*all) || st.Overloaded {
			break
		}
	}
	fmt.Printf("\nhighest rate sustained with median p99 < %s and success >= %.3f (every lower step passing too): %d req/s\n",
		*bound, *minSuccess, best)
	for _, st := range steps {
		if st.Passed && st.Rate > best {
			fmt.Printf("note: the step at %d req/s passed although a lower one failed (noise on a shared machine)\n", st.Rate)
		}
	}
	return writeJSON(c.jsonOut, map[string]any{"steps": steps, "sustained": best})
}

// mockStats is the part of GET /mock/stats the fault run compares.
type mockStats struct {
	Requests         int64 `json:"requests"`
	OK               int64 `json:"ok"`
	Failed           int64 `json:"failed"`
	PromptTokens     int64 `json:"prompt_tokens"`
	CompletionTokens int64 `json:"completion_tokens"`
}

func getJSON(url string, v any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// meteredTokens sums walens_gateway_tokens_total by kind from a Prometheus text exposition.
func meteredTokens(url string) (prompt, completion float64, err error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "walens_gateway_tokens_total{") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return 0, 0, fmt.Errorf("metrics line %q: %w", line, err)
		}
		switch {
		case strings.Contains(line, `kind="prompt"`):
			prompt += v
		case strings.Contains(line, `kind="completion"`):
			completion += v
		}
	}
	return prompt, completion, sc.Err()
}

func cmdFault(args []string) error {
	fs := flag.NewFlagSet("fault", flag.ExitOnError)
	var c common
	c.register(fs)
	url := fs.String("url", "http://127.0.0.1:8080/v1/chat/completions", "gateway URL")
	failURL := fs.String("fail-url", "http://127.0.0.1:9091/mock/fail", "POST here (with ?for=) to start the outage")
	failAt := fs.Duration("fail-at", 10*time.Second, "when, after the attack starts, the outage begins")
	failFor := fs.Duration("fail-for", 30*time.Second, "how long it lasts")
	metrics := fs.String("metrics", "http://127.0.0.1:8080/metrics", "gateway Prometheus endpoint")
	mocks := fs.String("mocks", "http://127.0.0.1:9090,http://127.0.0.1:9091", "mock base URLs whose /mock/stats to sum")
	settle := fs.Duration("settle", 2*time.Second, "wait after the attack before reading metering")
	_ = fs.Parse(args)
	c.warmup = 0
	p0, c0, err := meteredTokens(*metrics)
	if err != nil {
		return fmt.Errorf("gateway metrics: %w", err)
	}
	var before []mockStats
	for _, m := range strings.Split(*mocks, ",") {
		var s mockStats
		if err := getJSON(m+"/mock/stats", &s); err != nil {
			return err
		}
		before = append(before, s)
	}
	errc := make(chan error, 1)
	go func() {
		time.Sleep(*failAt)
		resp, err := http.Post(*failURL+"?for="+failFor.String(), "", nil)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				err = fmt.Errorf("POST %s: %s", *failURL, resp.Status)
			}
		}
		errc <- err
	}()
	r, err := measure(&c, "fault run", *url, c.duration)
	if err != nil {
		return err
	}
	if err := <-errc; err != nil {
		return fmt.Errorf("starting the outage: %w", err)
	}
	time.Sleep(*settle)
	p1, c1, err := meteredTokens(*metrics)
	if err != nil {
		return fmt.Errorf("gateway metrics: %w", err)
	}
	var mp, mc, failed, requests int64
	for i, m := range strings.Split(*mocks, ",") {
		var s mockStats
		if err := getJSON(m+"/mock/stats", &s); err != nil {
			return err
		}
		fmt.Printf("mock %s: requests %d, ok %d, failed %d, prompt tokens %d, completion tokens %d\n", m,
			s.Requests-before[i].Requests, s.OK-before[i].OK, s.Failed-before[i].Failed,
			s.PromptTokens-before[i].PromptTokens, s.CompletionTokens-before[i].CompletionTokens)
		mp += s.PromptTokens - before[i].PromptTokens
		mc += s.CompletionTokens - before[i].CompletionTokens
		failed += s.Failed - before[i].Failed
		requests += s.Requests - before[i].Requests
	}
	printResults(os.Stdout, []Result{r})
	gp, gc := int64(p1-p0), int64(c1-c0)
	exact := gp == mp && gc == mc
	fmt.Printf("upstream attempts %d, of which failed %d\n", requests, failed)
	fmt.Printf("gateway metered: prompt %d, completion %d; mocks reported: prompt %d, completion %d; exact: %v\n",
		gp, gc, mp, mc, exact)
	pass := r.Success >= 0.999 && exact
	fmt.Printf("fault run: success %.5f (need >= 0.999), metering exact %v: pass %v\n", r.Success, exact, pass)
	if err := writeJSON(c.jsonOut, map[string]any{"result": r, "upstream_attempts": requests, "upstream_failed": failed,
		"gateway_prompt_tokens": gp, "gateway_completion_tokens": gc, "mock_prompt_tokens": mp,
		"mock_completion_tokens": mc, "exact": exact, "pass": pass}); err != nil {
		return err
	}
	if !pass {
		return errors.New("fault run failed its targets")
	}
	return nil
}
