// Package sagemaker reads and writes the files of SageMaker Model Monitor: statistics.json, constraints.json and
// constraint_violations.json for data quality, the model-quality variants of the first two, and the data-capture
// and ground-truth JSON Lines records. Field names are the service's; values are checked on read so that a
// hand-edited or truncated file is reported with its line and field, not used half-understood.
package sagemaker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Inferred types, as the service spells them.
const (
	Integral   = "Integral"
	Fractional = "Fractional"
	String     = "String"
	Unknown    = "Unknown"
)

// Number is a float64 that reads a JSON number or the strings "NaN", "Infinity" and "-Infinity", which the
// service's Java writer emits (for example a standard deviation of "NaN" in model-quality files).
type Number float64

func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN":
			*n = Number(math.NaN())
		case "Infinity":
			*n = Number(math.Inf(1))
		case "-Infinity":
			*n = Number(math.Inf(-1))
		default:
			return fmt.Errorf("expected a number or \"NaN\", found the string %q", s)
		}
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("expected a number, found %s", truncate(string(b), 40))
	}
	*n = Number(f)
	return nil
}

func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return []byte(`"NaN"`), nil
	case math.IsInf(f, 1):
		return []byte(`"Infinity"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Infinity"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Statistics is statistics.json. A data-quality file has Features; a model-quality file has one of the metric
// sections instead.
type Statistics struct {
	Version  Number         `json:"version"`
	Dataset  Dataset        `json:"dataset"`
	Features []FeatureStats `json:"features,omitempty"`
	Binary   *MetricSection `json:"binary_classification_metrics,omitempty"`
	Multi    *MetricSection `json:"multiclass_classification_metrics,omitempty"`
	Regress  *MetricSection `json:"regression_metrics,omitempty"`
}

// Dataset is the dataset-level block of statistics.json.
type Dataset struct {
	ItemCount      Number `json:"item_count"`
	EvaluationTime string `json:"evaluation_time,omitempty"`
}

// FeatureStats is one feature of statistics.json; exactly one of the two statistics blocks is set.
type FeatureStats struct {
	Name         string            `json:"name"`
	InferredType string            `json:"inferred_type"`
	Numerical    *NumericalStats   `json:"numerical_statistics,omitempty"`
	String       *StringStatistics `json:"string_statistics,omitempty"`
}

// Common is the part shared by numerical and string statistics.
type Common struct {
	NumPresent Number `json:"num_present"`
	NumMissing Number `json:"num_missing"`
}

// NumericalStats describes an Integral or Fractional feature.
type NumericalStats struct {
	Common       Common                `json:"common"`
	Mean         Number                `json:"mean"`
	Sum          Number                `json:"sum"`
	StdDev       Number                `json:"std_dev"`
	Min          Number                `json:"min"`
	Max          Number                `json:"max"`
	Distribution NumericalDistribution `json:"distribution"`
}

// NumericalDistribution holds the KLL sketch and the equal-width buckets derived from it.
type NumericalDistribution struct {
	KLL *KLLDistribution `json:"kll,omitempty"`
}

// KLLDistribution is the "kll" block.
type KLLDistribution struct {
	Buckets []Bucket  `json:"buckets"`
	Sketch  KLLSketch `json:"sketch"`
}

// Bucket is one equal-width histogram bucket.
type Bucket struct {
	LowerBound Number `json:"lower_bound"`
	UpperBound Number `json:"upper_bound"`
	Count      Number `json:"count"`
}

// KLLSketch is Deequ's serialised sketch: parameters and the items of each level, level 0 first. Items are
// plain JSON numbers (a sketch holds no NaN), which keeps decoding a large baseline fast.
type KLLSketch struct {
	Parameters KLLParameters `json:"parameters"`
	Data       [][]float64   `json:"data"`
}

// KLLParameters are the sketch size k and shrinking factor c.
type KLLParameters struct {
	C Number `json:"c"`
	K Number `json:"k"`
}

// StringStatistics describes a String feature.
type StringStatistics struct {
	Common        Common              `json:"common"`
	DistinctCount Number              `json:"distinct_count"`
	Distribution  CategoricalWrapping `json:"distribution"`
}

// CategoricalWrapping is the "distribution" block of a string feature.
type CategoricalWrapping struct {
	Categorical *Categorical `json:"categorical,omitempty"`
}

// Categorical lists category counts.
type Categorical struct {
	Buckets []CategoryBucket `json:"buckets"`
}

// CategoryBucket is one category and how often it was seen.
type CategoryBucket struct {
	Value string `json:"value"`
	Count Number `json:"count"`
}

// MetricSection is a model-quality metrics block: metric name to value and standard deviation. Entries that are
// not of that shape (confusion matrices, curves) are kept raw.
type MetricSection map[string]json.RawMessage

// Metric is one model-quality metric.
type Metric struct {
	Value             Number `json:"value"`
	StandardDeviation Number `json:"standard_deviation"`
}

// Constraints is constraints.json, for data quality (Features, MonitoringConfig) or model quality (one of the
// metric constraint sections).
type Constraints struct {
	Version          Number                      `json:"version"`
	Features         []FeatureConstraints        `json:"features,omitempty"`
	MonitoringConfig *MonitoringConfig           `json:"monitoring_config,omitempty"`
	Binary           map[string]MetricConstraint `json:"binary_classification_constraints,omitempty"`
	Multi            map[string]MetricConstraint `json:"multiclass_classification_constraints,omitempty"`
	Regress          map[string]MetricConstraint `json:"regression_constraints,omitempty"`
}

// FeatureConstraints are the constraints on one feature.
type FeatureConstraints struct {
	Name              string             `json:"name"`
	InferredType      string             `json:"inferred_type"`
	Completeness      *Number            `json:"completeness,omitempty"`
	NumConstraints    *NumConstraints    `json:"num_constraints,omitempty"`
	StringConstraints *StringConstraints `json:"string_constraints,omitempty"`
	// Overrides is where the documentation puts per-feature threshold overrides.
	Overrides *MonitoringConfig `json:"monitoringConfigOverrides,omitempty"`
}

// NumConstraints holds numeric constraints.
type NumConstraints struct {
	IsNonNegative *bool `json:"is_non_negative,omitempty"`
}

// StringConstraints holds the domain of a low-cardinality string feature.
type StringConstraints struct {
	Domains []string `json:"domains,omitempty"`
	// Overrides is where the Python SDK writes per-feature overrides.
	Overrides *MonitoringConfig `json:"monitoring_config_overrides,omitempty"`
}

// MonitoringConfig is the monitoring_config block, or a per-feature override of it. Pointers tell "absent"
// from zero, so an override changes only what it names.
type MonitoringConfig struct {
	EvaluateConstraints    string                   `json:"evaluate_constraints,omitempty"`
	EmitMetrics            string                   `json:"emit_metrics,omitempty"`
	DatatypeCheckThreshold *Number                  `json:"datatype_check_threshold,omitempty"`
	DomainContentThreshold *Number                  `json:"domain_content_threshold,omitempty"`
	Distribution           *DistributionConstraints `json:"distribution_constraints,omitempty"`
}

// DistributionConstraints configure the baseline drift check.
type DistributionConstraints struct {
	PerformComparison              string  `json:"perform_comparison,omitempty"`
	ComparisonThreshold            *Number `json:"comparison_threshold,omitempty"`
	ComparisonMethod               string  `json:"comparison_method,omitempty"`
	CategoricalComparisonThreshold *Number `json:"categorical_comparison_threshold,omitempty"`
	CategoricalDriftMethod         string  `json:"categorical_drift_method,omitempty"`
	// Older SDK files use these two instead of perform_comparison.
	EnableComparisons *bool   `json:"enable_comparisons,omitempty"`
	MinDomainMass     *Number `json:"min_domain_mass,omitempty"`
}

// MetricConstraint is a model-quality threshold.
type MetricConstraint struct {
	Threshold          Number `json:"threshold"`
	ComparisonOperator string `json:"comparison_operator"`
}

// Comparison operators of model-quality constraints.
const (
	GreaterThanThreshold = "GreaterThanThreshold"
	LessThanThreshold    = "LessThanThreshold"
)

// Violations is constraint_violations.json.
type Violations struct {
	Violations []Violation `json:"violations"`
}

// Violation is one failed check. MetricName is set by model-quality checks, as the service's model-quality
// container does.
type Violation struct {
	FeatureName         string `json:"feature_name,omitempty"`
	MetricName          string `json:"metric_name,omitempty"`
	ConstraintCheckType string `json:"constraint_check_type"`
	Description         string `json:"description"`
}

// Data-quality check types.
const (
	DataTypeCheck          = "data_type_check"
	CompletenessCheck      = "completeness_check"
	BaselineDriftCheck     = "baseline_drift_check"
	MissingColumnCheck     = "missing_column_check"
	ExtraColumnCheck       = "extra_column_check"
	CategoricalValuesCheck = "categorical_values_check"
	// BiasCheck is walens's own: a post-training bias metric outside its threshold.
	BiasCheck = "bias_check"
)

func num(f float64) Number { return Number(f) }

// Ptr returns a pointer to a Number, for the optional fields.
func Ptr(f float64) *Number { n := num(f); return &n }

// Float reads an optional Number with a default.
func Float(n *Number, def float64) float64 {
	if n == nil {
		return def
	}
	return float64(*n)
}

// CaptureRecord is one line of a data-capture file.
type CaptureRecord struct {
	CaptureData   CaptureData   `json:"captureData"`
	EventMetadata EventMetadata `json:"eventMetadata"`
	EventVersion  string        `json:"eventVersion"`
}

// CaptureData holds the request and the response of one invocation.
type CaptureData struct {
	EndpointInput  *CapturePayload `json:"endpointInput,omitempty"`
	EndpointOutput *CapturePayload `json:"endpointOutput,omitempty"`
}

// CapturePayload is a captured request or response body.
type CapturePayload struct {
	ObservedContentType string `json:"observedContentType"`
	Mode                string `json:"mode"`
	Data                string `json:"data"`
	Encoding            string `json:"encoding"` // CSV, JSON or BASE64
}

// EventMetadata identifies an invocation; ground truth is joined on EventID (or InferenceID).
type EventMetadata struct {
	EventID       string `json:"eventId"`
	InferenceID   string `json:"inferenceId,omitempty"`
	InferenceTime string `json:"inferenceTime,omitempty"`
}

// GroundTruthRecord is one line of a ground-truth file.
type GroundTruthRecord struct {
	GroundTruthData CapturePayload `json:"groundTruthData"`
	EventMetadata   EventMetadata  `json:"eventMetadata"`
	EventVersion    string         `json:"eventVersion"`
}

// Capture payload encodings.
const (
	EncodingCSV    = "CSV"
	EncodingJSON   = "JSON"
	EncodingBase64 = "BASE64"
)
