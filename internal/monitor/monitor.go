// Package monitor runs walens's model monitoring: it suggests a baseline (statistics.json and constraints.json in
// the SageMaker Model Monitor formats) from training data, and checks batches of current data against a baseline
// for data quality, drift, model quality and bias. The statistics, tests and readers live in the sub-packages;
// this package puts them together and writes each run's files.
package monitor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/profile"
	"github.com/walens/walens/internal/monitor/quality"
	"github.com/walens/walens/internal/monitor/sagemaker"
)

// QualityDir is the folder, inside a baseline, holding the model-quality statistics and constraints.
const QualityDir = "model_quality"

// Data says what to read and how.
type Data struct {
	Files    []string
	Dataset  dataset.Options
	NAValues []string
	Workers  int
	// MaxSkipped is how many unreadable records are tolerated before the input is rejected.
	MaxSkipped int64
	Progress   func(rows int64)
}

// ErrNoRows is returned for input that holds no records.
var ErrNoRows = errors.New("the data holds no records")

// Columns names the special columns of a dataset.
type Columns struct {
	Target     string // the label, for model quality; not a data-quality feature
	Prediction string // the model's output
	Exclude    []string
}

// QualityConfig configures model quality.
type QualityConfig struct {
	quality.Options
	// Slack is how much worse than the baseline a metric may be before it is a violation, as a fraction of its
	// magnitude (baseline only).
	Slack float64
}

// BaselineOptions configure Baseline.
type BaselineOptions struct {
	Data    Data
	Out     string
	Columns Columns
	Quality QualityConfig // Problem empty: no model-quality baseline
	// MaxDomain is the most distinct values a String feature may have to get a domain constraint.
	MaxDomain int
	// MaxCategories bounds the categories written per String feature.
	MaxCategories int
}

// BaselineResult is what Baseline computed and wrote.
type BaselineResult struct {
	Statistics  *sagemaker.Statistics
	Constraints *sagemaker.Constraints
	Quality     *sagemaker.Statistics
	QualityCons *sagemaker.Constraints
	Rows        int64
	Skipped     int64
	Skips       []dataset.Skip
	Notes       []string
	Files       []string
	Written     []string
}

func openSource(d Data) (*dataset.Source, error) {
	src, err := dataset.Open(d.Files, d.Dataset)
	if err != nil {
		return nil, err
	}
	return src, nil
}

// Baseline profiles training data and writes statistics.json and constraints.json to o.Out, plus the
// model-quality baseline when a problem type is given.
func Baseline(ctx context.Context, o BaselineOptions) (*BaselineResult, error) {
	src, err := openSource(o.Data)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var pairs pairCollector
	popts := profile.Options{Workers: o.Data.Workers, NAValues: o.Data.NAValues, Progress: o.Data.Progress, MaxCategories: o.MaxCategories}
	if o.Quality.Problem != "" {
		if o.Columns.Target == "" || o.Columns.Prediction == "" {
			return nil, errors.New("a model-quality baseline needs both the target and the prediction column")
		}
		popts.Visit = pairs.fromColumns(src.Schema(), o.Columns.Target, o.Columns.Prediction, "")
	}
	p, err := profile.Compute(ctx, src, popts)
	if err != nil {
		return nil, err
	}
	if err := p.Err(o.Data.MaxSkipped); err != nil {
		return nil, err
	}
	if p.Rows == 0 {
		return nil, fmt.Errorf("%w: %v", ErrNoRows, src.Files())
	}
	res := &BaselineResult{Rows: p.Rows, Skipped: p.Skipped, Skips: p.Skips, Notes: p.Notes(), Files: p.Files}
	drop := append([]string{o.Columns.Target}, o.Columns.Exclude...)
	for _, name := range append(slices.Clone(o.Columns.Exclude), o.Columns.Target, o.Columns.Prediction) {
		if name != "" && !slices.Contains(p.Columns(), name) {
			return nil, fmt.Errorf("the data has no column %q (columns: %v)", name, p.Columns())
		}
	}
	res.Statistics = p.Statistics(o.MaxCategories)
	res.Constraints = p.Suggest(profile.SuggestOptions{MaxDomain: o.MaxDomain})
	res.Statistics.Features = slices.DeleteFunc(res.Statistics.Features, func(f sagemaker.FeatureStats) bool { return slices.Contains(drop, f.Name) })
	res.Constraints.Features = slices.DeleteFunc(res.Constraints.Features, func(f sagemaker.FeatureConstraints) bool { return slices.Contains(drop, f.Name) })

	if o.Quality.Problem != "" {
		m, _, err := quality.Compute(pairs.pairs, o.Quality.Options)
		if err != nil {
			return nil, fmt.Errorf("model-quality baseline: %w", err)
		}
		if res.Quality, err = quality.Statistics(o.Quality.Problem, m, len(pairs.pairs)); err != nil {
			return nil, err
		}
		res.QualityCons = quality.Suggest(o.Quality.Problem, m, o.Quality.Slack)
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", o.Out, err)
	}
	write := func(path string, v any) error {
		if err := sagemaker.WriteJSON(path, v); err != nil {
			return err
		}
		res.Written = append(res.Written, path)
		return nil
	}
	if err := write(filepath.Join(o.Out, sagemaker.StatisticsFile), res.Statistics); err != nil {
		return nil, err
	}
	if err := write(filepath.Join(o.Out, sagemaker.ConstraintsFile), res.Constraints); err != nil {
		return nil, err
	}
	if res.Quality != nil {
		dir := filepath.Join(o.Out, QualityDir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", dir, err)
		}
		if err := write(filepath.Join(dir, sagemaker.StatisticsFile), res.Quality); err != nil {
			return nil, err
		}
		if err := write(filepath.Join(dir, sagemaker.ConstraintsFile), res.QualityCons); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// pairCollector gathers labelled predictions from rows as they stream past. Labels come from a column or from a
// ground-truth map keyed by event ID (or inference ID).
type pairCollector struct {
	mu        sync.Mutex
	pairs     []quality.Pair
	unmatched int
}

// fromColumns returns a row visitor that reads the label, the prediction and the facet from columns. An empty
// facet name reads no facet.
func (c *pairCollector) fromColumns(schema *dataset.Schema, target, prediction, facet string) func([]dataset.Row) {
	return c.visit(schema, prediction, facet, func(r dataset.Row) (string, bool) {
		i, ok := schema.Lookup(target)
		if !ok || i >= len(r.Values) || r.Values[i] == "" {
			return "", false
		}
		return r.Values[i], true
	})
}

// fromGroundTruth returns a row visitor that joins rows with labels by event ID, then inference ID.
func (c *pairCollector) fromGroundTruth(schema *dataset.Schema, labels map[string]string, prediction, facet string) func([]dataset.Row) {
	return c.visit(schema, prediction, facet, func(r dataset.Row) (string, bool) {
		if l, ok := labels[r.EventID]; ok && r.EventID != "" {
			return l, true
		}
		if l, ok := labels[r.InferenceID]; ok && r.InferenceID != "" {
			return l, true
		}
		return "", false
	})
}

func (c *pairCollector) visit(schema *dataset.Schema, prediction, facet string, label func(dataset.Row) (string, bool)) func([]dataset.Row) {
	value := func(r dataset.Row, name string) string {
		if name == "" {
			return ""
		}
		i, ok := schema.Lookup(name)
		if !ok || i >= len(r.Values) {
			return ""
		}
		return r.Values[i]
	}
	return func(rows []dataset.Row) {
		var local []quality.Pair
		missed := 0
		for _, r := range rows {
			pred := value(r, prediction)
			l, ok := label(r)
			if !ok || pred == "" {
				missed++
				continue
			}
			local = append(local, quality.Pair{Label: l, Prediction: pred, Facet: value(r, facet)})
		}
		c.mu.Lock()
		c.pairs = append(c.pairs, local...)
		c.unmatched += missed
		c.mu.Unlock()
	}
}
