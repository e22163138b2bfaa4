package review

import (
	"fmt"

	"github.com/walens/walens/internal/lens"
)

// CheckOptions configure the CI gate.
type CheckOptions struct {
	// FailOn is the lowest risk that fails the check: lens.RiskHigh or lens.RiskMedium.
	FailOn lens.Risk
	// Baseline, when set, limits failures to risks that are new or worse than in the baseline.
	Baseline *State
	// FailOnUnanswered also fails when any question is unanswered, so risks cannot hide behind blank answers.
	FailOnUnanswered bool
	// FailOnConflict also fails when a person's answer and the scanned evidence disagree about a practice.
	FailOnConflict bool
}

// Finding is one reason a check failed.
type Finding struct {
	Lens     string    `json:"lens"`
	Question string    `json:"question"`
	Ref      string    `json:"ref,omitempty"`
	Title    string    `json:"title"`
	Risk     lens.Risk `json:"risk"`
	From     lens.Risk `json:"from,omitempty"` // the baseline's risk, when comparing
	Why      string    `json:"why"`
	// Missing lists the practices not in place that carry at least the failing level, as "REF title".
	Missing []string `json:"missing,omitempty"`
}

// CheckResult is the outcome of the gate.
type CheckResult struct {
	Passed   bool      `json:"passed"`
	FailOn   lens.Risk `json:"failOn"`
	Baseline string    `json:"baseline,omitempty"`
	Totals   Counts    `json:"totals"`
	Findings []Finding `json:"findings"`
}

// Check applies the CI gate to an evaluated review.
func Check(res *Result, opts CheckOptions) (*CheckResult, error) {
	if opts.FailOn != lens.RiskHigh && opts.FailOn != lens.RiskMedium {
		return nil, fmt.Errorf("fail-on level %q must be HIGH or MEDIUM", opts.FailOn)
	}
	out := &CheckResult{FailOn: opts.FailOn, Totals: res.Totals, Findings: []Finding{}}
	if opts.Baseline != nil {
		out.Baseline = opts.Baseline.Label
	}
	for _, lr := range res.Lenses {
		for _, q := range lr.Questions {
			f := Finding{Lens: lr.ID, Question: q.ID, Ref: q.Ref, Title: q.Title, Risk: q.Risk, Missing: missingAtLeast(q, opts.FailOn)}
			if opts.FailOnConflict {
				for _, c := range q.Choices {
					if c.Conflict != "" {
						cf := f
						cf.Missing = nil
						cf.Why = fmt.Sprintf("conflict on %s: %s", c.Choice.Label(), c.Conflict)
						out.Findings = append(out.Findings, cf)
					}
				}
			}
			if q.Risk == lens.RiskUnanswered {
				if opts.FailOnUnanswered {
					f.Why = "unanswered"
					out.Findings = append(out.Findings, f)
				}
				continue
			}
			if q.Risk.Severity() < opts.FailOn.Severity() {
				continue
			}
			if opts.Baseline == nil {
				f.Why = fmt.Sprintf("%s risk", q.Risk)
				out.Findings = append(out.Findings, f)
				continue
			}
			before, ok := opts.Baseline.Risks[lr.ID][q.ID]
			if !ok {
				before = lens.RiskUnanswered
			}
			f.From = before
			switch {
			case before == lens.RiskUnanswered:
				f.Why = fmt.Sprintf("new %s risk (unanswered in %s)", q.Risk, opts.Baseline.Label)
			case q.Risk.Severity() > before.Severity():
				f.Why = fmt.Sprintf("regressed from %s in %s to %s", before, opts.Baseline.Label, q.Risk)
			default:
				continue // the same or better than the baseline
			}
			out.Findings = append(out.Findings, f)
		}
	}
	out.Passed = len(out.Findings) == 0
	return out, nil
}

// missingAtLeast names the missing practices of a question whose level is at least the given risk; for lenses
// without levels, every missing practice.
func missingAtLeast(q *QuestionResult, r lens.Risk) []string {
	var out []string
	for _, id := range q.Missing {
		c := q.Question.Choice(id)
		if lvl := itemLevel(c.Risk, q.Risk); c.Risk == "" || levelRank(lvl) <= levelRank(string(r)) {
			out = append(out, c.Label()+" "+c.Title)
		}
	}
	return out
}
