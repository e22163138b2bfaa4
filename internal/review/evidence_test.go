package review

import (
	"strings"
	"testing"

	"github.com/walens/walens/internal/lens"
)

func TestNewPracticeEvidence(t *testing.T) {
	f := func(rule, status, suppressed string) EvidenceFinding {
		return EvidenceFinding{Rule: rule, Status: status, Severity: "HIGH", File: "main.tf", Line: 3, Suppressed: suppressed}
	}
	sufficient := map[string]bool{"WL-A-001": true}
	cases := []struct {
		name      string
		findings  []EvidenceFinding
		status    EvidenceStatus
		suggested ChoiceStatus
	}{
		{"a sufficient pass supports", []EvidenceFinding{f("WL-A-001", "PASS", "")}, EvidenceSupported, Selected},
		{"a pass that is not sufficient is partial", []EvidenceFinding{f("WL-B-001", "PASS", "")}, EvidencePartial, ""},
		{"any failure refutes", []EvidenceFinding{f("WL-A-001", "PASS", ""), f("WL-B-001", "FAIL", "")}, EvidenceRefuted, Unselected},
		{"an unknown may hide a failure", []EvidenceFinding{f("WL-A-001", "PASS", ""), f("WL-B-001", "UNKNOWN", "")}, EvidencePartial, ""},
		{"only unknowns", []EvidenceFinding{f("WL-A-001", "UNKNOWN", "")}, EvidenceUnknown, ""},
		{"a suppressed failure neither refutes nor allows support", []EvidenceFinding{f("WL-A-001", "PASS", ""), f("WL-B-001", "FAIL", "accepted")}, EvidencePartial, ""},
	}
	for _, c := range cases {
		p := NewPracticeEvidence("X-BP01", c.findings, sufficient)
		if p.Status != c.status || p.Suggested != c.suggested {
			t.Errorf("%s: got %s/%q, want %s/%q", c.name, p.Status, p.Suggested, c.status, c.suggested)
		}
	}
}

// TestEvaluateWithEvidence covers the contract with reviews: a person's answer decides the risk, disagreements are
// conflicts, and evidence answers only questions nobody answered.
func TestEvaluateWithEvidence(t *testing.T) {
	r := load(t, tinyHead+`answers:
  tiny:
    sec01:
      selected: [sec01_bp01, sec01_bp02]
    sec02:
      selected: [sec02_no]
`)
	ev := func(ref string, status string, rule string, sufficient bool) *PracticeEvidence {
		return NewPracticeEvidence(ref, []EvidenceFinding{{Rule: rule, Status: status, Severity: "HIGH", File: "infra/main.tf", Line: 7, Message: "m"}},
			map[string]bool{rule: sufficient})
	}
	r.Evidence = &Evidence{Paths: []string{"infra"}, Files: 3, Resources: 9, Practices: map[string]*PracticeEvidence{
		"SEC01-BP02": ev("SEC01-BP02", "FAIL", "WL-X-001", false), // answered in place, refuted
		"SEC02-BP01": ev("SEC02-BP01", "PASS", "WL-X-002", true),  // answered not in place, supported
		"REL01-BP01": ev("REL01-BP01", "PASS", "WL-X-003", true),  // unanswered question: evidence answers it
		"REL01-BP02": ev("REL01-BP02", "FAIL", "WL-X-004", false), // refuted: shown, does not answer
	}}
	res := Evaluate(r)

	sec01 := res.Question("tiny", "sec01")
	if sec01.Risk != lens.RiskNone || sec01.AnsweredBy != "person" {
		t.Errorf("the person's answer must decide sec01: %s by %s", sec01.Risk, sec01.AnsweredBy)
	}
	if c := sec01.Choices[1]; c.Status != Selected || !strings.HasPrefix(c.Conflict, "answered in place, but refuted by WL-X-001 at infra/main.tf:7") {
		t.Errorf("sec01_bp02: %+v", c)
	}
	if c := res.Question("tiny", "sec02").Choices[0]; !strings.HasPrefix(c.Conflict, "answered not in place, but supported by WL-X-002") {
		t.Errorf("sec02_bp01 conflict = %q", c.Conflict)
	}
	rel01 := res.Question("tiny", "rel01")
	if rel01.AnsweredBy != "evidence" || rel01.Choices[0].Status != Selected || rel01.Choices[1].Status != Unselected || rel01.Risk != lens.RiskHigh {
		t.Errorf("rel01 from evidence: by %q risk %s choices %+v", rel01.AnsweredBy, rel01.Risk, rel01.Choices)
	}
	if rel01.Choices[1].Conflict != "" {
		t.Error("evidence-derived answers cannot conflict with themselves")
	}
	s := res.Evidence
	if s.Supported != 2 || s.Refuted != 2 || s.QuestionsFromEvidence != 1 || len(s.Conflicts) != 2 {
		t.Errorf("summary: %+v", s)
	}
	if res.Totals.Unanswered != 0 {
		t.Errorf("totals: %+v", res.Totals)
	}

	// A question marked not applicable does not conflict on choices it never answered.
	r2 := load(t, tinyHead+`answers:
  tiny:
    sec01:
      applicable: false
      reason: OUT_OF_SCOPE
`)
	r2.Evidence = r.Evidence
	for _, c := range Evaluate(r2).Question("tiny", "sec01").Choices {
		if c.Conflict != "" {
			t.Errorf("not-applicable question: choice %s conflict %q", c.ID, c.Conflict)
		}
	}
}
