package sagemaker

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func fixture(name string) string { return filepath.Join("..", "testdata", "sagemaker", name) }

func TestReadServiceFiles(t *testing.T) {
	st, err := ReadStatistics(fixture("data_quality_statistics.json"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Dataset.ItemCount != 100 || len(st.Features) != 6 || st.Features[0].Numerical.Distribution.KLL.Sketch.Parameters.K != 2048 {
		t.Errorf("statistics %+v", st.Dataset)
	}
	// Written by walens and read back, the file means the same.
	data, err := Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	again, err := DecodeStatistics("round-trip", data)
	if err != nil || !reflect.DeepEqual(st, again) {
		t.Errorf("round trip changed the statistics: %v", err)
	}
	c, err := ReadConstraints(fixture("data_quality_constraints.json"))
	if err != nil || *c.MonitoringConfig.Distribution.ComparisonThreshold != 0.1 || c.MonitoringConfig.Distribution.ComparisonMethod != "Robust" {
		t.Errorf("constraints %+v: %v", c.MonitoringConfig, err)
	}
	mq, err := ReadStatistics(fixture("model_quality_statistics.json"))
	if err != nil || mq.Regress == nil {
		t.Fatalf("model-quality statistics: %v", err)
	}
	v, err := ReadViolations(fixture("constraint_violations.json"))
	if err != nil || len(v.Violations) != 7 || v.Violations[0].ConstraintCheckType != CategoricalValuesCheck {
		t.Errorf("violations %+v: %v", v, err)
	}
}

func TestNumber(t *testing.T) {
	for in, want := range map[string]float64{`1.5`: 1.5, `"NaN"`: math.NaN(), `"Infinity"`: math.Inf(1), `"-Infinity"`: math.Inf(-1), `24.0`: 24} {
		var n Number
		if err := n.UnmarshalJSON([]byte(in)); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if f := float64(n); f != want && !(math.IsNaN(f) && math.IsNaN(want)) {
			t.Errorf("%s = %v, want %v", in, f, want)
		}
	}
	var n Number
	if err := n.UnmarshalJSON([]byte(`"lots"`)); err == nil {
		t.Error(`"lots" was read as a number`)
	}
	if b, _ := Number(math.NaN()).MarshalJSON(); string(b) != `"NaN"` {
		t.Errorf("NaN written as %s", b)
	}
}

func TestLocatedProblems(t *testing.T) {
	cases := map[string]string{
		`{"version": 0, "dataset": {"item_count": -1}}`:                                                                    "x.json:1:42: dataset.item_count: must be a count (zero or more), not -1",
		"{\n  \"dataset\": {\"item_count\": 1},\n  \"features\": [{\"name\": \"a\", \"inferred_type\": \"Fractionl\"}]\n}": `x.json:3:47: features[0].inferred_type: must be one of Integral, Fractional, String or Unknown, not "Fractionl" (did you mean "Fractional"?)`,
		`{"features": [}`:  "x.json:1:16: invalid JSON",
		`{"features": {}}`: "expected []sagemaker.FeatureStats but found a JSON object",
		``:                 "x.json:1: the file is empty",
		`{"features": [{"name": "a", "inferred_type": "Integral", "numerical_statistics": {"distribution": {"kll": {"sketch": {"parameters": {"c": 0.64, "k": 1}, "data": [[1]]}}}}}]}`: "sketch size must be between 8",
	}
	for in, want := range cases {
		_, err := DecodeStatistics("x.json", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q:\n got %v\nwant %s", in, err, want)
		}
	}
	_, err := DecodeConstraints("c.json", []byte(`{"monitoring_config": {"distribution_constraints": {"comparison_method": "Robustt"}}, "regression_constraints": {"mae": {"threshold": 1, "comparison_operator": "Bigger"}}}`))
	for _, want := range []string{`comparison_method: must be Simple or Robust, not "Robustt"`, `regression_constraints.mae.comparison_operator: must be GreaterThanThreshold or LessThanThreshold`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("constraints error %v lacks %q", err, want)
		}
	}
	big := filepath.Join(t.TempDir(), "statistics.json")
	if err := os.WriteFile(big, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadStatistics(big); err != nil {
		t.Errorf("an empty object is a valid (empty) statistics file: %v", err)
	}
}
