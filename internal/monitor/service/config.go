// Package service runs monitoring schedules (walens monitor serve): at each cron time it checks the capture data
// of the preceding window against the schedule's baseline, writes the run's files to a dated folder, updates
// Prometheus metrics, sends alerts and applies the retraining policy. Its state (the last run of each schedule and
// the policy counters) is saved atomically after every run, so a restart catches up the runs it missed.
package service

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/monitor/alert"
	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/drift"
	"github.com/walens/walens/internal/monitor/quality"
	"github.com/walens/walens/internal/monitor/schedule"
	"github.com/walens/walens/internal/yamldoc"
)

// Config is the monitor.yaml file.
type Config struct {
	// Listen is the address of the Prometheus /metrics endpoint; empty serves none.
	Listen string `yaml:"listen"`
	// State is the state file; relative paths are from the config file's folder. Default monitor-state.json.
	State string `yaml:"state"`
	// MaxCatchUp is how many missed runs per schedule are run after a restart; older ones are reported as missed.
	MaxCatchUp int              `yaml:"max_catch_up"`
	Retry      Retry            `yaml:"retry"`
	Alerts     []AlertConfig    `yaml:"alerts"`
	Schedules  []ScheduleConfig `yaml:"schedules"`

	dir string
}

// Retry says how failed runs are retried.
type Retry struct {
	Attempts int      `yaml:"attempts"` // including the first; default 3
	Backoff  Duration `yaml:"backoff"`  // before the second attempt, doubling; default 1m
}

// AlertConfig is a webhook.
type AlertConfig struct {
	Name string `yaml:"name"`
	// URL, or URLEnv naming an environment variable that holds it, so tokens stay out of the file.
	URL     string            `yaml:"url"`
	URLEnv  string            `yaml:"url_env"`
	Format  string            `yaml:"format"` // json (default) or slack
	Headers map[string]string `yaml:"headers"`
	Timeout Duration          `yaml:"timeout"`
	Retries *int              `yaml:"retries"`
	// On lists the event kinds sent: violations, run_failed, missed, retrain. Default all.
	On []string `yaml:"on"`
}

// ScheduleConfig is one monitoring schedule.
type ScheduleConfig struct {
	Name            string   `yaml:"name"`
	Cron            string   `yaml:"cron"`
	Timezone        string   `yaml:"timezone"`
	Baseline        string   `yaml:"baseline"`
	QualityBaseline string   `yaml:"quality_baseline"`
	Data            []string `yaml:"data"`
	// Window selects, in folders with the yyyy/mm/dd/hh capture layout, the hours before the run time; 0 reads
	// every file each run.
	Window               Duration             `yaml:"window"`
	DataFormat           string               `yaml:"data_format"`
	Header               string               `yaml:"header"`
	Columns              []string             `yaml:"columns"`
	NAValues             []string             `yaml:"na_values"`
	Target               string               `yaml:"target"`
	Prediction           string               `yaml:"prediction"`
	Exclude              []string             `yaml:"exclude"`
	GroundTruth          []string             `yaml:"ground_truth"`
	ProblemType          string               `yaml:"problem_type"`
	PositiveLabel        string               `yaml:"positive_label"`
	ProbabilityThreshold float64              `yaml:"probability_threshold"`
	Bias                 *quality.BiasOptions `yaml:"bias"`
	Drift                *drift.Config        `yaml:"drift"`
	MaxSkipped           int64                `yaml:"max_skipped"`
	Out                  string               `yaml:"out"`
	Alerts               []string             `yaml:"alerts"`
	Retrain              *RetrainConfig       `yaml:"retrain"`
}

// RetrainConfig is the retraining policy and action.
type RetrainConfig struct {
	// ConsecutiveDriftRuns fires the action when this many runs in a row found dataset drift.
	ConsecutiveDriftRuns int `yaml:"consecutive_drift_runs"`
	// ConsecutiveViolationRuns fires it when this many runs in a row had violations of any kind.
	ConsecutiveViolationRuns int      `yaml:"consecutive_violation_runs"`
	Command                  []string `yaml:"command"`
	Timeout                  Duration `yaml:"timeout"`
	// Webhook names an alert to notify with a retrain event.
	Webhook string `yaml:"webhook"`
}

// Duration reads "90s", "5m", "1h".
type Duration time.Duration

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 30s, 5m or 1h", b)
	}
	*d = Duration(v)
	return nil
}

// LoadConfig reads and checks a configuration file; every problem is reported with its line.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	var c Config
	doc, err := yamldoc.DecodeFile(data, path, &c)
	if err != nil {
		return nil, err
	}
	c.dir = filepath.Dir(path)
	var col diag.Collector
	c.validate(&col)
	if len(col.List) > 0 {
		col.List.Locate(path, doc.Pos)
		col.List.Sort()
		return nil, col.List
	}
	return &c, nil
}

var eventKinds = []string{alert.KindViolations, alert.KindRunFailed, alert.KindMissed, alert.KindRetrain}

func (c *Config) validate(col *diag.Collector) {
	if c.MaxCatchUp < 0 {
		col.Errorf("max_catch_up", "cannot be negative")
	}
	if c.Retry.Attempts < 0 || c.Retry.Backoff < 0 {
		col.Errorf("retry", "attempts and backoff cannot be negative")
	}
	alerts := map[string]bool{}
	for i, a := range c.Alerts {
		p := diag.Index("alerts", i)
		if a.Name == "" {
			col.Errorf(diag.Key(p, "name"), "an alert needs a name")
		} else if alerts[a.Name] {
			col.Errorf(diag.Key(p, "name"), "alert %q is defined twice", a.Name)
		}
		alerts[a.Name] = true
		if (a.URL == "") == (a.URLEnv == "") {
			col.Errorf(p, "give exactly one of url and url_env")
		}
		if a.Format != "" && a.Format != alert.FormatJSON && a.Format != alert.FormatSlack {
			col.Errorf(diag.Key(p, "format"), "must be json or slack, not %q", a.Format)
		}
		for j, k := range a.On {
			if !slices.Contains(eventKinds, k) {
				col.Errorf(diag.Index(diag.Key(p, "on"), j), "unknown event %q (use %s)", k, strings.Join(eventKinds, ", ")).Suggest(k, eventKinds)
			}
		}
	}
	names := map[string]bool{}
	for i, s := range c.Schedules {
		p := diag.Index("schedules", i)
		if s.Name == "" || strings.ContainsAny(s.Name, `/\`) {
			col.Errorf(diag.Key(p, "name"), "a schedule needs a name without slashes")
		} else if names[s.Name] {
			col.Errorf(diag.Key(p, "name"), "schedule %q is defined twice", s.Name)
		}
		names[s.Name] = true
		if _, err := schedule.Parse(s.Cron); err != nil {
			col.Errorf(diag.Key(p, "cron"), "%v", err)
		}
		if s.Timezone != "" {
			if _, err := time.LoadLocation(s.Timezone); err != nil {
				col.Errorf(diag.Key(p, "timezone"), "unknown time zone %q", s.Timezone)
			}
		}
		if s.Baseline == "" {
			col.Errorf(diag.Key(p, "baseline"), "is required")
		}
		if s.Out == "" {
			col.Errorf(diag.Key(p, "out"), "is required")
		}
		if len(s.Data) == 0 {
			col.Errorf(diag.Key(p, "data"), "is required: capture folders, files or globs")
		}
		if s.Window < 0 {
			col.Errorf(diag.Key(p, "window"), "cannot be negative")
		}
		if s.DataFormat != "" && !slices.Contains(dataset.Formats, s.DataFormat) {
			col.Errorf(diag.Key(p, "data_format"), "must be one of %s", strings.Join(dataset.Formats, ", ")).Suggest(s.DataFormat, dataset.Formats)
		}
		if s.ProblemType != "" && !slices.Contains(quality.ProblemTypes, s.ProblemType) {
			col.Errorf(diag.Key(p, "problem_type"), "must be one of %s", strings.Join(quality.ProblemTypes, ", ")).Suggest(s.ProblemType, quality.ProblemTypes)
		}
		if s.Bias != nil && (s.Bias.Facet == "" || len(s.Bias.Values) == 0) {
			col.Errorf(diag.Key(p, "bias"), "needs facet and values")
		}
		for j, a := range s.Alerts {
			if !alerts[a] {
				col.Errorf(diag.Index(diag.Key(p, "alerts"), j), "no alert is named %q", a)
			}
		}
		if r := s.Retrain; r != nil {
			rp := diag.Key(p, "retrain")
			if r.ConsecutiveDriftRuns <= 0 && r.ConsecutiveViolationRuns <= 0 {
				col.Errorf(rp, "needs a policy: consecutive_drift_runs or consecutive_violation_runs")
			}
			if len(r.Command) == 0 && r.Webhook == "" {
				col.Errorf(rp, "needs an action: command or webhook")
			}
			if r.Webhook != "" && !alerts[r.Webhook] {
				col.Errorf(diag.Key(rp, "webhook"), "no alert is named %q", r.Webhook)
			}
		}
	}
	if len(c.Schedules) == 0 {
		col.Errorf("schedules", "the file defines no schedule")
	}
}

// path resolves a path from the config file's folder.
func (c *Config) path(p string) string {
	if p == "" || filepath.IsAbs(p) || p == dataset.StdinName {
		return p
	}
	return filepath.Join(c.dir, p)
}

func (c *Config) webhooks(getenv func(string) string) (map[string]*alert.Webhook, map[string][]string, error) {
	out := map[string]*alert.Webhook{}
	on := map[string][]string{}
	for _, a := range c.Alerts {
		u := a.URL
		if a.URLEnv != "" {
			if u = getenv(a.URLEnv); u == "" {
				return nil, nil, fmt.Errorf("alert %s: environment variable %s is empty", a.Name, a.URLEnv)
			}
		}
		retries := 3
		if a.Retries != nil {
			retries = *a.Retries
		}
		out[a.Name] = &alert.Webhook{Name: a.Name, URL: u, Format: a.Format, Headers: a.Headers, Timeout: time.Duration(a.Timeout), Retries: retries}
		on[a.Name] = a.On
		if len(a.On) == 0 {
			on[a.Name] = eventKinds
		}
	}
	return out, on, nil
}

var errNoData = errors.New("no data files")
