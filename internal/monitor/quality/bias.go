package quality

import (
	"fmt"
	"math"
	"slices"

	"github.com/walens/walens/internal/monitor/sagemaker"
)

// BiasOptions declare the facet and the thresholds of the post-training bias metrics. The facet's sensitive
// group (d in SageMaker Clarify's terms) is the rows whose facet value is one of Values; everyone else is a.
type BiasOptions struct {
	Facet  string   `json:"facet" yaml:"facet"`
	Values []string `json:"values" yaml:"values"`
	// MaxDPPL is the largest acceptable |difference in positive proportions in predicted labels| (default 0.1).
	MaxDPPL float64 `json:"max_dppl,omitempty" yaml:"max_dppl,omitempty"`
	// MinDI and MaxDI bound the disparate impact (defaults 0.8 and 1.25, the four-fifths rule both ways).
	MinDI float64 `json:"min_di,omitempty" yaml:"min_di,omitempty"`
	MaxDI float64 `json:"max_di,omitempty" yaml:"max_di,omitempty"`
	// MaxAD is the largest acceptable |accuracy difference| (default 0.1).
	MaxAD float64 `json:"max_ad,omitempty" yaml:"max_ad,omitempty"`
	// MinGroup is the fewest rows each group needs before metrics are judged (default 30).
	MinGroup int `json:"min_group,omitempty" yaml:"min_group,omitempty"`
}

// WithDefaults fills unset thresholds.
func (b BiasOptions) WithDefaults() BiasOptions {
	if b.MaxDPPL == 0 {
		b.MaxDPPL = 0.1
	}
	if b.MinDI == 0 {
		b.MinDI = 0.8
	}
	if b.MaxDI == 0 {
		b.MaxDI = 1.25
	}
	if b.MaxAD == 0 {
		b.MaxAD = 0.1
	}
	if b.MinGroup == 0 {
		b.MinGroup = 30
	}
	return b
}

// BiasMetric is one metric with its bounds and verdict.
type BiasMetric struct {
	Name     string  `json:"name"`
	Value    float64 `json:"value"`
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Violated bool    `json:"violated"`
}

// BiasResult holds the bias metrics for a facet.
type BiasResult struct {
	Facet   string       `json:"facet"`
	Values  []string     `json:"values"`
	RowsA   int          `json:"rows_a"`
	RowsD   int          `json:"rows_d"`
	Metrics []BiasMetric `json:"metrics"`
	Judged  bool         `json:"judged"`
	Note    string       `json:"note,omitempty"`
}

// Bias computes DPPL (q_a - q_d), DI (q_d / q_a) and AD (accuracy_a - accuracy_d), where q is the share of
// predicted positives, for binary classification pairs.
func Bias(pairs []Pair, o Options, b BiasOptions) BiasResult {
	b = b.WithDefaults()
	r := BiasResult{Facet: b.Facet, Values: b.Values}
	var posA, posD, okA, okD float64
	for _, p := range pairs {
		actual, pred, _, _ := BinaryOutcome(p, o)
		inD := slices.ContainsFunc(b.Values, func(v string) bool { return labelIs(p.Facet, v) })
		if inD {
			r.RowsD++
			posD += b2f(pred)
			okD += b2f(pred == actual)
		} else {
			r.RowsA++
			posA += b2f(pred)
			okA += b2f(pred == actual)
		}
	}
	if r.RowsA == 0 || r.RowsD == 0 {
		r.Note = fmt.Sprintf("facet %s: %d rows in the sensitive group and %d in the rest; both are needed", b.Facet, r.RowsD, r.RowsA)
		return r
	}
	qa, qd := posA/float64(r.RowsA), posD/float64(r.RowsD)
	di := math.NaN()
	if qa > 0 {
		di = qd / qa
	}
	r.Metrics = []BiasMetric{
		{Name: "DPPL", Value: qa - qd, Min: -b.MaxDPPL, Max: b.MaxDPPL},
		{Name: "DI", Value: di, Min: b.MinDI, Max: b.MaxDI},
		{Name: "AD", Value: okA/float64(r.RowsA) - okD/float64(r.RowsD), Min: -b.MaxAD, Max: b.MaxAD},
	}
	r.Judged = r.RowsA >= b.MinGroup && r.RowsD >= b.MinGroup
	if !r.Judged {
		r.Note = fmt.Sprintf("fewer than %d rows in a group (%d and %d): metrics reported, not judged", b.MinGroup, r.RowsD, r.RowsA)
	}
	for i := range r.Metrics {
		m := &r.Metrics[i]
		m.Violated = r.Judged && !math.IsNaN(m.Value) && (m.Value < m.Min || m.Value > m.Max)
	}
	return r
}

// Violations turns violated bias metrics into violations.
func (r BiasResult) Violations() []sagemaker.Violation {
	var out []sagemaker.Violation
	for _, m := range r.Metrics {
		if m.Violated {
			out = append(out, sagemaker.Violation{
				FeatureName:         r.Facet,
				MetricName:          m.Name,
				ConstraintCheckType: sagemaker.BiasCheck,
				Description:         fmt.Sprintf("Bias metric %s for facet %s = %v is %.4g, outside [%.4g, %.4g]", m.Name, r.Facet, r.Values, m.Value, m.Min, m.Max),
			})
		}
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
