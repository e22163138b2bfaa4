package review

import (
	"sort"

	"github.com/walens/walens/internal/lens"
)

// State is one side of a comparison: a milestone or the working answers, reduced to question risks.
type State struct {
	Label string                          // milestone name, or "working"
	Risks map[string]map[string]lens.Risk // lens ID -> question ID -> risk
}

// StateOf turns an evaluated review into a state.
func StateOf(label string, res *Result) *State {
	s := &State{Label: label, Risks: map[string]map[string]lens.Risk{}}
	for _, lr := range res.Lenses {
		m := map[string]lens.Risk{}
		for _, q := range lr.Questions {
			m[q.ID] = q.Risk
		}
		s.Risks[lr.ID] = m
	}
	return s
}

// StateOfMilestone turns a milestone into a state.
func StateOfMilestone(m *Milestone) *State {
	return &State{Label: m.Name, Risks: m.Risks}
}

// Totals tallies the state's risks.
func (s *State) Totals() Counts {
	var c Counts
	for _, qs := range s.Risks {
		for _, r := range qs {
			c.Add(r)
		}
	}
	return c
}

// ChangeKind classifies how a question's risk moved between two states.
type ChangeKind string

const (
	Resolved   ChangeKind = "resolved"   // was HIGH or MEDIUM, now NONE or NOT_APPLICABLE
	Improved   ChangeKind = "improved"   // HIGH to MEDIUM
	New        ChangeKind = "new"        // at risk now, and unanswered or absent before
	Regressed  ChangeKind = "regressed"  // at risk now, and lower (NONE, MEDIUM, NOT_APPLICABLE) before
	Reopened   ChangeKind = "reopened"   // answered before, unanswered now
	Dropped    ChangeKind = "dropped"    // the question or its lens is no longer in the review
	Answered   ChangeKind = "answered"   // unanswered before, answered now without risk
	Unassessed ChangeKind = "unassessed" // other moves between no-risk states, e.g. NONE to NOT_APPLICABLE
)

// ChangeKinds lists the kinds in the order reports show them.
var ChangeKinds = []ChangeKind{Regressed, New, Resolved, Improved, Reopened, Answered, Dropped, Unassessed}

// Change is one question whose risk differs between two states.
type Change struct {
	Kind     ChangeKind `json:"kind"`
	Lens     string     `json:"lens"`
	Question string     `json:"question"`
	Ref      string     `json:"ref,omitempty"`
	Title    string     `json:"title,omitempty"`
	Pillar   string     `json:"pillar,omitempty"`
	From     lens.Risk  `json:"from"`
	To       lens.Risk  `json:"to"`
}

// IsWorse reports whether the change is a new or regressed risk.
func (c Change) IsWorse() bool { return c.Kind == New || c.Kind == Regressed }

// Diff is the comparison of two states.
type Diff struct {
	From       string         `json:"from"`
	To         string         `json:"to"`
	FromTotals Counts         `json:"fromTotals"`
	ToTotals   Counts         `json:"toTotals"`
	Summary    map[string]int `json:"summary"` // change kind -> count
	Changes    []Change       `json:"changes"`
}

// Compare lists the questions whose risk differs from a to b. describe, when not nil, supplies the reference, title
// and pillar of a question for display; it may return false for questions the catalogue no longer has.
func Compare(a, b *State, describe func(lensID, questionID string) (ref, title, pillar string, ok bool)) *Diff {
	d := &Diff{From: a.Label, To: b.Label, FromTotals: a.Totals(), ToTotals: b.Totals(), Summary: map[string]int{}}
	keys := map[[2]string]bool{}
	for l, qs := range a.Risks {
		for q := range qs {
			keys[[2]string{l, q}] = true
		}
	}
	for l, qs := range b.Risks {
		for q := range qs {
			keys[[2]string{l, q}] = true
		}
	}
	for k := range keys {
		from, inA := a.Risks[k[0]][k[1]]
		to, inB := b.Risks[k[0]][k[1]]
		if !inA {
			from = lens.RiskUnanswered
		}
		kind, changed := classify(from, to, inA, inB)
		if !changed {
			continue
		}
		c := Change{Kind: kind, Lens: k[0], Question: k[1], From: from, To: to}
		if !inB {
			c.To = ""
		}
		if !inA {
			c.From = ""
		}
		if describe != nil {
			c.Ref, c.Title, c.Pillar, _ = describe(k[0], k[1])
		}
		d.Changes = append(d.Changes, c)
		d.Summary[string(kind)]++
	}
	order := map[ChangeKind]int{}
	for i, k := range ChangeKinds {
		order[k] = i
	}
	sort.Slice(d.Changes, func(i, j int) bool {
		x, y := d.Changes[i], d.Changes[j]
		if order[x.Kind] != order[y.Kind] {
			return order[x.Kind] < order[y.Kind]
		}
		if x.To.Severity() != y.To.Severity() {
			return x.To.Severity() > y.To.Severity()
		}
		if x.Lens != y.Lens {
			return x.Lens < y.Lens
		}
		return x.Question < y.Question
	})
	return d
}

func classify(from, to lens.Risk, inA, inB bool) (ChangeKind, bool) {
	if !inB {
		return Dropped, true
	}
	if from == to {
		return "", false
	}
	atRiskBefore, atRiskNow := from.Severity() > 0, to.Severity() > 0
	switch {
	case to == lens.RiskUnanswered:
		return Reopened, true
	case atRiskNow && (from == lens.RiskUnanswered || !inA):
		return New, true
	case atRiskNow && to.Severity() > from.Severity():
		return Regressed, true
	case atRiskNow:
		return Improved, true
	case atRiskBefore:
		return Resolved, true
	case from == lens.RiskUnanswered:
		return Answered, true
	}
	return Unassessed, true
}

// Worse returns the new and regressed changes at or above a risk.
func (d *Diff) Worse(atLeast lens.Risk) []Change {
	var out []Change
	for _, c := range d.Changes {
		if c.IsWorse() && c.To.Severity() >= atLeast.Severity() {
			out = append(out, c)
		}
	}
	return out
}
