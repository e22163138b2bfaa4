package drift

import (
	"fmt"
	"math"

	"github.com/walens/walens/internal/monitor/sketch"
)

// Test names, as they appear in drift reports.
const (
	TestSageMaker     = "sagemaker_distance"
	TestKS            = "ks"
	TestWasserstein   = "wasserstein"
	TestPSI           = "psi"
	TestChiSquared    = "chi_squared"
	TestJensenShannon = "jensen_shannon"
)

// Tests lists the test names a user may force.
var Tests = []string{TestSageMaker, TestKS, TestWasserstein, TestPSI, TestChiSquared, TestJensenShannon}

// Config holds the thresholds and the rule that picks a feature's deciding test. DefaultConfig documents the
// defaults.
type Config struct {
	// SmallSample: at or below this many baseline values, p-value tests decide (Kolmogorov-Smirnov for numbers,
	// chi-squared for categories); above it, distances do (normalised Wasserstein, Jensen-Shannon), because
	// p-values flag even negligible shifts on large samples.
	SmallSample float64 `json:"small_sample" yaml:"small_sample"`
	// PValue is the significance level of the p-value tests: drift when p < PValue.
	PValue float64 `json:"p_value" yaml:"p_value"`
	// Wasserstein is the threshold on the Wasserstein distance divided by the baseline's standard deviation.
	Wasserstein float64 `json:"wasserstein" yaml:"wasserstein"`
	// JensenShannon is the threshold on the Jensen-Shannon distance.
	JensenShannon float64 `json:"jensen_shannon" yaml:"jensen_shannon"`
	// PSI is the threshold on the population stability index (0.1-0.25 is usually read as a moderate shift, above
	// 0.25 as a significant one).
	PSI float64 `json:"psi" yaml:"psi"`
	// PSIBins is the number of baseline-quantile bins for numeric PSI.
	PSIBins int `json:"psi_bins" yaml:"psi_bins"`
	// CategoricalMaxDistinct: a numeric feature with at most this many distinct baseline values is compared as
	// categories (a 0/1 flag, a rating).
	CategoricalMaxDistinct int `json:"categorical_max_distinct" yaml:"categorical_max_distinct"`
	// DatasetShare: the dataset drifts when at least this share of the compared features drift.
	DatasetShare float64 `json:"dataset_share" yaml:"dataset_share"`
	// Force names one test to decide every feature it applies to, instead of the automatic choice.
	Force string `json:"force,omitempty" yaml:"force,omitempty"`
}

// DefaultConfig returns the defaults, chosen to match what users of Evidently and SageMaker expect.
func DefaultConfig() Config {
	return Config{
		SmallSample:            1000,
		PValue:                 0.05,
		Wasserstein:            0.1,
		JensenShannon:          0.1,
		PSI:                    0.25,
		PSIBins:                10,
		CategoricalMaxDistinct: 5,
		DatasetShare:           0.5,
	}
}

// SageMaker is the baseline drift check's configuration from constraints.json.
type SageMaker struct {
	Threshold float64
	Robust    bool
	// ChiSquared selects SageMaker's chi-squared categorical method: drift when its p-value is below Threshold.
	ChiSquared bool
	Enabled    bool
}

// Test is one statistic with its threshold and verdict.
type Test struct {
	Name      string   `json:"name"`
	Statistic float64  `json:"statistic"`
	PValue    *float64 `json:"p_value,omitempty"`
	Threshold float64  `json:"threshold"`
	// Rule says how the threshold applies: "p_value < threshold" or "statistic > threshold".
	Rule    string `json:"rule"`
	Drifted bool   `json:"drifted"`
	Note    string `json:"note,omitempty"`
}

// Result is the drift verdict for one feature.
type Result struct {
	Feature       string  `json:"feature"`
	Kind          string  `json:"kind"` // numerical or categorical
	BaselineCount float64 `json:"baseline_count"`
	CurrentCount  float64 `json:"current_count"`
	Tests         []Test  `json:"tests"`
	Method        string  `json:"method"` // the test that decides Drifted
	Drifted       bool    `json:"drifted"`
}

// Get returns the named test.
func (r *Result) Get(name string) (Test, bool) {
	for _, t := range r.Tests {
		if t.Name == name {
			return t, true
		}
	}
	return Test{}, false
}

func pTest(name string, stat, p, alpha float64) Test {
	return Test{Name: name, Statistic: stat, PValue: &p, Threshold: alpha, Rule: "p_value < threshold", Drifted: p < alpha}
}

func distTest(name string, stat, threshold float64) Test {
	return Test{Name: name, Statistic: stat, Threshold: threshold, Rule: "statistic > threshold", Drifted: stat > threshold}
}

// Numerical compares two numeric distributions. baseStd is the baseline's standard deviation, which normalises
// the Wasserstein distance.
func Numerical(feature string, base, cur sketch.CDF, baseStd float64, cfg Config, sm SageMaker) Result {
	n, m := base.Total, cur.Total
	r := Result{Feature: feature, Kind: "numerical", BaselineCount: n, CurrentCount: m}
	d := LInf(base, cur)
	r.Tests = append(r.Tests, SageMakerTest(d, n, m, sm, "Numerical"))
	r.Tests = append(r.Tests, pTest(TestKS, d, KSPValue(d, n, m), cfg.PValue))
	w := Wasserstein(base, cur)
	wt := distTest(TestWasserstein, 0, cfg.Wasserstein)
	if baseStd > 0 {
		wt.Statistic = w / baseStd
		wt.Drifted = wt.Statistic > cfg.Wasserstein
		wt.Note = fmt.Sprintf("distance %.6g divided by the baseline standard deviation %.6g", w, baseStd)
	} else {
		wt.Statistic = w
		wt.Drifted = w > 0
		wt.Note = "the baseline is constant: any distance is drift"
	}
	r.Tests = append(r.Tests, wt)
	r.Tests = append(r.Tests, distTest(TestPSI, NumericPSI(base, cur, max(2, cfg.PSIBins)), cfg.PSI))
	r.Method = TestWasserstein
	if n <= cfg.SmallSample || baseStd == 0 {
		r.Method = TestKS
	}
	return decide(r, cfg)
}

// Categorical compares two categorical distributions.
func Categorical(feature string, base, cur Counts, cfg Config, sm SageMaker) Result {
	n, m := base.total(), cur.total()
	r := Result{Feature: feature, Kind: "categorical", BaselineCount: n, CurrentCount: m}
	stat, dof, p := ChiSquared(base, cur)
	d := CategoricalLInf(base, cur)
	if sm.ChiSquared {
		t := Test{Name: TestSageMaker, Statistic: stat, PValue: &p, Threshold: sm.Threshold, Rule: "p_value < threshold",
			Drifted: sm.Enabled && p < sm.Threshold, Note: "SageMaker ChiSquared method"}
		r.Tests = append(r.Tests, t)
	} else {
		r.Tests = append(r.Tests, SageMakerTest(d, n, m, sm, "Categorical"))
	}
	ct := pTest(TestChiSquared, stat, p, cfg.PValue)
	ct.Note = fmt.Sprintf("%d degrees of freedom", dof)
	r.Tests = append(r.Tests, ct)
	r.Tests = append(r.Tests, distTest(TestJensenShannon, JensenShannon(base, cur), cfg.JensenShannon))
	r.Tests = append(r.Tests, distTest(TestPSI, CategoricalPSI(base, cur), cfg.PSI))
	r.Method = TestJensenShannon
	if n <= cfg.SmallSample {
		r.Method = TestChiSquared
	}
	return decide(r, cfg)
}

// SageMakerTest judges an L-infinity distance d between samples of n and m items as the SageMaker check does.
func SageMakerTest(d, n, m float64, sm SageMaker, kind string) Test {
	t := distTest(TestSageMaker, d, sm.Threshold)
	if sm.Robust {
		t.Statistic = Robust(d, n, m)
		t.Note = fmt.Sprintf("%s L-infinity distance %.6g less the sampling allowance 1.8*sqrt((n+m)/(n*m)) (Robust)", kind, d)
	} else {
		t.Note = kind + " L-infinity distance (Simple)"
	}
	t.Drifted = sm.Enabled && t.Statistic > sm.Threshold
	return t
}

func decide(r Result, cfg Config) Result {
	if cfg.Force != "" {
		if _, ok := r.Get(cfg.Force); ok {
			r.Method = cfg.Force
		}
	}
	t, _ := r.Get(r.Method)
	r.Drifted = t.Drifted
	if math.IsNaN(t.Statistic) {
		r.Drifted = false
	}
	return r
}

// Share returns the share of results that drifted and whether that reaches the dataset threshold.
func Share(results []Result, cfg Config) (float64, bool) {
	if len(results) == 0 {
		return 0, false
	}
	n := 0
	for _, r := range results {
		if r.Drifted {
			n++
		}
	}
	share := float64(n) / float64(len(results))
	return share, share >= cfg.DatasetShare
}
