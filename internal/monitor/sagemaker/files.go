package sagemaker

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/walens/walens/internal/atomicfile"
	"github.com/walens/walens/internal/diag"
)

// MaxFileSize bounds the baseline files walens reads; real ones are kilobytes to a few megabytes.
const MaxFileSize = 256 << 20

// File names inside a baseline or run folder.
const (
	StatisticsFile  = "statistics.json"
	ConstraintsFile = "constraints.json"
	ViolationsFile  = "constraint_violations.json"
)

func readJSON(path string, v any, validate func(*diag.Collector)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() > MaxFileSize {
		return fmt.Errorf("%s: %d bytes is over the %d MB limit for baseline files", path, st.Size(), MaxFileSize>>20)
	}
	data := make([]byte, st.Size())
	if _, err := f.ReadAt(data, 0); err != nil && st.Size() > 0 {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return decode(path, data, v, validate)
}

func decode(name string, data []byte, v any, validate func(*diag.Collector)) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return diag.List{{File: name, Line: 1, Message: "the file is empty"}}
	}
	if err := json.Unmarshal(data, v); err != nil {
		p := diag.JSONError(data, err)
		p.File = name
		var ute *json.UnmarshalTypeError
		if p.Line == 0 && !errors.As(err, &ute) {
			p.Message = "invalid content: " + err.Error()
		}
		return diag.List{p}
	}
	var c diag.Collector
	validate(&c)
	if len(c.List) > 0 {
		c.List.Locate(name, diag.JSONPositions(data))
		c.List.Sort()
		return c.List
	}
	return nil
}

// DecodeStatistics parses statistics.json content; name is used in problems.
func DecodeStatistics(name string, data []byte) (*Statistics, error) {
	var s Statistics
	if err := decode(name, data, &s, s.validate); err != nil {
		return nil, err
	}
	return &s, nil
}

// DecodeConstraints parses constraints.json content; name is used in problems.
func DecodeConstraints(name string, data []byte) (*Constraints, error) {
	var c Constraints
	if err := decode(name, data, &c, c.validate); err != nil {
		return nil, err
	}
	return &c, nil
}

// ReadStatistics reads and checks a statistics.json file.
func ReadStatistics(path string) (*Statistics, error) {
	var s Statistics
	if err := readJSON(path, &s, s.validate); err != nil {
		return nil, err
	}
	return &s, nil
}

// ReadConstraints reads and checks a constraints.json file.
func ReadConstraints(path string) (*Constraints, error) {
	var c Constraints
	if err := readJSON(path, &c, c.validate); err != nil {
		return nil, err
	}
	return &c, nil
}

// ReadViolations reads a constraint_violations.json file.
func ReadViolations(path string) (*Violations, error) {
	var v Violations
	if err := readJSON(path, &v, func(c *diag.Collector) {
		for i, x := range v.Violations {
			if x.ConstraintCheckType == "" {
				c.Errorf(diag.Key(diag.Index("violations", i), "constraint_check_type"), "missing")
			}
		}
	}); err != nil {
		return nil, err
	}
	return &v, nil
}

// WriteJSON writes v as indented JSON, atomically.
func WriteJSON(path string, v any) error {
	data, err := Marshal(v)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data, 0o644)
}

// Marshal renders v the way walens writes every monitor file: two-space indent, no HTML escaping, final newline.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var types = []string{Integral, Fractional, String, Unknown}

func nonNegative(c *diag.Collector, path string, n Number) {
	if f := float64(n); math.IsNaN(f) || f < 0 || math.IsInf(f, 0) {
		c.Errorf(path, "must be a count (zero or more), not %v", f)
	}
}

func (s *Statistics) validate(c *diag.Collector) {
	nonNegative(c, "dataset.item_count", s.Dataset.ItemCount)
	seen := map[string]bool{}
	for i, f := range s.Features {
		path := diag.Index("features", i)
		if f.Name == "" {
			c.Errorf(diag.Key(path, "name"), "a feature needs a name")
		} else if seen[f.Name] {
			c.Errorf(diag.Key(path, "name"), "feature %q is listed twice", f.Name)
		}
		seen[f.Name] = true
		if !slices.Contains(types, f.InferredType) {
			c.Errorf(diag.Key(path, "inferred_type"), "must be one of Integral, Fractional, String or Unknown, not %q", f.InferredType).Suggest(f.InferredType, types)
		}
		switch {
		case f.Numerical != nil:
			n := f.Numerical
			np := diag.Key(path, "numerical_statistics")
			nonNegative(c, diag.Key(diag.Key(np, "common"), "num_present"), n.Common.NumPresent)
			nonNegative(c, diag.Key(diag.Key(np, "common"), "num_missing"), n.Common.NumMissing)
			if k := n.Distribution.KLL; k != nil {
				kp := diag.Key(diag.Key(diag.Key(np, "distribution"), "kll"), "sketch")
				if kk := float64(k.Sketch.Parameters.K); kk < 8 || kk > 1<<20 {
					c.Errorf(diag.Key(diag.Key(kp, "parameters"), "k"), "sketch size must be between 8 and 1048576, not %v", kk)
				}
				if cc := float64(k.Sketch.Parameters.C); !(cc > 0 && cc <= 1) {
					c.Errorf(diag.Key(diag.Key(kp, "parameters"), "c"), "shrinking factor must be in (0, 1], not %v", cc)
				}
				if len(k.Sketch.Data) > 64 {
					c.Errorf(diag.Key(kp, "data"), "%d levels is more than any sketch of a real dataset has", len(k.Sketch.Data))
				}
			}
		case f.String != nil:
			sp := diag.Key(path, "string_statistics")
			nonNegative(c, diag.Key(diag.Key(sp, "common"), "num_present"), f.String.Common.NumPresent)
			nonNegative(c, diag.Key(diag.Key(sp, "common"), "num_missing"), f.String.Common.NumMissing)
		}
	}
}

func (cs *Constraints) validate(c *diag.Collector) {
	seen := map[string]bool{}
	for i, f := range cs.Features {
		path := diag.Index("features", i)
		if f.Name == "" {
			c.Errorf(diag.Key(path, "name"), "a feature needs a name")
		} else if seen[f.Name] {
			c.Errorf(diag.Key(path, "name"), "feature %q is listed twice", f.Name)
		}
		seen[f.Name] = true
		if !slices.Contains(types, f.InferredType) {
			c.Errorf(diag.Key(path, "inferred_type"), "must be one of Integral, Fractional, String or Unknown, not %q", f.InferredType).Suggest(f.InferredType, types)
		}
		if f.Completeness != nil {
			if v := float64(*f.Completeness); !(v >= 0 && v <= 1) {
				c.Errorf(diag.Key(path, "completeness"), "must be between 0 and 1, not %v", v)
			}
		}
		validateConfig(c, diag.Key(path, "monitoringConfigOverrides"), f.Overrides)
		if f.StringConstraints != nil {
			validateConfig(c, diag.Key(diag.Key(path, "string_constraints"), "monitoring_config_overrides"), f.StringConstraints.Overrides)
		}
	}
	validateConfig(c, "monitoring_config", cs.MonitoringConfig)
	for section, m := range map[string]map[string]MetricConstraint{
		"binary_classification_constraints": cs.Binary, "multiclass_classification_constraints": cs.Multi, "regression_constraints": cs.Regress,
	} {
		for name, mc := range m {
			if mc.ComparisonOperator != GreaterThanThreshold && mc.ComparisonOperator != LessThanThreshold {
				c.Errorf(diag.Key(diag.Key(section, name), "comparison_operator"), "must be GreaterThanThreshold or LessThanThreshold, not %q", mc.ComparisonOperator)
			}
		}
	}
}

func validateConfig(c *diag.Collector, path string, m *MonitoringConfig) {
	if m == nil {
		return
	}
	for key, n := range map[string]*Number{"datatype_check_threshold": m.DatatypeCheckThreshold, "domain_content_threshold": m.DomainContentThreshold} {
		if n != nil && !(float64(*n) >= 0 && float64(*n) <= 1) {
			c.Errorf(diag.Key(path, key), "must be between 0 and 1, not %v", float64(*n))
		}
	}
	d := m.Distribution
	if d == nil {
		return
	}
	dp := diag.Key(path, "distribution_constraints")
	if d.ComparisonMethod != "" && d.ComparisonMethod != "Simple" && d.ComparisonMethod != "Robust" {
		c.Errorf(diag.Key(dp, "comparison_method"), "must be Simple or Robust, not %q", d.ComparisonMethod).Suggest(d.ComparisonMethod, []string{"Simple", "Robust"})
	}
	if d.CategoricalDriftMethod != "" && d.CategoricalDriftMethod != "LInfinity" && d.CategoricalDriftMethod != "ChiSquared" {
		c.Errorf(diag.Key(dp, "categorical_drift_method"), "must be LInfinity or ChiSquared, not %q", d.CategoricalDriftMethod).Suggest(d.CategoricalDriftMethod, []string{"LInfinity", "ChiSquared"})
	}
	for key, n := range map[string]*Number{"comparison_threshold": d.ComparisonThreshold, "categorical_comparison_threshold": d.CategoricalComparisonThreshold} {
		if n != nil && (math.IsNaN(float64(*n)) || float64(*n) < 0) {
			c.Errorf(diag.Key(dp, key), "must be zero or more, not %v", float64(*n))
		}
	}
	for _, s := range []struct{ key, v string }{{"perform_comparison", d.PerformComparison}} {
		if s.v != "" && s.v != "Enabled" && s.v != "Disabled" {
			c.Errorf(diag.Key(dp, s.key), "must be Enabled or Disabled, not %q", s.v)
		}
	}
}
