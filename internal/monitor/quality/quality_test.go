package quality

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/walens/walens/internal/monitor/sagemaker"
)

func loadReference(t *testing.T) (ref struct {
	Binary struct {
		Label                                []int
		Score                                []float64
		Accuracy, Precision, Recall, F1, AUC float64
	}
	Multiclass struct {
		Label, Prediction                                          []string
		Accuracy, PrecisionMacro, RecallMacro, F1Macro, F1Weighted float64
	}
	Regression struct {
		Label, Prediction  []float64
		MAE, MSE, RMSE, R2 float64
	}
}) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "reference", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Go's JSON matching ignores case, and underscores are stripped by these field names' json tags below.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var m struct {
		Label, Prediction []string
		Accuracy          float64
		PrecisionMacro    float64 `json:"precision_macro"`
		RecallMacro       float64 `json:"recall_macro"`
		F1Macro           float64 `json:"f1_macro"`
		F1Weighted        float64 `json:"f1_weighted"`
	}
	for name, v := range map[string]any{"binary": &ref.Binary, "regression": &ref.Regression, "multiclass": &m} {
		if err := json.Unmarshal(raw[name], v); err != nil {
			t.Fatal(err)
		}
	}
	ref.Multiclass.Label, ref.Multiclass.Prediction = m.Label, m.Prediction
	ref.Multiclass.Accuracy, ref.Multiclass.PrecisionMacro, ref.Multiclass.RecallMacro = m.Accuracy, m.PrecisionMacro, m.RecallMacro
	ref.Multiclass.F1Macro, ref.Multiclass.F1Weighted = m.F1Macro, m.F1Weighted
	return ref
}

func expectMetrics(t *testing.T, got Metrics, want map[string]float64) {
	t.Helper()
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("no metric %s", name)
			continue
		}
		if math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("%s = %.12g, numpy/scipy say %.12g", name, g, w)
		}
	}
}

func TestMetricsMatchReference(t *testing.T) {
	ref := loadReference(t)
	t.Run("binary", func(t *testing.T) {
		var pairs []Pair
		for i, y := range ref.Binary.Label {
			pairs = append(pairs, Pair{Label: strconv.Itoa(y), Prediction: strconv.FormatFloat(ref.Binary.Score[i], 'g', -1, 64)})
		}
		m, _, err := Compute(pairs, Options{Problem: Binary})
		if err != nil {
			t.Fatal(err)
		}
		expectMetrics(t, m, map[string]float64{"accuracy": ref.Binary.Accuracy, "precision": ref.Binary.Precision,
			"recall": ref.Binary.Recall, "f1": ref.Binary.F1, "auc": ref.Binary.AUC})
	})
	t.Run("multiclass", func(t *testing.T) {
		var pairs []Pair
		for i, y := range ref.Multiclass.Label {
			pairs = append(pairs, Pair{Label: y, Prediction: ref.Multiclass.Prediction[i]})
		}
		m, _, err := Compute(pairs, Options{Problem: Multiclass})
		if err != nil {
			t.Fatal(err)
		}
		expectMetrics(t, m, map[string]float64{"accuracy": ref.Multiclass.Accuracy, "macro_precision": ref.Multiclass.PrecisionMacro,
			"macro_recall": ref.Multiclass.RecallMacro, "macro_f1": ref.Multiclass.F1Macro, "weighted_f1": ref.Multiclass.F1Weighted})
	})
	t.Run("regression", func(t *testing.T) {
		var pairs []Pair
		for i, y := range ref.Regression.Label {
			pairs = append(pairs, Pair{Label: strconv.FormatFloat(y, 'g', -1, 64), Prediction: strconv.FormatFloat(ref.Regression.Prediction[i], 'g', -1, 64)})
		}
		pairs = append(pairs, Pair{Label: "n/a", Prediction: "1"})
		m, bad, err := Compute(pairs, Options{Problem: Regression})
		if err != nil {
			t.Fatal(err)
		}
		if bad != 1 {
			t.Errorf("%d pairs left out, want 1", bad)
		}
		expectMetrics(t, m, map[string]float64{"mae": ref.Regression.MAE, "mse": ref.Regression.MSE, "rmse": ref.Regression.RMSE, "r2": ref.Regression.R2})
	})
}

// TestSageMakerRegressionBaseline recomputes the SDK's model-quality baseline and checks it against the service's
// statistics and its good and bad constraints.
func TestSageMakerRegressionBaseline(t *testing.T) {
	dir := filepath.Join("..", "testdata", "sagemaker")
	data, err := os.ReadFile(filepath.Join(dir, "model_quality_baseline_dataset.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var pairs []Pair
	for i, line := range splitLines(string(data)) {
		if i == 0 || line == "" {
			continue
		}
		f := splitComma(line)
		pairs = append(pairs, Pair{Label: f[7], Prediction: f[8]})
	}
	m, _, err := Compute(pairs, Options{Problem: Regression})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sagemaker.ReadStatistics(filepath.Join(dir, "model_quality_statistics.json"))
	if err != nil {
		t.Fatal(err)
	}
	problem, want, err := MetricsOf(st)
	if err != nil || problem != Regression {
		t.Fatalf("problem %q, err %v", problem, err)
	}
	// The service's r2 is not the usual coefficient of determination: it divides by the spread of the
	// predictions instead of the labels (the two arguments swapped). walens reports the usual r2 (scikit-learn's
	// r2_score, numpy above); check that the difference is exactly that swap, so the finding stays documented.
	if swapped := swappedR2(pairs); math.Abs(swapped-want["r2"]) > 1e-9 {
		t.Errorf("swapped r2 %.12g does not explain the service's %.12g", swapped, want["r2"])
	}
	delete(want, "r2")
	expectMetrics(t, m, want)
	good, err := sagemaker.ReadConstraints(filepath.Join(dir, "model_quality_constraints.json"))
	if err != nil {
		t.Fatal(err)
	}
	if v := Check(m, good); len(v) != 0 {
		t.Errorf("good constraints gave violations: %+v", v)
	}
	bad, err := sagemaker.ReadConstraints(filepath.Join(dir, "model_quality_bad_constraints.json"))
	if err != nil {
		t.Fatal(err)
	}
	v := Check(m, bad)
	if len(v) != 1 || v[0].MetricName != "mse" || v[0].ConstraintCheckType != sagemaker.GreaterThanThreshold {
		t.Errorf("bad constraints: %+v, want one mse GreaterThanThreshold violation", v)
	}
	// Round trip through walens's own writer and reader.
	s2, err := Statistics(Regression, m, len(pairs))
	if err != nil {
		t.Fatal(err)
	}
	if _, again, _ := MetricsOf(s2); math.Abs(again["r2"]-m["r2"]) > 0 {
		t.Errorf("r2 changed in a round trip")
	}
	if sug := Suggest(Regression, m, 0.1); sug.Regress["r2"].ComparisonOperator != sagemaker.LessThanThreshold ||
		float64(sug.Regress["mae"].Threshold) <= m["mae"] {
		t.Errorf("suggested constraints %+v", sug.Regress)
	}
}

func TestBias(t *testing.T) {
	var pairs []Pair
	// Group "f": 20% predicted positive and 60% accurate; group "m": 50% predicted positive and 90% accurate.
	for i := range 100 {
		pairs = append(pairs, Pair{Facet: "f", Label: "1", Prediction: map[bool]string{true: "1", false: "0"}[i < 20]})
		pairs[len(pairs)-1].Label = map[bool]string{true: "1", false: "0"}[i < 20 || i >= 60]
	}
	for i := range 100 {
		pairs = append(pairs, Pair{Facet: "m", Prediction: map[bool]string{true: "1", false: "0"}[i < 50], Label: map[bool]string{true: "1", false: "0"}[i < 50 || i >= 90]})
	}
	r := Bias(pairs, Options{Problem: Binary, PositiveLabel: "1"}, BiasOptions{Facet: "sex", Values: []string{"f"}})
	want := map[string]float64{"DPPL": 0.5 - 0.2, "DI": 0.2 / 0.5, "AD": 0.9 - 0.6}
	for _, m := range r.Metrics {
		if math.Abs(m.Value-want[m.Name]) > 1e-12 || !m.Violated {
			t.Errorf("%s = %v violated %v, want %v violated", m.Name, m.Value, m.Violated, want[m.Name])
		}
	}
	if len(r.Violations()) != 3 {
		t.Errorf("%d violations, want 3", len(r.Violations()))
	}
	small := Bias(pairs[:110], Options{Problem: Binary}, BiasOptions{Facet: "sex", Values: []string{"f"}})
	if small.Judged || len(small.Violations()) != 0 {
		t.Errorf("10 rows in a group were judged: %+v", small)
	}
}

func splitLines(s string) []string { return split(s, '\n') }
func splitComma(s string) []string { return split(s, ',') }

func split(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func swappedR2(pairs []Pair) float64 {
	var mean, sse, ss float64
	for _, p := range pairs {
		x, _ := strconv.ParseFloat(p.Prediction, 64)
		mean += x
	}
	mean /= float64(len(pairs))
	for _, p := range pairs {
		x, _ := strconv.ParseFloat(p.Prediction, 64)
		y, _ := strconv.ParseFloat(p.Label, 64)
		sse += (x - y) * (x - y)
		ss += (x - mean) * (x - mean)
	}
	return 1 - sse/ss
}
