package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/review"
)

// Schema identifiers of the JSON documents walens writes. A consumer should check the one it expects; fields are
// only ever added within a version.
const (
	ReviewSchema = "walens-review-report/v1"
	PlanSchema   = "walens-plan/v1"
	DiffSchema   = "walens-diff/v1"
	CheckSchema  = "walens-check/v1"
)

type header struct {
	Schema        string    `json:"schema"`
	GeneratedAt   time.Time `json:"generatedAt"`
	WalensVersion string    `json:"walensVersion"`
}

func newHeader(schema string, m Meta) header {
	return header{Schema: schema, GeneratedAt: m.GeneratedAt.UTC(), WalensVersion: m.WalensVersion}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// ReviewJSON writes the full evaluated review with its improvement plan.
func ReviewJSON(w io.Writer, res *review.Result, plan *review.Plan, warnings diag.List, m Meta) error {
	if warnings == nil {
		warnings = diag.List{}
	}
	return writeJSON(w, struct {
		header
		*review.Result
		Plan     *review.Plan `json:"plan"`
		Warnings diag.List    `json:"warnings"`
	}{newHeader(ReviewSchema, m), res, plan, warnings})
}

// PlanJSON writes the improvement plan.
func PlanJSON(w io.Writer, res *review.Result, plan *review.Plan, m Meta) error {
	return writeJSON(w, struct {
		header
		Workload string `json:"workload"`
		File     string `json:"file"`
		*review.Plan
	}{newHeader(PlanSchema, m), res.Workload.Name, res.File, plan})
}

// DiffJSON writes a comparison.
func DiffJSON(w io.Writer, d *review.Diff, m Meta) error {
	if d.Changes == nil {
		d.Changes = []review.Change{}
	}
	return writeJSON(w, struct {
		header
		*review.Diff
	}{newHeader(DiffSchema, m), d})
}

// CheckJSON writes the outcome of the CI gate.
func CheckJSON(w io.Writer, c *review.CheckResult, m Meta) error {
	return writeJSON(w, struct {
		header
		*review.CheckResult
	}{newHeader(CheckSchema, m), c})
}
