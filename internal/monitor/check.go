package monitor

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/walens/walens/internal/monitor/drift"
	"github.com/walens/walens/internal/monitor/profile"
	"github.com/walens/walens/internal/monitor/report"
	"github.com/walens/walens/internal/monitor/sagemaker"
	"github.com/walens/walens/internal/monitor/sketch"
)

// thresholds is a feature's monitoring configuration after the per-feature overrides and the defaults.
type thresholds struct {
	evaluate         bool
	datatype         float64
	domain           float64
	compare          bool
	numeric          float64
	robust           bool
	categorical      float64
	categoricalChiSq bool
}

func effective(global *sagemaker.MonitoringConfig, f *sagemaker.FeatureConstraints) thresholds {
	t := thresholds{evaluate: true, datatype: 1, domain: 1, compare: true, numeric: 0.1, robust: true, categorical: 0.1}
	apply := func(m *sagemaker.MonitoringConfig) {
		if m == nil {
			return
		}
		if m.EvaluateConstraints != "" {
			t.evaluate = m.EvaluateConstraints == "Enabled"
		}
		t.datatype = sagemaker.Float(m.DatatypeCheckThreshold, t.datatype)
		t.domain = sagemaker.Float(m.DomainContentThreshold, t.domain)
		if d := m.Distribution; d != nil {
			if d.PerformComparison != "" {
				t.compare = d.PerformComparison == "Enabled"
			}
			if d.EnableComparisons != nil {
				t.compare = *d.EnableComparisons
			}
			t.numeric = sagemaker.Float(d.ComparisonThreshold, t.numeric)
			t.categorical = sagemaker.Float(d.CategoricalComparisonThreshold, t.categorical)
			if d.ComparisonMethod != "" {
				t.robust = d.ComparisonMethod == "Robust"
			}
			if d.CategoricalDriftMethod != "" {
				t.categoricalChiSq = d.CategoricalDriftMethod == "ChiSquared"
			}
		}
	}
	apply(global)
	if f != nil {
		apply(f.Overrides)
		if f.StringConstraints != nil {
			apply(f.StringConstraints.Overrides)
		}
	}
	return t
}

func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }

// checkFeatures runs the data-quality checks of every baseline feature and the drift tests, in baseline order,
// then the extra-column check.
func checkFeatures(base *sagemaker.Statistics, cons *sagemaker.Constraints, cur *profile.Profile, cfg drift.Config, ignore []string) ([]sagemaker.Violation, []drift.Result, map[string]report.Plot, []string) {
	var violations []sagemaker.Violation
	var results []drift.Result
	var notes []string
	plots := map[string]report.Plot{}
	add := func(feature, check, format string, args ...any) {
		violations = append(violations, sagemaker.Violation{FeatureName: feature, ConstraintCheckType: check, Description: fmt.Sprintf(format, args...)})
	}
	stats := map[string]*sagemaker.FeatureStats{}
	var names []string
	if base != nil {
		for i := range base.Features {
			stats[base.Features[i].Name] = &base.Features[i]
			names = append(names, base.Features[i].Name)
		}
	}
	consByName := map[string]*sagemaker.FeatureConstraints{}
	var global *sagemaker.MonitoringConfig
	if cons != nil {
		global = cons.MonitoringConfig
		names = nil
		for i := range cons.Features {
			consByName[cons.Features[i].Name] = &cons.Features[i]
			names = append(names, cons.Features[i].Name)
		}
		// Features with statistics but no constraints are still compared for drift.
		if base != nil {
			for _, f := range base.Features {
				if consByName[f.Name] == nil {
					names = append(names, f.Name)
				}
			}
		}
	}
	for _, name := range names {
		fc := consByName[name]
		t := effective(global, fc)
		col, ok := cur.Column(name)
		if !ok {
			if t.evaluate {
				add(name, sagemaker.MissingColumnCheck, "Missing columns requirement is not met: the baseline has feature %s and the current data has no such column.", name)
			}
			continue
		}
		typ := ""
		if fc != nil {
			typ = fc.InferredType
		} else if fs := stats[name]; fs != nil {
			typ = fs.InferredType
		}
		if t.evaluate && fc != nil {
			checkConstraints(add, name, fc, t, col)
		}
		fs := stats[name]
		if fs == nil {
			continue
		}
		if r, plot, note := compare(name, typ, fs, col, cfg, t); r != nil {
			results = append(results, *r)
			plots[name] = plot
			if sm, _ := r.Get(drift.TestSageMaker); sm.Drifted && t.evaluate && t.compare {
				kind := "Numerical"
				if r.Kind == "categorical" && typ == sagemaker.String {
					kind = "Categorical"
				}
				if sm.PValue != nil {
					add(name, sagemaker.BaselineDriftCheck, "%s chi-squared p-value: %.6g is below threshold: %.6g", kind, *sm.PValue, sm.Threshold)
				} else {
					add(name, sagemaker.BaselineDriftCheck, "%s distance: %.6g exceeds %s threshold: %.6g", kind, sm.Statistic, lower(kind), sm.Threshold)
				}
			}
		} else if note != "" {
			notes = append(notes, fmt.Sprintf("column %s: %s", name, note))
		}
	}
	for _, name := range cur.Columns() {
		if slices.Contains(names, name) || slices.Contains(ignore, name) {
			continue
		}
		if global == nil || global.EvaluateConstraints != "Disabled" {
			add(name, sagemaker.ExtraColumnCheck, "Extra columns requirement is not met: the current data has column %s, which the baseline does not have.", name)
		}
	}
	return violations, results, plots, notes
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

func checkConstraints(add func(feature, check, format string, args ...any), name string, fc *sagemaker.FeatureConstraints, t thresholds, col *profile.Column) {
	present := float64(col.Present())
	if present > 0 {
		var match float64
		switch fc.InferredType {
		case sagemaker.Integral:
			match = float64(col.Integral()) / present
		case sagemaker.Fractional:
			match = float64(col.Integral()+col.Fractional()) / present
		case sagemaker.String:
			// As in Deequ, a number is not a string: a String feature whose values all look numeric has changed type.
			match = float64(col.Text()) / present
		default:
			match = 1
		}
		if match < t.datatype {
			add(name, sagemaker.DataTypeCheck, "Data type match requirement is not met. Expected data type: %s, Expected match: %s. Observed: Only %s of data is %s.",
				fc.InferredType, pct(t.datatype), pct(match), fc.InferredType)
		}
	}
	if fc.Completeness != nil {
		if want, got := float64(*fc.Completeness), col.Completeness(); got < want {
			add(name, sagemaker.CompletenessCheck, "Data completeness requirement is not met. Expected completeness: %s. Observed: Only %s of data is complete.", pct(want), pct(got))
		}
	}
	if nc := fc.NumConstraints; nc != nil && nc.IsNonNegative != nil && *nc.IsNonNegative && col.Negative() > 0 {
		// The service has no check type of its own for this; it is reported with the type checks.
		_, _, _, _, lo, _ := col.Numbers()
		add(name, sagemaker.DataTypeCheck, "Non-negativity requirement is not met: %d values are negative (smallest %.6g).", col.Negative(), lo)
	}
	if sc := fc.StringConstraints; sc != nil && len(sc.Domains) > 0 && present > 0 {
		cats, _ := col.Categories()
		var inDomain float64
		var outside []string
		for _, c := range cats {
			if slices.Contains(sc.Domains, c.Value) {
				inDomain += float64(c.Count)
			} else if len(outside) < 3 {
				outside = append(outside, strconv.Quote(c.Value))
			}
		}
		if share := inDomain / present; share < t.domain {
			add(name, sagemaker.CategoricalValuesCheck, "Data content requirement is not met. Expected: %s of values in the baseline domain. Observed: %s (values outside it include %v).",
				pct(t.domain), pct(share), outside)
		}
	}
}

// compare runs the drift tests for one feature.
func compare(name, typ string, fs *sagemaker.FeatureStats, col *profile.Column, cfg drift.Config, t thresholds) (*drift.Result, report.Plot, string) {
	sm := drift.SageMaker{Threshold: t.numeric, Robust: t.robust, Enabled: t.compare}
	switch {
	case fs.Numerical != nil:
		kll := fs.Numerical.Distribution.KLL
		if kll == nil || len(kll.Sketch.Data) == 0 {
			return nil, report.Plot{}, "the baseline has no sketch to compare with"
		}
		if col.Integral()+col.Fractional() == 0 {
			return nil, report.Plot{}, "no numbers in the current data to compare"
		}
		base, err := baselineSketch(kll)
		if err != nil {
			return nil, report.Plot{}, "the baseline sketch is unusable: " + err.Error()
		}
		bc, cc := base.CDF(), col.Sketch().CDF()
		std := float64(fs.Numerical.StdDev)
		if len(bc.Values) <= cfg.CategoricalMaxDistinct {
			// A handful of values: compare them as categories, but keep SageMaker's numerical distance.
			format := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
			bcnt, ccnt := drift.CountsFromCDF(bc, format), drift.CountsFromCDF(cc, format)
			r := drift.Categorical(name, bcnt, ccnt, cfg, sm)
			for i := range r.Tests {
				if r.Tests[i].Name == drift.TestSageMaker {
					r.Tests[i] = drift.SageMakerTest(drift.LInf(bc, cc), bc.Total, cc.Total, sm, "Numerical")
				}
			}
			return &r, categoryPlot(bcnt, ccnt), ""
		}
		r := drift.Numerical(name, bc, cc, std, cfg, sm)
		return &r, numericPlot(bc, cc, float64(fs.Numerical.Min), float64(fs.Numerical.Max)), ""
	case fs.String != nil:
		cat := fs.String.Distribution.Categorical
		if cat == nil {
			return nil, report.Plot{}, "the baseline has no category counts to compare with"
		}
		bcnt := drift.Counts{}
		var listed float64
		for _, b := range cat.Buckets {
			bcnt[b.Value] += float64(b.Count)
			listed += float64(b.Count)
		}
		if rest := float64(fs.String.Common.NumPresent) - listed; rest > 0.5 {
			bcnt[otherCategory] += rest
		}
		ccnt := drift.Counts{}
		cats, _ := col.Categories()
		var counted float64
		for _, c := range cats {
			ccnt[c.Value] += float64(c.Count)
			counted += float64(c.Count)
		}
		if rest := float64(col.Present()) - counted; rest > 0.5 {
			ccnt[otherCategory] += rest
		}
		if len(ccnt) == 0 {
			return nil, report.Plot{}, "no values in the current data to compare"
		}
		sm.Threshold = t.categorical
		sm.ChiSquared = t.categoricalChiSq
		r := drift.Categorical(name, bcnt, ccnt, cfg, sm)
		return &r, categoryPlot(bcnt, ccnt), ""
	}
	return nil, report.Plot{}, "the baseline has no statistics for it"
}

// otherCategory stands for the values a category list leaves out.
const otherCategory = "(other values)"

func baselineSketch(k *sagemaker.KLLDistribution) (*sketch.KLL, error) {
	return sketch.FromLevels(int(k.Sketch.Parameters.K), float64(k.Sketch.Parameters.C), k.Sketch.Data)
}

// numericPlot bins both distributions into 20 equal-width bins over the union of their ranges.
func numericPlot(b, c sketch.CDF, lo, hi float64) report.Plot {
	if len(c.Values) > 0 {
		lo = math.Min(lo, c.Values[0])
		hi = math.Max(hi, c.Values[len(c.Values)-1])
	}
	const bins = 20
	var p report.Plot
	width := (hi - lo) / bins
	if !(width > 0) {
		return report.Plot{Labels: []string{strconv.FormatFloat(lo, 'g', 4, 64)}, Baseline: []float64{1}, Current: []float64{1}}
	}
	pb, pc := 0.0, 0.0
	for i := range bins {
		edge := lo + float64(i+1)*width
		fb, fc := b.At(edge), c.At(edge)
		if i == bins-1 {
			fb, fc = 1, 1
		}
		p.Labels = append(p.Labels, strconv.FormatFloat(lo+float64(i)*width, 'g', 4, 64))
		p.Baseline = append(p.Baseline, fb-pb)
		p.Current = append(p.Current, fc-pc)
		pb, pc = fb, fc
	}
	return p
}

// categoryPlot shows the 15 most frequent categories of either distribution.
func categoryPlot(b, c drift.Counts) report.Plot {
	cats, pb, pc := drift.Proportions(b, c)
	idx := make([]int, len(cats))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		mx, my := math.Max(pb[x], pc[x]), math.Max(pb[y], pc[y])
		switch {
		case mx > my:
			return -1
		case mx < my:
			return 1
		}
		return 0
	})
	var p report.Plot
	for k, i := range idx {
		if k == 15 {
			break
		}
		p.Labels = append(p.Labels, cats[i])
		p.Baseline = append(p.Baseline, pb[i])
		p.Current = append(p.Current, pc[i])
	}
	return p
}
