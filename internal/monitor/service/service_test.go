package service

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/walens/walens/internal/monitor"
	"github.com/walens/walens/internal/monitor/alert"
	"github.com/walens/walens/internal/monitor/dataset"
)

// fakeClock lets a test decide when time passes. After registers a waiter that fires when Advance reaches it.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	added   chan struct{}
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock(now time.Time) *fakeClock {
	return &fakeClock{now: now, added: make(chan struct{}, 100)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	c.added <- struct{}{}
	return ch
}

// waitForWaiter blocks until the service is waiting on the clock.
func (c *fakeClock) waitForWaiter(t *testing.T) {
	t.Helper()
	select {
	case <-c.added:
	case <-time.After(20 * time.Second):
		t.Fatal("the service never waited on the clock")
	}
}

// advanceTo moves time and fires the waiters that are due.
func (c *fakeClock) advanceTo(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = at
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(at) {
			w.ch <- at
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// captures writes n SageMaker capture records with features x (normal, shifted by shift) and colour.
func captures(n int, shift float64, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	for i := range n {
		colour := []string{"red", "green", "blue"}[r.IntN(3)]
		fmt.Fprintf(&b, `{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"%.4f,%s","encoding":"CSV"},`+
			`"endpointOutput":{"observedContentType":"text/csv","mode":"OUTPUT","data":"0.5","encoding":"CSV"}},`+
			`"eventMetadata":{"eventId":"e-%d-%d","inferenceTime":"2026-11-30T12:00:00Z"},"eventVersion":"0"}`+"\n",
			r.NormFloat64()+shift, colour, seed, i)
	}
	return b.String()
}

type workspace struct {
	dir    string
	events chan alert.Event
	hook   *httptest.Server
}

func newWorkspace(t *testing.T) *workspace {
	t.Helper()
	w := &workspace{dir: t.TempDir(), events: make(chan alert.Event, 20)}
	// A real HTTP server receives the webhooks, as a chat service or incident tool would.
	w.hook = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var ev alert.Event
		data, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Errorf("webhook body %s: %v", data, err)
		}
		w.events <- ev
	}))
	t.Cleanup(w.hook.Close)
	// The baseline: 2000 rows like the unshifted captures.
	writeFile(t, filepath.Join(w.dir, "train.jsonl"), captures(2000, 0, 99))
	_, err := monitor.Baseline(context.Background(), monitor.BaselineOptions{
		Data: monitor.Data{Files: []string{filepath.Join(w.dir, "train.jsonl")},
			Dataset: dataset.Options{Format: dataset.Capture, Columns: []string{"x", "colour"}}},
		Out: filepath.Join(w.dir, "baseline"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *workspace) config(t *testing.T, extra string) *Config {
	t.Helper()
	path := filepath.Join(w.dir, "monitor.yaml")
	writeFile(t, path, fmt.Sprintf(`
state: state.json
retry: {attempts: 2, backoff: 1m}
alerts:
  - name: ops
    url_env: TEST_HOOK_URL
schedules:
  - name: hourly
    cron: cron(0 * ? * * *)
    baseline: baseline
    data: [captures]
    data_format: capture
    columns: [x, colour]
    window: 1h
    out: runs
    alerts: [ops]
%s`, extra))
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (w *workspace) nextEvent(t *testing.T) alert.Event {
	t.Helper()
	select {
	case ev := <-w.events:
		return ev
	case <-time.After(20 * time.Second):
		t.Fatal("no webhook arrived")
	}
	return alert.Event{}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestScheduleEndToEnd(t *testing.T) {
	w := newWorkspace(t)
	writeFile(t, filepath.Join(w.dir, "captures", "2026", "11", "30", "11", "a.jsonl"), captures(500, 0, 1))
	writeFile(t, filepath.Join(w.dir, "captures", "2026", "11", "30", "12", "a.jsonl"), captures(500, 1.5, 2))
	cfg := w.config(t, `    retrain:
      consecutive_drift_runs: 1
      command: [sh, -c, 'echo "$WALENS_SCHEDULE $WALENS_STATUS" >> retrained.txt']
`)
	// walens last ran at 11:00 and restarts at 12:30: the 12:00 run is caught up at once.
	state := &State{Schedules: map[string]*ScheduleState{"hourly": {LastScheduled: time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC)}}}
	if err := state.save(filepath.Join(w.dir, "state.json")); err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock(time.Date(2026, 11, 30, 12, 30, 0, 0, time.UTC))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(cfg, Options{Logger: quietLogger(), Clock: clock, Listener: ln, Workers: 2,
		Getenv: func(k string) string { return map[string]string{"TEST_HOOK_URL": w.hook.URL + "/hook"}[k] },
		Sleep:  func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Serve returned %v", err)
		}
	}()

	// 12:00, caught up: unshifted data, clean, no webhook.
	clock.waitForWaiter(t)
	if _, err := os.Stat(filepath.Join(w.dir, "runs", "2026-11-30T12-00Z", "constraint_violations.json")); err != nil {
		t.Fatalf("the caught-up run wrote nothing: %v", err)
	}
	select {
	case ev := <-w.events:
		t.Fatalf("a clean run sent %+v", ev)
	default:
	}

	// 13:00: the 12:00-13:00 folder holds shifted data.
	clock.advanceTo(time.Date(2026, 11, 30, 13, 0, 0, 0, time.UTC))
	ev := w.nextEvent(t)
	if ev.Kind != alert.KindViolations || ev.Schedule != "hourly" || ev.ViolationCount == 0 || len(ev.DriftedFeatures) == 0 || ev.DriftedFeatures[0] != "x" {
		t.Errorf("violation event %+v", ev)
	}
	clock.waitForWaiter(t)
	data, err := os.ReadFile(filepath.Join(w.dir, "retrained.txt"))
	if err != nil || strings.TrimSpace(string(data)) != "hourly violations" {
		t.Errorf("retraining command output %q, %v", data, err)
	}
	for _, f := range []string{"statistics.json", "constraint_violations.json", "drift_report.json", "report.json", "report.html"} {
		if _, err := os.Stat(filepath.Join(w.dir, "runs", "2026-11-30T13-00Z", f)); err != nil {
			t.Errorf("run folder lacks %s", f)
		}
	}
	metrics := scrape(t, "http://"+ln.Addr().String()+"/metrics")
	for _, want := range []string{
		`walens_monitor_runs_total{schedule="hourly",status="clean"} 1`,
		`walens_monitor_runs_total{schedule="hourly",status="violations"} 1`,
		`walens_monitor_feature_drifted{feature="x",schedule="hourly"} 1`,
		`walens_monitor_feature_drifted{feature="colour",schedule="hourly"} 0`,
		`walens_monitor_retrains_total{outcome="ok",schedule="hourly"} 1`,
		`walens_monitor_alerts_total{alert="ops",outcome="sent"} 1`,
		`walens_monitor_violations{check="baseline_drift_check",schedule="hourly"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	// 14:00: nothing was captured from 13:00 to 14:00. The run fails, is retried after the backoff, then reported.
	clock.advanceTo(time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC))
	clock.waitForWaiter(t) // the retry's backoff
	clock.advanceTo(time.Date(2026, 11, 30, 14, 1, 0, 0, time.UTC))
	ev = w.nextEvent(t)
	if ev.Kind != alert.KindRunFailed || !strings.Contains(ev.Error, "no data files in the window") {
		t.Errorf("failure event %+v", ev)
	}
	clock.waitForWaiter(t)
	st, err := loadState(filepath.Join(w.dir, "state.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := st.Schedules["hourly"]
	if !s.LastScheduled.Equal(time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC)) || s.LastStatus != "failed" || s.Failures != 1 || s.Retrains != 1 {
		t.Errorf("state %+v", s)
	}
}

func TestCatchUpLimitReportsMissedRuns(t *testing.T) {
	w := newWorkspace(t)
	writeFile(t, filepath.Join(w.dir, "captures", "all.jsonl"), captures(300, 0, 3))
	cfg := w.config(t, "")
	cfg.MaxCatchUp = 2
	cfg.Schedules[0].Window = 0
	now := time.Date(2026, 11, 30, 12, 10, 0, 0, time.UTC)
	state := &State{Schedules: map[string]*ScheduleState{"hourly": {LastScheduled: now.Add(-5 * time.Hour).Truncate(time.Hour)}}}
	if err := state.save(filepath.Join(w.dir, "state.json")); err != nil {
		t.Fatal(err)
	}
	clock := newFakeClock(now)
	svc, err := New(cfg, Options{Logger: quietLogger(), Clock: clock,
		Getenv: func(string) string { return w.hook.URL }, Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Serve(ctx) }()
	ev := w.nextEvent(t)
	if ev.Kind != alert.KindMissed || !strings.Contains(ev.Message, "3 scheduled runs") {
		t.Errorf("missed event %+v", ev)
	}
	clock.waitForWaiter(t)
	cancel()
	<-done
	runs, _ := os.ReadDir(filepath.Join(w.dir, "runs"))
	if len(runs) != 2 || runs[0].Name() != "2026-11-30T11-00Z" || runs[1].Name() != "2026-11-30T12-00Z" {
		t.Errorf("run folders %v, want the last two hours", runs)
	}
	st, _ := loadState(filepath.Join(w.dir, "state.json"))
	if s := st.Schedules["hourly"]; s.Missed != 3 || s.Runs != 2 {
		t.Errorf("state %+v", s)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "monitor.yaml")
	writeFile(t, path, `
alerts:
  - name: ops
    format: teams
schedules:
  - name: a
    cron: cron(0 12 * * * *)
    baseline: b
    out: o
    data: [d]
    alerts: [pager]
    retrain: {command: [x]}
    windw: 1h
`)
	_, err := LoadConfig(path)
	if err == nil {
		t.Fatal("a bad config was accepted")
	}
	msg := err.Error()
	for _, want := range []string{`monitor.yaml:13:5: schedules[0].windw: unknown field "windw" (did you mean "window"?)`} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q:\n%s", want, msg)
		}
	}
	writeFile(t, path, strings.Replace(mustRead(t, path), "    windw: 1h\n", "", 1))
	_, err = LoadConfig(path)
	for _, want := range []string{"alerts[0]: give exactly one of url and url_env", `alerts[0].format: must be json or slack, not "teams"`,
		"cron: schedule \"cron(0 12 * * * *)\": cron() needs ? in exactly one", `schedules[0].alerts[0]: no alert is named "pager"`,
		"retrain: needs a policy"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return string(data)
}

func TestCaptureHour(t *testing.T) {
	cases := map[string]bool{
		"caps/ep/2026/11/30/12/f.jsonl": true,
		"caps/ep/2026/13/30/12/f.jsonl": false,
		"caps/f.jsonl":                  false,
	}
	for path, ok := range cases {
		h, got := captureHour(path)
		if got != ok || ok && !h.Equal(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: %v %v", path, h, got)
		}
	}
}

func TestExampleConfigLoads(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join("..", "..", "..", "examples", "monitor", "monitor.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Schedules) != 2 || cfg.Schedules[0].Retrain.ConsecutiveDriftRuns != 3 || cfg.Schedules[1].Bias.MaxDPPL != 0.1 {
		t.Errorf("example config read as %+v", cfg)
	}
}
