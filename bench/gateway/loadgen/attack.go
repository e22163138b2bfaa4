package main

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"
)

// fastAttack sends whole (non-streaming) requests for d and measures each one's latency.
//
// The driver shares the machine's two cores with the mocks and the gateway, so every microsecond it spends is
// taken from what it measures. Vegeta on net/http cost about 0.3 ms of CPU per request here, as much as the
// gateway itself; fasthttp's client writes and reads on the calling goroutine without net/http's per-request
// hand-offs between goroutines, and each worker reuses its request and response objects.
//
// With c.rate > 0 the load is open-model: request k is due at start + k/rate whatever happened before, and
// worker k mod W sends it. W is large enough that a worker is only late when the target stalls for longer than
// W/rate seconds; lateness is counted and a driver that falls behind shows as an achieved rate below the target.
// With c.rate == 0 each of c.workers workers sends its next request as soon as the last one is answered.
func fastAttack(c *common, label, rawURL string, d time.Duration) (Result, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Result{}, fmt.Errorf("url %q: %w", rawURL, err)
	}
	if u.Scheme != "http" {
		return Result{}, fmt.Errorf("url %q: only http:// is supported", rawURL)
	}
	workers := int(c.workers)
	if c.rate > 0 {
		workers = max(workers, c.rate/10)
	}
	if workers <= 0 {
		return Result{}, errors.New("-workers must be positive")
	}
	hc := &fasthttp.HostClient{
		Addr:                      u.Host,
		MaxConns:                  workers,
		MaxIdemponentCallAttempts: 1,
		NoDefaultUserAgentHeader:  true,
		DisablePathNormalizing:    true,
		MaxResponseBodySize:       1 << 20,
		ReadBufferSize:            16 << 10,
	}
	defer hc.CloseIdleConnections()

	body := c.body()
	var n int // requests due in an open-model attack
	var interval time.Duration
	if c.rate > 0 {
		n = int(d.Seconds() * float64(c.rate))
		interval = time.Second / time.Duration(c.rate)
	}
	type tally struct {
		lat    []time.Duration
		status map[int]int
		errs   map[string]bool
		last   time.Time
		late   int
	}
	tallies := make([]tally, workers)
	start := time.Now().Add(10 * time.Millisecond) // every worker is parked on its first slot by then
	deadline := start.Add(d)
	done := make(chan struct{}, workers)
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			t := &tallies[w]
			t.status = map[int]int{}
			t.errs = map[string]bool{}
			if n > 0 {
				t.lat = make([]time.Duration, 0, n/workers+1)
			}
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			req.SetRequestURI(rawURL)
			req.Header.SetMethod(fasthttp.MethodPost)
			req.Header.SetContentType("application/json")
			if c.key != "" {
				req.Header.Set("Authorization", "Bearer "+c.key)
			}
			req.SetBody(body)
			for k := w; ; k += workers {
				if n > 0 {
					if k >= n {
						return
					}
					due := start.Add(time.Duration(k) * interval)
					if wait := time.Until(due); wait > 0 {
						time.Sleep(wait)
					} else if -wait > time.Millisecond {
						t.late++
					}
				} else if time.Now().After(deadline) {
					return
				}
				resp.Reset()
				t0 := time.Now()
				err := hc.DoTimeout(req, resp, c.timeout)
				t.lat = append(t.lat, time.Since(t0))
				t.last = t0
				if err != nil {
					t.status[0]++
					t.errs[err.Error()] = true
					continue
				}
				t.status[resp.StatusCode()]++
			}
		}()
	}
	for range workers {
		<-done
	}

	r := Result{Label: label, URL: rawURL, Rate: c.rate, Status: map[string]int{}}
	var lat []time.Duration
	var last time.Time
	ok, late := 0, 0
	errs := map[string]bool{}
	for _, t := range tallies {
		lat = append(lat, t.lat...)
		if t.last.After(last) {
			last = t.last
		}
		late += t.late
		for code, k := range t.status {
			r.Status[strconv.Itoa(code)] += k
			if code == fasthttp.StatusOK {
				ok += k
			}
		}
		for e := range t.errs {
			errs[e] = true
		}
	}
	for e := range errs {
		r.Errors = append(r.Errors, e)
	}
	r.Requests = len(lat)
	r.Late = late
	r.Success = float64(ok) / float64(max(1, r.Requests))
	// Like Vegeta: the rate at which requests left, first to last.
	if span := last.Sub(start); span > 0 && r.Requests > 1 {
		r.Achieved = float64(r.Requests-1) / span.Seconds()
	}
	r.Latency = quantiles(lat)
	return r, nil
}
