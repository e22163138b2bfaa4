// Package report holds the result of a monitoring run and renders it: a terminal summary, JSON for machines and
// one self-contained HTML page that plots each drifted feature's baseline and current distributions.
package report

import (
	"time"

	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/drift"
	"github.com/walens/walens/internal/monitor/quality"
	"github.com/walens/walens/internal/monitor/sagemaker"
)

// Run statuses.
const (
	StatusClean      = "clean"      // every check passed on every record
	StatusViolations = "violations" // a check failed or the dataset drifted
	StatusIncomplete = "incomplete" // checks passed, but some records could not be read: not a clean result
)

// Report is everything a run found. report.json is this structure.
type Report struct {
	GeneratedAt   time.Time      `json:"generated_at"`
	WalensVersion string         `json:"walens_version,omitempty"`
	Status        string         `json:"status"`
	Baseline      string         `json:"baseline"`
	Files         []string       `json:"files"`
	Rows          int64          `json:"rows"`
	Skipped       int64          `json:"skipped"`
	Skips         []dataset.Skip `json:"skips,omitempty"`
	Notes         []string       `json:"notes,omitempty"`

	Violations []sagemaker.Violation `json:"violations"`
	Drift      DriftReport           `json:"drift"`
	Quality    *QualityReport        `json:"model_quality,omitempty"`
	Bias       *quality.BiasResult   `json:"bias,omitempty"`
	Outputs    []string              `json:"outputs,omitempty"`

	// Plots holds the distributions behind the HTML report; not part of report.json.
	Plots map[string]Plot `json:"-"`
}

// DriftReport is drift_report.json: per-feature verdicts and the dataset-level share.
type DriftReport struct {
	Features []drift.Result `json:"features"`
	Share    float64        `json:"drift_share"`
	Drifted  bool           `json:"dataset_drift"`
	Config   drift.Config   `json:"config"`
}

// QualityReport is the model-quality part of a run.
type QualityReport struct {
	Problem    string                `json:"problem_type"`
	Items      int                   `json:"items"`
	Unmatched  int                   `json:"unmatched_predictions,omitempty"`
	Unreadable int                   `json:"unreadable_pairs,omitempty"`
	Metrics    quality.Metrics       `json:"metrics"`
	Baseline   quality.Metrics       `json:"baseline_metrics,omitempty"`
	Violations []sagemaker.Violation `json:"violations"`
}

// Plot is what the HTML report draws for one feature: bars for the baseline and the current share of each bin or
// category.
type Plot struct {
	Labels   []string
	Baseline []float64
	Current  []float64
}

// DriftedFeatures returns the names of features whose verdict is drift.
func (r *Report) DriftedFeatures() []string {
	var out []string
	for _, f := range r.Drift.Features {
		if f.Drifted {
			out = append(out, f.Feature)
		}
	}
	return out
}

// Failed says whether the run should fail a gate: violations, dataset drift, or records skipped.
func (r *Report) Failed() bool { return r.Status != StatusClean }
