// Package quality computes model-quality metrics (classification and regression) and post-training bias metrics
// from labelled predictions, and checks them against thresholds in the SageMaker model-quality constraints format.
package quality

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/walens/walens/internal/monitor/sagemaker"
)

// Problem types, as SageMaker names them.
const (
	Binary     = "BinaryClassification"
	Multiclass = "MulticlassClassification"
	Regression = "Regression"
)

// ProblemTypes lists them for flag checks.
var ProblemTypes = []string{Binary, Multiclass, Regression}

// Pair is one labelled prediction. Facet is the value of the bias facet column, if one is declared.
type Pair struct {
	Label, Prediction, Facet string
}

// Options say how to read labels and predictions.
type Options struct {
	Problem string
	// PositiveLabel is the positive class of binary classification (default "1").
	PositiveLabel string
	// Threshold turns a binary score into a predicted label: positive when score >= Threshold (default 0.5).
	Threshold float64
}

func (o Options) positive() string {
	if o.PositiveLabel == "" {
		return "1"
	}
	return o.PositiveLabel
}

func (o Options) threshold() float64 {
	if o.Threshold == 0 {
		return 0.5
	}
	return o.Threshold
}

// Metrics are metric values by SageMaker metric name.
type Metrics map[string]float64

// Higher tells whether a larger value of the metric is better.
func Higher(metric string) bool {
	switch metric {
	case "mae", "mse", "rmse", "false_positive_rate", "false_negative_rate":
		return false
	}
	return true
}

// Compute returns the metrics of a problem type, and how many pairs it had to leave out (unreadable numbers).
func Compute(pairs []Pair, o Options) (Metrics, int, error) {
	if len(pairs) == 0 {
		return nil, 0, fmt.Errorf("no labelled predictions to compute model quality from")
	}
	switch o.Problem {
	case Binary:
		return binary(pairs, o)
	case Multiclass:
		return multiclass(pairs), 0, nil
	case Regression:
		return regression(pairs)
	}
	return nil, 0, fmt.Errorf("unknown problem type %q (want %s)", o.Problem, strings.Join(ProblemTypes, ", "))
}

// BinaryOutcome reads one pair: the true class, the predicted class, and the score if the prediction is one. A
// prediction that is a number between 0 and 1 is a score (a hard 0 or 1 is a score too, which makes the AUC of
// hard predictions their balanced accuracy); anything else is a class label.
func BinaryOutcome(p Pair, o Options) (actual, predicted bool, score float64, hasScore bool) {
	actual = labelIs(p.Label, o.positive())
	if f, err := strconv.ParseFloat(strings.TrimSpace(p.Prediction), 64); err == nil && f >= 0 && f <= 1 {
		return actual, f >= o.threshold(), f, true
	}
	return actual, labelIs(p.Prediction, o.positive()), 0, false
}

// labelIs compares labels as numbers when both are numbers ("1.0" is "1"), else as text.
func labelIs(v, want string) bool {
	v = strings.TrimSpace(v)
	if v == want {
		return true
	}
	a, err1 := strconv.ParseFloat(v, 64)
	b, err2 := strconv.ParseFloat(want, 64)
	return err1 == nil && err2 == nil && a == b
}

func binary(pairs []Pair, o Options) (Metrics, int, error) {
	var tp, fp, tn, fn float64
	type scored struct {
		s   float64
		pos bool
	}
	var scores []scored
	for _, p := range pairs {
		actual, pred, s, has := BinaryOutcome(p, o)
		switch {
		case actual && pred:
			tp++
		case !actual && pred:
			fp++
		case actual && !pred:
			fn++
		default:
			tn++
		}
		if has {
			scores = append(scores, scored{s, actual})
		}
	}
	m := Metrics{
		"accuracy":            (tp + tn) / (tp + tn + fp + fn),
		"precision":           ratio(tp, tp+fp),
		"recall":              ratio(tp, tp+fn),
		"true_positive_rate":  ratio(tp, tp+fn),
		"true_negative_rate":  ratio(tn, tn+fp),
		"false_positive_rate": ratio(fp, fp+tn),
		"false_negative_rate": ratio(fn, fn+tp),
	}
	m["f1"] = f1(m["precision"], m["recall"])
	// AUC needs scores for every pair; a mix of scores and labels has no meaningful ranking.
	if len(scores) == len(pairs) {
		xs := make([]float64, len(scores))
		pos := make([]bool, len(scores))
		for i, s := range scores {
			xs[i], pos[i] = s.s, s.pos
		}
		if auc, ok := AUC(xs, pos); ok {
			m["auc"] = auc
		}
	}
	return m, 0, nil
}

// AUC is the area under the ROC curve: the probability that a random positive scores above a random negative,
// ties counting half (the Mann-Whitney U statistic over the product of the class sizes).
func AUC(scores []float64, positive []bool) (float64, bool) {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(scores[a], scores[b]) })
	var rankSum, npos, nneg float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // mean of ranks i+1..j
		for k := i; k < j; k++ {
			if positive[idx[k]] {
				rankSum += avg
				npos++
			} else {
				nneg++
			}
		}
		i = j
	}
	if npos == 0 || nneg == 0 {
		return 0, false
	}
	return (rankSum - npos*(npos+1)/2) / (npos * nneg), true
}

func multiclass(pairs []Pair) Metrics {
	classes := map[string]bool{}
	for _, p := range pairs {
		classes[norm(p.Label)] = true
	}
	var correct float64
	tp, predN, trueN := map[string]float64{}, map[string]float64{}, map[string]float64{}
	for _, p := range pairs {
		l, pr := norm(p.Label), norm(p.Prediction)
		trueN[l]++
		predN[pr]++
		if l == pr {
			tp[l]++
			correct++
		}
	}
	n := float64(len(pairs))
	var mp, mr, mf, wp, wr, wf float64
	for c := range classes {
		prec, rec := ratio(tp[c], predN[c]), ratio(tp[c], trueN[c])
		f := f1(prec, rec)
		mp += prec
		mr += rec
		mf += f
		w := trueN[c] / n
		wp += w * prec
		wr += w * rec
		wf += w * f
	}
	k := float64(len(classes))
	return Metrics{
		"accuracy":           correct / n,
		"macro_precision":    mp / k,
		"macro_recall":       mr / k,
		"macro_f1":           mf / k,
		"weighted_precision": wp,
		"weighted_recall":    wr,
		"weighted_f1":        wf,
	}
}

// norm makes "1" and "1.0" the same class.
func norm(s string) string {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return s
}

func regression(pairs []Pair) (Metrics, int, error) {
	var ys, ps []float64
	bad := 0
	for _, p := range pairs {
		y, err1 := strconv.ParseFloat(strings.TrimSpace(p.Label), 64)
		x, err2 := strconv.ParseFloat(strings.TrimSpace(p.Prediction), 64)
		if err1 != nil || err2 != nil || math.IsNaN(y) || math.IsNaN(x) || math.IsInf(y, 0) || math.IsInf(x, 0) {
			bad++
			continue
		}
		ys = append(ys, y)
		ps = append(ps, x)
	}
	if len(ys) == 0 {
		return nil, bad, fmt.Errorf("no label and prediction pair is a pair of numbers")
	}
	n := float64(len(ys))
	var mean, ae, se float64
	for i := range ys {
		mean += ys[i]
		ae += math.Abs(ys[i] - ps[i])
		se += (ys[i] - ps[i]) * (ys[i] - ps[i])
	}
	mean /= n
	var ss float64
	for _, y := range ys {
		ss += (y - mean) * (y - mean)
	}
	m := Metrics{"mae": ae / n, "mse": se / n, "rmse": math.Sqrt(se / n)}
	if ss > 0 {
		m["r2"] = 1 - se/ss
	}
	return m, bad, nil
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Section returns the statistics.json key for a problem type's metrics.
func Section(problem string) string {
	switch problem {
	case Binary:
		return "binary_classification_metrics"
	case Multiclass:
		return "multiclass_classification_metrics"
	}
	return "regression_metrics"
}

// Statistics renders metrics as a model-quality statistics.json. The standard deviation is not estimated and is
// written as "NaN", as the service does when it has none.
func Statistics(problem string, m Metrics, items int) (*sagemaker.Statistics, error) {
	sec := sagemaker.MetricSection{}
	for name, v := range m {
		raw, err := sagemaker.Marshal(sagemaker.Metric{Value: sagemaker.Number(v), StandardDeviation: sagemaker.Number(math.NaN())})
		if err != nil {
			return nil, err
		}
		sec[name] = raw
	}
	st := &sagemaker.Statistics{Dataset: sagemaker.Dataset{ItemCount: sagemaker.Number(items)}}
	switch problem {
	case Binary:
		st.Binary = &sec
	case Multiclass:
		st.Multi = &sec
	default:
		st.Regress = &sec
	}
	return st, nil
}

// MetricsOf reads the metric values of a model-quality statistics.json, with its problem type.
func MetricsOf(st *sagemaker.Statistics) (string, Metrics, error) {
	var problem string
	var sec *sagemaker.MetricSection
	switch {
	case st.Binary != nil:
		problem, sec = Binary, st.Binary
	case st.Multi != nil:
		problem, sec = Multiclass, st.Multi
	case st.Regress != nil:
		problem, sec = Regression, st.Regress
	default:
		return "", nil, fmt.Errorf("no model-quality metrics in the statistics")
	}
	m := Metrics{}
	for name, raw := range *sec {
		var v sagemaker.Metric
		if err := json.Unmarshal(raw, &v); err != nil {
			continue // curves and matrices are not metrics with a value
		}
		m[name] = float64(v.Value)
	}
	return problem, m, nil
}

// Suggest proposes thresholds from baseline metrics: a metric may get worse by slack times its magnitude before
// it is a violation (slack 0 reproduces SageMaker's suggestion, the baseline value itself).
func Suggest(problem string, m Metrics, slack float64) *sagemaker.Constraints {
	cons := map[string]sagemaker.MetricConstraint{}
	for name, v := range m {
		if math.IsNaN(v) {
			continue
		}
		if Higher(name) {
			cons[name] = sagemaker.MetricConstraint{Threshold: sagemaker.Number(v - slack*math.Abs(v)), ComparisonOperator: sagemaker.LessThanThreshold}
		} else {
			cons[name] = sagemaker.MetricConstraint{Threshold: sagemaker.Number(v + slack*math.Abs(v)), ComparisonOperator: sagemaker.GreaterThanThreshold}
		}
	}
	c := &sagemaker.Constraints{}
	switch problem {
	case Binary:
		c.Binary = cons
	case Multiclass:
		c.Multi = cons
	default:
		c.Regress = cons
	}
	return c
}

// Check compares metrics with model-quality constraints and returns the violations, in metric order.
func Check(m Metrics, c *sagemaker.Constraints) []sagemaker.Violation {
	var all map[string]sagemaker.MetricConstraint
	for _, sec := range []map[string]sagemaker.MetricConstraint{c.Binary, c.Multi, c.Regress} {
		if sec != nil {
			all = sec
		}
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	slices.Sort(names)
	var out []sagemaker.Violation
	for _, name := range names {
		mc := all[name]
		v, ok := m[name]
		if !ok || math.IsNaN(v) {
			continue
		}
		t := float64(mc.Threshold)
		if (mc.ComparisonOperator == sagemaker.GreaterThanThreshold && v > t) || (mc.ComparisonOperator == sagemaker.LessThanThreshold && v < t) {
			out = append(out, sagemaker.Violation{
				MetricName:          name,
				ConstraintCheckType: mc.ComparisonOperator,
				Description:         fmt.Sprintf("Metric %s with %.6g was %s %.6g", name, v, mc.ComparisonOperator, t),
			})
		}
	}
	return out
}
