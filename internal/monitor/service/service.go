package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/walens/walens/internal/monitor"
	"github.com/walens/walens/internal/monitor/alert"
	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/drift"
	"github.com/walens/walens/internal/monitor/quality"
	"github.com/walens/walens/internal/monitor/report"
	"github.com/walens/walens/internal/monitor/schedule"
)

// Options are the service's collaborators; zero values work.
type Options struct {
	Logger  *slog.Logger
	Clock   Clock
	Getenv  func(string) string
	Version string
	Workers int
	// Listener overrides Config.Listen (tests pass a listener on a free port).
	Listener net.Listener
	// Sleep waits between webhook retries; nil uses real timers.
	Sleep func(context.Context, time.Duration) error
}

// Service runs a configuration's schedules.
type Service struct {
	cfg       *Config
	opts      Options
	log       *slog.Logger
	clock     Clock
	scheds    []*sched
	webhooks  map[string]*alert.Webhook
	on        map[string][]string
	metrics   *metrics
	statePath string

	mu    sync.Mutex // guards state
	state *State
}

type sched struct {
	cfg *ScheduleConfig
	cs  *schedule.Schedule
	loc *time.Location
}

// New prepares a service; it reads the state file so a corrupt one is reported before anything runs.
func New(cfg *Config, o Options) (*Service, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	s := &Service{cfg: cfg, opts: o, log: o.Logger, clock: o.Clock, metrics: newMetrics()}
	var err error
	if s.webhooks, s.on, err = cfg.webhooks(o.Getenv); err != nil {
		return nil, err
	}
	for _, w := range s.webhooks {
		w.Sleep = o.Sleep
	}
	for i := range cfg.Schedules {
		sc := &cfg.Schedules[i]
		cs, err := schedule.Parse(sc.Cron)
		if err != nil {
			return nil, err
		}
		loc := time.UTC
		if sc.Timezone != "" {
			if loc, err = time.LoadLocation(sc.Timezone); err != nil {
				return nil, fmt.Errorf("schedule %s: %w", sc.Name, err)
			}
		}
		s.scheds = append(s.scheds, &sched{cfg: sc, cs: cs, loc: loc})
	}
	state := cfg.State
	if state == "" {
		state = "monitor-state.json"
	}
	s.statePath = cfg.path(state)
	if s.state, err = loadState(s.statePath); err != nil {
		return nil, err
	}
	return s, nil
}

// Serve runs until ctx ends: it catches up missed runs, then waits for each next scheduled time.
func (s *Service) Serve(ctx context.Context) error {
	if err := s.serveMetrics(ctx); err != nil {
		return err
	}
	s.log.Info("monitor started", "schedules", len(s.scheds), "state", s.statePath)
	for {
		now := s.clock.Now()
		// Run everything that is due, oldest first, including runs missed while stopped.
		for _, sc := range s.scheds {
			if err := s.runDue(ctx, sc, now); err != nil {
				return err
			}
		}
		next := time.Time{}
		for _, sc := range s.scheds {
			if t := sc.cs.Next(s.last(sc, now).In(sc.loc)); !t.IsZero() && (next.IsZero() || t.Before(next)) {
				next = t
			}
		}
		if next.IsZero() {
			s.log.Info("no schedule has a future run; stopping")
			return nil
		}
		wait := next.Sub(s.clock.Now())
		if wait < 0 {
			wait = 0
		}
		select {
		case <-ctx.Done():
			s.log.Info("monitor stopping")
			return ctx.Err()
		case <-s.clock.After(wait):
		}
	}
}

// last is the schedule's last handled time; a schedule never run starts from now, with nothing to catch up.
func (s *Service) last(sc *sched, now time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state.get(sc.cfg.Name)
	if st.LastScheduled.IsZero() {
		st.LastScheduled = now
	}
	return st.LastScheduled
}

// runDue runs every scheduled time of sc up to now that has not been handled: at most MaxCatchUp of them, the
// most recent; older ones are recorded as missed.
func (s *Service) runDue(ctx context.Context, sc *sched, now time.Time) error {
	limit := s.cfg.MaxCatchUp
	if limit == 0 {
		limit = 24
	}
	// Only the last `limit` times are kept, so a long outage of a frequent schedule costs no memory.
	var due []time.Time
	var missed int
	var firstMissed, lastMissed time.Time
	for t := sc.cs.Next(s.last(sc, now).In(sc.loc)); !t.IsZero() && !t.After(now); t = sc.cs.Next(t) {
		due = append(due, t)
		if len(due) > limit {
			if missed == 0 {
				firstMissed = due[0]
			}
			lastMissed = due[0]
			missed++
			due = due[1:]
		}
	}
	if missed > 0 {
		s.recordMissed(ctx, sc, missed, firstMissed, lastMissed)
	}
	for _, t := range due {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.runWithRetry(ctx, sc, t)
	}
	return nil
}

func (s *Service) recordMissed(ctx context.Context, sc *sched, n int, first, last time.Time) {
	s.log.Warn("runs missed beyond the catch-up limit; not running them", "schedule", sc.cfg.Name, "missed", n,
		"from", first.Format(time.RFC3339), "to", last.Format(time.RFC3339))
	s.metrics.missed.WithLabelValues(sc.cfg.Name).Add(float64(n))
	s.mu.Lock()
	st := s.state.get(sc.cfg.Name)
	st.Missed += n
	st.LastScheduled = last
	s.mu.Unlock()
	s.saveState()
	s.notify(ctx, sc, alert.Event{Kind: alert.KindMissed, Schedule: sc.cfg.Name, ScheduledFor: last,
		Message: fmt.Sprintf("%d scheduled runs from %s to %s were missed (walens was not running) and are beyond the catch-up limit", n,
			first.Format(time.RFC3339), last.Format(time.RFC3339))})
}

// RunOnce runs every schedule once for the current time, without waiting, and reports whether any run failed or
// found violations.
func (s *Service) RunOnce(ctx context.Context) (bool, error) {
	now := s.clock.Now().Truncate(time.Minute)
	failed := false
	for _, sc := range s.scheds {
		if err := ctx.Err(); err != nil {
			return failed, err
		}
		r := s.runWithRetry(ctx, sc, now)
		failed = failed || r == nil || r.Failed()
	}
	return failed, nil
}

// runWithRetry runs one scheduled time, retrying failures; the outcome is always recorded in the state, the
// metrics and, for failures, an alert. It returns nil if every attempt failed.
func (s *Service) runWithRetry(ctx context.Context, sc *sched, at time.Time) *report.Report {
	attempts := s.cfg.Retry.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	backoff := time.Duration(s.cfg.Retry.Backoff)
	if backoff <= 0 {
		backoff = time.Minute
	}
	dir := filepath.Join(s.cfg.path(sc.cfg.Out), at.UTC().Format("2006-01-02T15-04Z"))
	var err error
	var r *report.Report
	start := s.clock.Now()
	for attempt := 1; attempt <= attempts; attempt++ {
		if attempt > 1 {
			wait := backoff << (attempt - 2)
			s.log.Warn("run failed; retrying", "schedule", sc.cfg.Name, "scheduled_for", at.Format(time.RFC3339), "attempt", attempt-1, "error", err, "retry_in", wait)
			select {
			case <-ctx.Done():
				err = ctx.Err()
			case <-s.clock.After(wait):
			}
			if ctx.Err() != nil {
				break
			}
		}
		if r, err = s.runOnce(ctx, sc, at, dir); err == nil {
			break
		}
	}
	name := sc.cfg.Name
	s.metrics.lastRun.WithLabelValues(name).Set(float64(at.Unix()))
	s.metrics.duration.WithLabelValues(name).Set(s.clock.Now().Sub(start).Seconds())
	s.mu.Lock()
	st := s.state.get(name)
	st.LastScheduled = at
	st.LastRunDir = dir
	st.Runs++
	s.mu.Unlock()
	if err != nil {
		if ctx.Err() != nil {
			// Interrupted: do not record the time as handled, so the next start runs it again.
			s.mu.Lock()
			st.Runs--
			s.mu.Unlock()
			return nil
		}
		s.log.Error("run failed after retries", "schedule", name, "scheduled_for", at.Format(time.RFC3339), "attempts", attempts, "error", err)
		s.metrics.runs.WithLabelValues(name, "failed").Inc()
		s.mu.Lock()
		st.LastStatus, st.LastError = "failed", err.Error()
		st.Failures++
		s.mu.Unlock()
		s.saveState()
		s.notify(ctx, sc, alert.Event{Kind: alert.KindRunFailed, Schedule: name, ScheduledFor: at, RunDir: dir, Error: err.Error(),
			Message: fmt.Sprintf("the run for %s failed after %d attempts: %v", at.Format(time.RFC3339), attempts, err)})
		return nil
	}
	s.metrics.runs.WithLabelValues(name, r.Status).Inc()
	s.metrics.lastSuccess.WithLabelValues(name).Set(float64(at.Unix()))
	s.metrics.observe(name, r)
	s.log.Info("run finished", "schedule", name, "scheduled_for", at.Format(time.RFC3339), "status", r.Status,
		"records", r.Rows, "violations", len(r.Violations), "drift_share", r.Drift.Share, "dir", dir)
	violated := len(r.Violations) > 0 || r.Drift.Drifted
	s.mu.Lock()
	st.LastStatus, st.LastError = r.Status, ""
	if r.Drift.Drifted {
		st.ConsecutiveDrift++
	} else {
		st.ConsecutiveDrift = 0
	}
	if violated {
		st.ConsecutiveViolations++
	} else {
		st.ConsecutiveViolations = 0
	}
	s.metrics.consecutive.WithLabelValues(name).Set(float64(st.ConsecutiveDrift))
	s.mu.Unlock()
	s.saveState()
	if r.Failed() {
		ev := event(alert.KindViolations, sc, at, dir, r)
		if !violated {
			ev.Message = fmt.Sprintf("%d records could not be read; the result is incomplete", r.Skipped)
		}
		s.notify(ctx, sc, ev)
	}
	s.maybeRetrain(ctx, sc, at, dir, r)
	return r
}

func event(kind string, sc *sched, at time.Time, dir string, r *report.Report) alert.Event {
	ev := alert.Event{Kind: kind, Schedule: sc.cfg.Name, ScheduledFor: at, Status: r.Status, RunDir: dir, Rows: r.Rows,
		ViolationCount: len(r.Violations), DriftShare: r.Drift.Share, DriftedFeatures: r.DriftedFeatures()}
	ev.Violations = r.Violations[:min(len(r.Violations), alert.MaxViolations)]
	ev.Message = fmt.Sprintf("%d violations, %d of %d features drifted (%.0f%%) in %d records", len(r.Violations),
		len(ev.DriftedFeatures), len(r.Drift.Features), 100*r.Drift.Share, r.Rows)
	return ev
}

func (s *Service) maybeRetrain(ctx context.Context, sc *sched, at time.Time, dir string, r *report.Report) {
	rc := sc.cfg.Retrain
	if rc == nil {
		return
	}
	s.mu.Lock()
	st := s.state.get(sc.cfg.Name)
	fire := (rc.ConsecutiveDriftRuns > 0 && st.ConsecutiveDrift >= rc.ConsecutiveDriftRuns) ||
		(rc.ConsecutiveViolationRuns > 0 && st.ConsecutiveViolations >= rc.ConsecutiveViolationRuns)
	drifts, viols := st.ConsecutiveDrift, st.ConsecutiveViolations
	s.mu.Unlock()
	if !fire {
		return
	}
	ev := event(alert.KindRetrain, sc, at, dir, r)
	ev.Message = fmt.Sprintf("retraining: %d runs in a row with dataset drift, %d with violations", drifts, viols)
	s.log.Info("retraining policy fired", "schedule", sc.cfg.Name, "consecutive_drift", drifts, "consecutive_violations", viols)
	outcome := "ok"
	if len(rc.Command) > 0 {
		cmd := alert.Command{Args: rc.Command, Timeout: time.Duration(rc.Timeout), Dir: s.cfg.dir}
		out, err := cmd.Run(ctx, ev)
		if err != nil {
			outcome = "failed"
			s.log.Error("retrain command failed", "schedule", sc.cfg.Name, "error", err, "output", lastLines(out, 20))
		} else {
			s.log.Info("retrain command finished", "schedule", sc.cfg.Name, "output", lastLines(out, 5))
		}
	}
	if rc.Webhook != "" {
		if w := s.webhooks[rc.Webhook]; w != nil {
			if err := w.Send(ctx, ev); err != nil {
				outcome = "failed"
				s.metrics.alerts.WithLabelValues(rc.Webhook, "failed").Inc()
				s.log.Error("retrain webhook failed", "schedule", sc.cfg.Name, "error", err)
			} else {
				s.metrics.alerts.WithLabelValues(rc.Webhook, "sent").Inc()
			}
		}
	}
	s.metrics.retrains.WithLabelValues(sc.cfg.Name, outcome).Inc()
	s.mu.Lock()
	st.Retrains++
	// The counters restart so the action fires again only after another streak.
	st.ConsecutiveDrift, st.ConsecutiveViolations = 0, 0
	s.mu.Unlock()
	s.saveState()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func (s *Service) notify(ctx context.Context, sc *sched, ev alert.Event) {
	for _, name := range sc.cfg.Alerts {
		w := s.webhooks[name]
		if w == nil || !slices.Contains(s.on[name], ev.Kind) {
			continue
		}
		if err := w.Send(ctx, ev); err != nil {
			s.metrics.alerts.WithLabelValues(name, "failed").Inc()
			s.log.Error("alert not delivered", "alert", name, "schedule", sc.cfg.Name, "kind", ev.Kind, "error", err)
			continue
		}
		s.metrics.alerts.WithLabelValues(name, "sent").Inc()
		s.log.Info("alert sent", "alert", name, "schedule", sc.cfg.Name, "kind", ev.Kind)
	}
}

func (s *Service) saveState() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.state.save(s.statePath); err != nil {
		s.log.Error("could not save state; catch-up after a restart may repeat runs", "error", err)
	}
}

// runOnce is one attempt at one scheduled time.
func (s *Service) runOnce(ctx context.Context, sc *sched, at time.Time, dir string) (*report.Report, error) {
	c := sc.cfg
	files, err := s.selectFiles(sc, at)
	if err != nil {
		return nil, err
	}
	cfg := drift.DefaultConfig()
	if c.Drift != nil {
		cfg = *c.Drift
		def := drift.DefaultConfig()
		// Unset fields keep their defaults.
		if cfg.SmallSample == 0 {
			cfg.SmallSample = def.SmallSample
		}
		if cfg.PValue == 0 {
			cfg.PValue = def.PValue
		}
		if cfg.Wasserstein == 0 {
			cfg.Wasserstein = def.Wasserstein
		}
		if cfg.JensenShannon == 0 {
			cfg.JensenShannon = def.JensenShannon
		}
		if cfg.PSI == 0 {
			cfg.PSI = def.PSI
		}
		if cfg.PSIBins == 0 {
			cfg.PSIBins = def.PSIBins
		}
		if cfg.CategoricalMaxDistinct == 0 {
			cfg.CategoricalMaxDistinct = def.CategoricalMaxDistinct
		}
		if cfg.DatasetShare == 0 {
			cfg.DatasetShare = def.DatasetShare
		}
	}
	prediction := c.Prediction
	if prediction == "" && len(c.GroundTruth) > 0 {
		prediction = "prediction"
	}
	header := dataset.Header(c.Header)
	var gt []string
	for _, g := range c.GroundTruth {
		gt = append(gt, s.cfg.path(g))
	}
	o := monitor.RunOptions{
		Data: monitor.Data{
			Files:    files,
			Dataset:  dataset.Options{Format: dataset.Format(c.DataFormat), Header: header, Columns: c.Columns, Prediction: prediction},
			NAValues: c.NAValues, Workers: s.opts.Workers, MaxSkipped: c.MaxSkipped,
		},
		Baseline: s.cfg.path(c.Baseline), QualityBaseline: s.cfg.path(c.QualityBaseline), Out: dir, Drift: cfg,
		Columns:     monitor.Columns{Target: c.Target, Prediction: prediction, Exclude: c.Exclude},
		GroundTruth: gt,
		Quality:     monitor.QualityConfig{Options: quality.Options{Problem: c.ProblemType, PositiveLabel: c.PositiveLabel, Threshold: c.ProbabilityThreshold}},
		Bias:        c.Bias, Now: s.clock.Now(), Version: s.opts.Version,
	}
	return monitor.Run(ctx, o)
}

// selectFiles lists the schedule's data for a run at `at`. With a window, files in yyyy/mm/dd/hh capture folders
// are kept when their hour starts within [at-window, at); files outside that layout are always kept.
func (s *Service) selectFiles(sc *sched, at time.Time) ([]string, error) {
	var paths []string
	for _, d := range sc.cfg.Data {
		paths = append(paths, s.cfg.path(d))
	}
	files, err := dataset.Expand(paths)
	if err != nil {
		return nil, err
	}
	window := time.Duration(sc.cfg.Window)
	if window <= 0 {
		return files, nil
	}
	from := at.Add(-window)
	var out []string
	for _, f := range files {
		hour, ok := captureHour(f)
		if !ok || !hour.Before(from) && hour.Before(at) {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w in the window %s to %s under %v", errNoData, from.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339), sc.cfg.Data)
	}
	return out, nil
}

// captureHour reads the UTC hour from a path's .../yyyy/mm/dd/hh/file layout.
func captureHour(path string) (time.Time, bool) {
	parts := strings.Split(filepath.ToSlash(filepath.Dir(path)), "/")
	if len(parts) < 4 {
		return time.Time{}, false
	}
	p := parts[len(parts)-4:]
	var n [4]int
	for i, s := range p {
		v, err := strconv.Atoi(s)
		if err != nil {
			return time.Time{}, false
		}
		n[i] = v
	}
	if len(p[0]) != 4 || n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 || n[3] > 23 {
		return time.Time{}, false
	}
	return time.Date(n[0], time.Month(n[1]), n[2], n[3], 0, 0, 0, time.UTC), true
}

// serveMetrics starts the /metrics endpoint, stopped when ctx ends.
func (s *Service) serveMetrics(ctx context.Context) error {
	ln := s.opts.Listener
	if ln == nil {
		if s.cfg.Listen == "" {
			return nil
		}
		var err error
		if ln, err = net.Listen("tcp", s.cfg.Listen); err != nil {
			return fmt.Errorf("metrics endpoint: %w", err)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("metrics endpoint stopped", "error", err)
		}
	}()
	s.log.Info("serving Prometheus metrics", "address", ln.Addr().String(), "path", "/metrics")
	return nil
}
