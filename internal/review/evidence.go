package review

import (
	"fmt"
	"sort"
)

// EvidenceStatus is what scanned infrastructure code says about one best practice.
type EvidenceStatus string

const (
	// EvidenceSupported: rules declared sufficient for the practice passed everywhere they applied, and nothing
	// refutes it. Evidence selects the choice when no person has answered the question.
	EvidenceSupported EvidenceStatus = "supported"
	// EvidenceRefuted: at least one rule for the practice failed on a resource (and is not suppressed).
	EvidenceRefuted EvidenceStatus = "refuted"
	// EvidencePartial: some rules passed, but none is sufficient on its own or some results are unknown.
	EvidencePartial EvidenceStatus = "partial"
	// EvidenceUnknown: the rules that apply could not tell, because values are not known statically.
	EvidenceUnknown EvidenceStatus = "unknown"
)

// Evidence is the outcome of scanning a workload's infrastructure code, keyed by best-practice ID (a choice's Ref,
// such as MLOPS06-BP02).
type Evidence struct {
	Paths     []string                     `json:"paths"`
	Partial   bool                         `json:"partial"` // some files could not be read or parsed
	Files     int                          `json:"files"`
	Resources int                          `json:"resources"`
	Practices map[string]*PracticeEvidence `json:"-"`
}

// PracticeEvidence is the evidence about one best practice.
type PracticeEvidence struct {
	Ref    string         `json:"ref"`
	Status EvidenceStatus `json:"status"`
	// Suggested is the choice status the evidence suggests: SELECTED when supported, UNSELECTED when refuted,
	// empty otherwise.
	Suggested ChoiceStatus      `json:"suggested,omitempty"`
	Rules     []string          `json:"rules"`
	Findings  []EvidenceFinding `json:"findings"`
}

// EvidenceFinding is one rule result that bears on a practice, located in the code.
type EvidenceFinding struct {
	Rule     string `json:"rule"`
	Status   string `json:"status"` // PASS, FAIL, UNKNOWN
	Severity string `json:"severity"`
	Resource string `json:"resource,omitempty"`
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Message  string `json:"message"`
	// Suppressed gives the reason a failure is not counted, when it is suppressed.
	Suppressed string `json:"suppressed,omitempty"`
	// Sufficient marks findings of a rule that, passing, is enough to show the practice in place.
	Sufficient bool `json:"sufficient,omitempty"`
}

// Location is file:line.
func (f EvidenceFinding) Location() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return f.File
}

// Counted reports whether the finding takes part in the practice's status: suppressed results do not.
func (f EvidenceFinding) Counted() bool { return f.Suppressed == "" }

// First returns the most telling finding: the first counted failure, else the first unknown, else the first pass
// of a sufficient rule, else the first pass.
func (p *PracticeEvidence) First() *EvidenceFinding {
	for i := range p.Findings {
		if f := &p.Findings[i]; p.Status == EvidenceSupported && f.Sufficient && f.Status == "PASS" {
			return f
		}
	}
	for _, want := range []string{"FAIL", "UNKNOWN", "PASS"} {
		for i := range p.Findings {
			if p.Findings[i].Status == want && p.Findings[i].Counted() {
				return &p.Findings[i]
			}
		}
	}
	if len(p.Findings) > 0 {
		return &p.Findings[0]
	}
	return nil
}

// Summary says in a few words what the evidence shows, for report cells: "refuted by WL-SM-014 at main.tf:12".
func (p *PracticeEvidence) Summary() string {
	f := p.First()
	if f == nil {
		return string(p.Status)
	}
	var verb string
	switch p.Status {
	case EvidenceRefuted:
		verb = "refuted by"
	case EvidenceSupported:
		verb = "supported by"
	case EvidencePartial:
		verb = "partly shown by"
	default:
		verb = "not determined by"
	}
	s := fmt.Sprintf("%s %s at %s", verb, f.Rule, f.Location())
	if n := len(p.Findings) - 1; n > 0 {
		s += fmt.Sprintf(" (+%d more)", n)
	}
	return s
}

// EvidenceSummary is the review-level tally of evidence, for reports.
type EvidenceSummary struct {
	Paths     []string `json:"paths"`
	Partial   bool     `json:"partial"`
	Files     int      `json:"files"`
	Resources int      `json:"resources"`
	// Choices with evidence, by status.
	Supported int `json:"supported"`
	Refuted   int `json:"refuted"`
	PartialN  int `json:"partialEvidence"`
	Unknown   int `json:"unknown"`
	// QuestionsFromEvidence counts questions no person answered whose risk comes from evidence.
	QuestionsFromEvidence int `json:"questionsFromEvidence"`
	// Conflicts lists every choice where a person's answer and the evidence disagree.
	Conflicts []Conflict `json:"conflicts"`
}

// Conflict is a choice where a person's answer and the evidence disagree. The person's answer decides the risk; the
// conflict is shown so that one of them gets corrected.
type Conflict struct {
	Lens     string         `json:"lens"`
	Question string         `json:"question"`
	Choice   string         `json:"choice"`
	Ref      string         `json:"ref"`
	Answer   ChoiceStatus   `json:"answer"`
	Evidence EvidenceStatus `json:"evidence"`
	Message  string         `json:"message"`
}

// conflict describes the disagreement between a person's choice status and the evidence, or returns "".
func conflict(answer ChoiceStatus, ev *PracticeEvidence) string {
	if ev == nil {
		return ""
	}
	switch {
	case (answer == Selected || answer == NotApplicable) && ev.Status == EvidenceRefuted:
		how := "in place"
		if answer == NotApplicable {
			how = "not applicable"
		}
		return fmt.Sprintf("answered %s, but %s", how, ev.Summary())
	case answer == Unselected && ev.Status == EvidenceSupported:
		return fmt.Sprintf("answered not in place, but %s", ev.Summary())
	}
	return ""
}

// sortedRules returns the distinct rule IDs of findings, sorted.
func sortedRules(fs []EvidenceFinding) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			out = append(out, f.Rule)
		}
	}
	sort.Strings(out)
	return out
}

// NewPracticeEvidence decides a practice's status from the findings of the rules that speak to it. sufficient
// tells, per rule ID, whether the rule is declared sufficient for this practice.
//
// The order of the checks is the contract: any counted failure refutes; any unknown or suppressed result makes the
// evidence at best partial, because an unknown may hide a failure; a pass selects the choice only when it comes
// from a sufficient rule and every sufficient rule that ran passed.
func NewPracticeEvidence(ref string, findings []EvidenceFinding, sufficient map[string]bool) *PracticeEvidence {
	for i := range findings {
		findings[i].Sufficient = sufficient[findings[i].Rule]
	}
	p := &PracticeEvidence{Ref: ref, Findings: findings, Rules: sortedRules(findings)}
	var fails, unknowns, passes, sufficientPasses int
	for _, f := range findings {
		if !f.Counted() {
			// A suppressed failure is an accepted gap: it does not refute the practice, but the practice is not
			// shown to be in place either.
			unknowns++
			continue
		}
		switch f.Status {
		case "FAIL":
			fails++
		case "UNKNOWN":
			unknowns++
		case "PASS":
			passes++
			if sufficient[f.Rule] {
				sufficientPasses++
			}
		}
	}
	switch {
	case fails > 0:
		p.Status, p.Suggested = EvidenceRefuted, Unselected
	case unknowns == 0 && sufficientPasses > 0:
		p.Status, p.Suggested = EvidenceSupported, Selected
	case passes > 0:
		p.Status = EvidencePartial
	default:
		p.Status = EvidenceUnknown
	}
	return p
}
