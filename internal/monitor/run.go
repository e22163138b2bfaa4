package monitor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/drift"
	"github.com/walens/walens/internal/monitor/profile"
	"github.com/walens/walens/internal/monitor/quality"
	"github.com/walens/walens/internal/monitor/report"
	"github.com/walens/walens/internal/monitor/sagemaker"
)

// Output files of a run, besides statistics.json and constraint_violations.json.
const (
	DriftFile  = "drift_report.json"
	ReportFile = "report.json"
	HTMLFile   = "report.html"
)

// RunOptions configure Run.
type RunOptions struct {
	Data     Data
	Baseline string // folder with statistics.json and/or constraints.json
	// QualityBaseline is the folder with the model-quality statistics and constraints; by default the baseline's
	// model_quality folder when it exists.
	QualityBaseline string
	Out             string // "" writes nothing
	Drift           drift.Config
	Columns         Columns
	// GroundTruth files hold labels joined to captured predictions by event ID.
	GroundTruth []string
	Quality     QualityConfig // Problem empty: taken from the quality baseline, if any
	Bias        *quality.BiasOptions
	Now         time.Time
	Version     string
}

// Baseline files as read.
type loadedBaseline struct {
	stats *sagemaker.Statistics
	cons  *sagemaker.Constraints
}

func loadBaseline(dir string) (*loadedBaseline, error) {
	var b loadedBaseline
	var err error
	sp, cp := filepath.Join(dir, sagemaker.StatisticsFile), filepath.Join(dir, sagemaker.ConstraintsFile)
	if b.stats, err = sagemaker.ReadStatistics(sp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if b.cons, err = sagemaker.ReadConstraints(cp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if b.stats == nil && b.cons == nil {
		return nil, fmt.Errorf("baseline %s holds neither %s nor %s", dir, sagemaker.StatisticsFile, sagemaker.ConstraintsFile)
	}
	return &b, nil
}

// Run checks current data against a baseline and, when o.Out is set, writes statistics.json,
// constraint_violations.json, drift_report.json, report.json and report.html there. The returned report's
// Status says whether the run is clean.
func Run(ctx context.Context, o RunOptions) (*report.Report, error) {
	base, err := loadBaseline(o.Baseline)
	if err != nil {
		return nil, err
	}
	qdir := o.QualityBaseline
	if qdir == "" {
		if st, err := os.Stat(filepath.Join(o.Baseline, QualityDir)); err == nil && st.IsDir() {
			qdir = filepath.Join(o.Baseline, QualityDir)
		}
	}
	var qbase *loadedBaseline
	if qdir != "" {
		if qbase, err = loadBaseline(qdir); err != nil {
			return nil, fmt.Errorf("model-quality baseline: %w", err)
		}
	}
	qopts := o.Quality.Options
	var skipped string
	if qopts.Problem == "" && qbase != nil && qbase.stats != nil {
		if p, _, err := quality.MetricsOf(qbase.stats); err == nil {
			qopts.Problem = p
			// The baseline can check model quality, but this run was not asked to: without labels and a
			// prediction column it checks data quality only, and says so.
			if o.Columns.Prediction == "" || o.Columns.Target == "" && len(o.GroundTruth) == 0 {
				if o.Bias == nil {
					qopts.Problem = ""
					skipped = "model quality not checked: the baseline has a model-quality baseline, but the run has no labels (--target or --ground-truth) or no --prediction column"
				}
			}
		}
	}
	if (o.Bias != nil || len(o.GroundTruth) > 0) && qopts.Problem == "" {
		return nil, errors.New("model quality and bias need a problem type: give one, or a model-quality baseline")
	}
	if o.Bias != nil && qopts.Problem != quality.Binary {
		return nil, fmt.Errorf("bias metrics need binary classification, not %s", qopts.Problem)
	}
	prediction := o.Columns.Prediction
	if qopts.Problem != "" && prediction == "" {
		return nil, errors.New("model quality needs the prediction column (--prediction)")
	}

	var labels map[string]string
	var gtSkips []dataset.Skip
	if len(o.GroundTruth) > 0 {
		if labels, gtSkips, err = dataset.ReadGroundTruth(ctx, o.GroundTruth, o.Data.Dataset.MaxLine); err != nil {
			return nil, err
		}
	}

	src, err := openSource(o.Data)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	popts := profile.Options{Workers: o.Data.Workers, NAValues: o.Data.NAValues, Progress: o.Data.Progress}
	if base.stats != nil {
		for _, f := range base.stats.Features {
			if f.InferredType == sagemaker.String {
				popts.Strings = append(popts.Strings, f.Name)
			}
		}
	}
	var pairs pairCollector
	facet := ""
	if o.Bias != nil {
		facet = o.Bias.Facet
	}
	switch {
	case labels != nil:
		popts.Visit = pairs.fromGroundTruth(src.Schema(), labels, prediction, facet)
	case qopts.Problem != "":
		if o.Columns.Target == "" {
			return nil, errors.New("model quality needs labels: a target column (--target) or ground-truth files")
		}
		popts.Visit = pairs.fromColumns(src.Schema(), o.Columns.Target, prediction, facet)
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

	r := &report.Report{
		GeneratedAt: o.Now, WalensVersion: o.Version, Baseline: o.Baseline, Files: p.Files,
		Rows: p.Rows, Skipped: p.Skipped + int64(len(gtSkips)), Skips: append(slices.Clone(p.Skips), gtSkips...), Notes: p.Notes(),
	}
	ignore := []string{o.Columns.Target, prediction, facet}
	if base.stats != nil {
		// Target, prediction and facet are only extra columns when the baseline does not know them.
		ignore = slices.DeleteFunc(ignore, func(n string) bool {
			return slices.ContainsFunc(base.stats.Features, func(f sagemaker.FeatureStats) bool { return f.Name == n })
		})
	}
	ignore = append(ignore, o.Columns.Exclude...)
	violations, results, plots, notes := checkFeatures(base.stats, base.cons, p, o.Drift, ignore)
	r.Notes = append(r.Notes, notes...)
	if skipped != "" {
		r.Notes = append(r.Notes, skipped)
	}
	if hint := unnamedColumnsHint(base, p.Columns()); hint != "" {
		r.Notes = append(r.Notes, hint)
	}
	r.Violations = violations
	r.Plots = plots
	r.Drift = report.DriftReport{Features: results, Config: o.Drift}
	r.Drift.Share, r.Drift.Drifted = drift.Share(results, o.Drift)
	if r.Drift.Features == nil {
		r.Drift.Features = []drift.Result{}
	}

	if qopts.Problem != "" {
		q, err := modelQuality(&pairs, qopts, qbase)
		if err != nil {
			return nil, err
		}
		r.Quality = q
		r.Violations = append(r.Violations, q.Violations...)
		if o.Bias != nil {
			b := quality.Bias(pairs.pairs, qopts, *o.Bias)
			r.Bias = &b
			r.Violations = append(r.Violations, b.Violations()...)
			if b.Note != "" {
				r.Notes = append(r.Notes, "bias: "+b.Note)
			}
		}
	}
	if r.Violations == nil {
		r.Violations = []sagemaker.Violation{}
	}
	switch {
	case len(r.Violations) > 0 || r.Drift.Drifted:
		r.Status = report.StatusViolations
	case r.Skipped > 0:
		r.Status = report.StatusIncomplete
	default:
		r.Status = report.StatusClean
	}
	if o.Out != "" {
		if err := writeRun(o.Out, r, p.Statistics(profile.DefaultMaxCategories)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func modelQuality(pairs *pairCollector, o quality.Options, qbase *loadedBaseline) (*report.QualityReport, error) {
	// Workers deliver rows in no particular order; sort so sums, and so the metrics, are the same every run.
	slices.SortFunc(pairs.pairs, func(a, b quality.Pair) int {
		return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.Prediction, b.Prediction), cmp.Compare(a.Facet, b.Facet))
	})
	q := &report.QualityReport{Problem: o.Problem, Items: len(pairs.pairs), Unmatched: pairs.unmatched, Violations: []sagemaker.Violation{}}
	if len(pairs.pairs) == 0 {
		return nil, fmt.Errorf("model quality: none of the %d records has both a label and a prediction", pairs.unmatched)
	}
	m, bad, err := quality.Compute(pairs.pairs, o)
	if err != nil {
		return nil, fmt.Errorf("model quality: %w", err)
	}
	q.Metrics, q.Unreadable = m, bad
	if qbase != nil {
		if qbase.stats != nil {
			if _, bm, err := quality.MetricsOf(qbase.stats); err == nil {
				q.Baseline = bm
			}
		}
		if qbase.cons != nil {
			q.Violations = quality.Check(m, qbase.cons)
		}
	}
	return q, nil
}

func writeRun(dir string, r *report.Report, stats *sagemaker.Statistics) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	files := []struct {
		name string
		v    any
	}{
		{sagemaker.StatisticsFile, stats},
		{sagemaker.ViolationsFile, sagemaker.Violations{Violations: r.Violations}},
		{DriftFile, r.Drift},
	}
	if r.Quality != nil {
		qs, err := quality.Statistics(r.Quality.Problem, r.Quality.Metrics, r.Quality.Items)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dir, QualityDir), 0o755); err != nil {
			return err
		}
		files = append(files, struct {
			name string
			v    any
		}{filepath.Join(QualityDir, sagemaker.StatisticsFile), qs})
	}
	for _, f := range files {
		r.Outputs = append(r.Outputs, filepath.Join(dir, f.name))
	}
	r.Outputs = append(r.Outputs, filepath.Join(dir, ReportFile), filepath.Join(dir, HTMLFile))
	for _, f := range files {
		if err := sagemaker.WriteJSON(filepath.Join(dir, f.name), f.v); err != nil {
			return err
		}
	}
	if err := sagemaker.WriteJSON(filepath.Join(dir, ReportFile), r); err != nil {
		return err
	}
	html, err := report.HTML(r)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, HTMLFile), html)
}

func writeFile(path string, data []byte) error { return atomicfile.WriteFile(path, data, 0o644) }

// unnamedColumnsHint explains the commonest cause of missing and extra columns: headerless data or capture
// payloads (columns _c0, _c1, ...) checked against a baseline with named features.
func unnamedColumnsHint(b *loadedBaseline, columns []string) string {
	var names []string
	if b.cons != nil {
		for _, f := range b.cons.Features {
			names = append(names, f.Name)
		}
	} else if b.stats != nil {
		for _, f := range b.stats.Features {
			names = append(names, f.Name)
		}
	}
	unnamed := 0
	for _, c := range columns {
		if strings.HasPrefix(c, "_c") {
			unnamed++
		}
	}
	if unnamed == 0 || len(names) == 0 || slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "_c") }) {
		return ""
	}
	return fmt.Sprintf("the data has %d unnamed columns (_c0, _c1, ...) and the baseline names its features; if they are in the same order, pass --columns %s",
		unnamed, strings.Join(names, ","))
}
