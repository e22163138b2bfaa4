package profile

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/walens/walens/internal/monitor/sagemaker"
	"github.com/walens/walens/internal/monitor/sketch"
)

// Column is the read-only summary of one profiled column.
type Column struct {
	Name string
	c    *column
	rows int64
}

// Counts by kind of value.
func (c *Column) Integral() int64   { return c.c.integral }
func (c *Column) Fractional() int64 { return c.c.fractional }
func (c *Column) Text() int64       { return c.c.text }
func (c *Column) NonFinite() int64  { return c.c.nonFinite }
func (c *Column) Negative() int64   { return c.c.negative }
func (c *Column) Present() int64    { return c.c.present() }
func (c *Column) Missing() int64    { return c.rows - c.c.present() }

// Completeness is the share of rows with a usable value.
func (c *Column) Completeness() float64 {
	if c.rows == 0 {
		return 0
	}
	return float64(c.c.present()) / float64(c.rows)
}

// Type is the inferred type by Deequ's rule: any text makes a String, else any fraction a Fractional, else any
// number an Integral; a column with no values is Unknown.
func (c *Column) Type() string {
	switch {
	case c.c.text > 0 || c.c.forceStrings && c.c.present() > 0:
		return sagemaker.String
	case c.c.fractional > 0:
		return sagemaker.Fractional
	case c.c.integral > 0:
		return sagemaker.Integral
	}
	return sagemaker.Unknown
}

// Sketch returns the column's quantile sketch over its numbers.
func (c *Column) Sketch() *sketch.KLL { return c.c.kll }

// Numbers returns the count, mean, population standard deviation, sum, min and max of the column's numbers.
func (c *Column) Numbers() (n int64, mean, std, sum, lo, hi float64) {
	col := c.c
	if col.n == 0 {
		return 0, math.NaN(), math.NaN(), 0, math.NaN(), math.NaN()
	}
	return col.n, col.mean, math.Sqrt(col.m2 / float64(col.n)), col.sum, col.minV, col.maxV
}

// Category is a value and its count.
type Category struct {
	Value string
	Count int64
}

// Categories returns category counts, most frequent first, and whether they are exact (false when the column had
// more distinct values than walens counts, or numbers stopped being counted).
func (c *Column) Categories() ([]Category, bool) {
	out := make([]Category, 0, len(c.c.cats))
	for v, n := range c.c.cats {
		out = append(out, Category{v, n})
	}
	slices.SortFunc(out, func(a, b Category) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return cmp.Compare(a.Value, b.Value)
	})
	exact := !c.c.overflow && (c.c.numbersKept || c.c.integral+c.c.fractional == 0)
	return out, exact
}

// Distinct returns the number of distinct values: exact when the categories are, else a HyperLogLog estimate.
func (c *Column) Distinct() int64 {
	if cats, exact := c.Categories(); exact {
		return int64(len(cats))
	}
	return int64(math.Round(c.c.hll.Estimate()))
}

// Notes are things a person should know about the column: mixed types, non-finite values, counts that are
// approximate.
func (c *Column) Notes() []string {
	var notes []string
	col := c.c
	if col.text > 0 && col.integral+col.fractional > 0 {
		notes = append(notes, fmt.Sprintf("mixes %d numbers and %d text values (first text at %s:%d: %q), so it is a String feature; if such values mean \"missing\", pass them with --na-values",
			col.integral+col.fractional, col.text, col.firstText.File, col.firstText.Line, col.firstText.Value))
	}
	if col.nonFinite > 0 {
		notes = append(notes, fmt.Sprintf("%d NaN or infinite values counted as missing (first at %s:%d: %q)",
			col.nonFinite, col.firstNonFinite.File, col.firstNonFinite.Line, col.firstNonFinite.Value))
	}
	if c.Type() == sagemaker.String {
		if _, exact := c.Categories(); !exact {
			notes = append(notes, fmt.Sprintf("more distinct values than walens counts exactly: the distinct count is an estimate and categories cover the %d most frequent ones found", len(col.cats)))
		}
	}
	return notes
}

// Notes collects the notes of every column, prefixed with its name.
func (p *Profile) Notes() []string {
	var out []string
	for _, name := range p.Columns() {
		c, _ := p.Column(name)
		for _, n := range c.Notes() {
			out = append(out, fmt.Sprintf("column %s: %s", name, n))
		}
	}
	return out
}

// NumBuckets is the number of equal-width buckets SageMaker writes for a numeric feature.
const NumBuckets = 10

// Buckets returns NumBuckets equal-width buckets between min and max, with counts taken from the sketch (exact
// while the sketch has not compacted).
func Buckets(s *sketch.KLL, lo, hi float64) []sagemaker.Bucket {
	out := make([]sagemaker.Bucket, NumBuckets)
	width := (hi - lo) / NumBuckets
	for i := range out {
		out[i].LowerBound = sagemaker.Number(lo + float64(i)*width)
		out[i].UpperBound = sagemaker.Number(lo + float64(i+1)*width)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return nil
	}
	out[NumBuckets-1].UpperBound = sagemaker.Number(hi)
	for h, level := range s.Levels() {
		w := math.Ldexp(1, h)
		for _, x := range level {
			i := NumBuckets - 1
			if width > 0 {
				i = min(NumBuckets-1, max(0, int((x-lo)/width)))
			} else {
				i = 0
			}
			out[i].Count += sagemaker.Number(w)
		}
	}
	return out
}

// Statistics renders the profile as statistics.json.
func (p *Profile) Statistics(maxBuckets int) *sagemaker.Statistics {
	st := &sagemaker.Statistics{Dataset: sagemaker.Dataset{ItemCount: sagemaker.Number(p.Rows)}}
	for _, name := range p.Columns() {
		c, _ := p.Column(name)
		st.Features = append(st.Features, c.Feature(maxBuckets))
	}
	return st
}

// Feature renders one column as a statistics.json feature.
func (c *Column) Feature(maxBuckets int) sagemaker.FeatureStats {
	f := sagemaker.FeatureStats{Name: c.Name, InferredType: c.Type()}
	common := sagemaker.Common{NumPresent: sagemaker.Number(c.Present()), NumMissing: sagemaker.Number(c.Missing())}
	switch f.InferredType {
	case sagemaker.Integral, sagemaker.Fractional:
		_, mean, std, sum, lo, hi := c.Numbers()
		s := c.Sketch()
		levels := make([][]float64, len(s.Levels()))
		for i, l := range s.Levels() {
			levels[i] = slices.Clone(l)
		}
		f.Numerical = &sagemaker.NumericalStats{
			Common: common, Mean: sagemaker.Number(mean), Sum: sagemaker.Number(sum), StdDev: sagemaker.Number(std),
			Min: sagemaker.Number(lo), Max: sagemaker.Number(hi),
			Distribution: sagemaker.NumericalDistribution{KLL: &sagemaker.KLLDistribution{
				Buckets: Buckets(s, lo, hi),
				Sketch: sagemaker.KLLSketch{
					Parameters: sagemaker.KLLParameters{C: sagemaker.Number(s.C()), K: sagemaker.Number(s.K())},
					Data:       levels,
				},
			}},
		}
	default:
		cats, _ := c.Categories()
		if maxBuckets > 0 && len(cats) > maxBuckets {
			cats = cats[:maxBuckets]
		}
		buckets := make([]sagemaker.CategoryBucket, len(cats))
		for i, k := range cats {
			buckets[i] = sagemaker.CategoryBucket{Value: k.Value, Count: sagemaker.Number(k.Count)}
		}
		f.String = &sagemaker.StringStatistics{
			Common:        common,
			DistinctCount: sagemaker.Number(c.Distinct()),
			Distribution:  sagemaker.CategoricalWrapping{Categorical: &sagemaker.Categorical{Buckets: buckets}},
		}
	}
	return f
}

// SuggestOptions tune constraint suggestion.
type SuggestOptions struct {
	// MaxDomain is the most distinct values a String feature may have to get a domain constraint.
	MaxDomain int
}

// Suggest proposes constraints from the profile, as the SageMaker baselining job does: observed completeness,
// non-negativity where no negative number was seen, domains for low-cardinality strings, and the container's
// default monitoring configuration.
func (p *Profile) Suggest(o SuggestOptions) *sagemaker.Constraints {
	if o.MaxDomain <= 0 {
		o.MaxDomain = 100
	}
	cs := &sagemaker.Constraints{MonitoringConfig: DefaultMonitoringConfig()}
	for _, name := range p.Columns() {
		c, _ := p.Column(name)
		fc := sagemaker.FeatureConstraints{Name: name, InferredType: c.Type(), Completeness: sagemaker.Ptr(c.Completeness())}
		switch fc.InferredType {
		case sagemaker.Integral, sagemaker.Fractional:
			_, _, _, _, lo, _ := c.Numbers()
			nonNeg := lo >= 0
			fc.NumConstraints = &sagemaker.NumConstraints{IsNonNegative: &nonNeg}
		case sagemaker.String:
			if d := domain(c, o.MaxDomain); d != nil {
				fc.StringConstraints = &sagemaker.StringConstraints{Domains: d}
			}
		}
		cs.Features = append(cs.Features, fc)
	}
	return cs
}

// domain returns the observed values of a String column that looks categorical: counted exactly, at most
// maxDomain distinct values, and no more than a tenth of them seen only once (a column of free text or IDs is
// mostly values seen once).
func domain(c *Column, maxDomain int) []string {
	cats, exact := c.Categories()
	if !exact || len(cats) == 0 || len(cats) > maxDomain {
		return nil
	}
	once := 0
	for _, k := range cats {
		if k.Count == 1 {
			once++
		}
	}
	if len(cats) > 1 && float64(once) > 0.1*float64(len(cats)) {
		return nil
	}
	out := make([]string, len(cats))
	for i, k := range cats {
		out[i] = k.Value
	}
	slices.Sort(out)
	return out
}

// DefaultMonitoringConfig is the configuration the SageMaker container writes into generated constraints.
func DefaultMonitoringConfig() *sagemaker.MonitoringConfig {
	return &sagemaker.MonitoringConfig{
		EvaluateConstraints:    "Enabled",
		EmitMetrics:            "Enabled",
		DatatypeCheckThreshold: sagemaker.Ptr(1.0),
		DomainContentThreshold: sagemaker.Ptr(1.0),
		Distribution: &sagemaker.DistributionConstraints{
			PerformComparison:              "Enabled",
			ComparisonThreshold:            sagemaker.Ptr(0.1),
			ComparisonMethod:               "Robust",
			CategoricalComparisonThreshold: sagemaker.Ptr(0.1),
			CategoricalDriftMethod:         "LInfinity",
		},
	}
}
