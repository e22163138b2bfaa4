package evidence

import (
	"github.com/walens/walens/internal/review"
)

// ForReview turns a scan report into evidence per best practice for the review engine: every finding of a rule is
// evidence for each practice the rule names.
func ForReview(rep *Report) *review.Evidence {
	ev := &review.Evidence{Paths: rep.Roots, Partial: rep.Partial, Files: rep.Files, Resources: len(rep.Resources),
		Practices: map[string]*review.PracticeEvidence{}}
	rules := map[string]*Rule{}
	for _, r := range rep.Rules {
		rules[r.ID] = r
	}
	byRef := map[string][]review.EvidenceFinding{}
	sufficient := map[string]map[string]bool{}
	for _, f := range rep.Findings {
		rule := rules[f.Rule]
		if rule == nil {
			continue
		}
		ef := review.EvidenceFinding{Rule: f.Rule, Status: string(f.Status), Severity: string(f.Severity), Resource: f.Resource,
			File: f.Pos.File, Line: f.Pos.Line, Message: f.Message}
		if f.Suppressed != nil {
			ef.Suppressed = f.Suppressed.Reason
		}
		for _, p := range rule.Practices {
			byRef[p.Ref] = append(byRef[p.Ref], ef)
			if sufficient[p.Ref] == nil {
				sufficient[p.Ref] = map[string]bool{}
			}
			sufficient[p.Ref][rule.ID] = p.Sufficient
		}
	}
	for ref, fs := range byRef {
		ev.Practices[ref] = review.NewPracticeEvidence(ref, fs, sufficient[ref])
	}
	return ev
}
