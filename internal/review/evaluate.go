package review

import (
	"slices"
	"sort"

	"github.com/walens/walens/internal/lens"
)

// Counts tallies questions by risk, keyed as in the WA Tool's RiskCounts.
type Counts struct {
	Unanswered    int `json:"UNANSWERED"`
	High          int `json:"HIGH"`
	Medium        int `json:"MEDIUM"`
	None          int `json:"NONE"`
	NotApplicable int `json:"NOT_APPLICABLE"`
}

// Add counts one question of the given risk.
func (c *Counts) Add(r lens.Risk) {
	switch r {
	case lens.RiskHigh:
		c.High++
	case lens.RiskMedium:
		c.Medium++
	case lens.RiskNone:
		c.None++
	case lens.RiskNotApplicable:
		c.NotApplicable++
	default:
		c.Unanswered++
	}
}

// Merge adds another tally into c.
func (c *Counts) Merge(o Counts) {
	c.Unanswered += o.Unanswered
	c.High += o.High
	c.Medium += o.Medium
	c.None += o.None
	c.NotApplicable += o.NotApplicable
}

// Get returns the count for one risk.
func (c Counts) Get(r lens.Risk) int {
	switch r {
	case lens.RiskHigh:
		return c.High
	case lens.RiskMedium:
		return c.Medium
	case lens.RiskNone:
		return c.None
	case lens.RiskNotApplicable:
		return c.NotApplicable
	default:
		return c.Unanswered
	}
}

// Total is the number of questions counted.
func (c Counts) Total() int { return c.Unanswered + c.High + c.Medium + c.None + c.NotApplicable }

// Answered is the number of questions that have an answer, including those marked not applicable.
func (c Counts) Answered() int { return c.Total() - c.Unanswered }

// Worst is the highest risk present, for colouring: HIGH, MEDIUM, NONE, or UNANSWERED when nothing is answered.
func (c Counts) Worst() lens.Risk {
	switch {
	case c.High > 0:
		return lens.RiskHigh
	case c.Medium > 0:
		return lens.RiskMedium
	case c.None > 0:
		return lens.RiskNone
	case c.NotApplicable > 0:
		return lens.RiskNotApplicable
	}
	return lens.RiskUnanswered
}

// Group is a tally for one pillar, focus area, phase or dimension.
type Group struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Counts Counts `json:"counts"`
}

// Matrix crosses pillars with a second axis (lifecycle phases, or dimensions for lenses without phases) for heat
// maps. A question counts in every cell of its pillar row whose column it belongs to.
type Matrix struct {
	Axis    string      `json:"axis"` // "phase" or "dimension"
	Columns []Group     `json:"columns"`
	Rows    []MatrixRow `json:"rows"`
}

// MatrixRow is one pillar's row of a matrix.
type MatrixRow struct {
	Group
	Cells []Counts `json:"cells"`
}

// Result is an evaluated review.
type Result struct {
	File     string        `json:"file"`
	Workload Workload      `json:"workload"`
	Totals   Counts        `json:"totals"`
	ByPillar []Group       `json:"byPillar"` // across lenses, merged by pillar ID
	Lenses   []*LensResult `json:"lenses"`
	// Evidence summarises what scanning the workload's infrastructure code showed; nil when no scan ran.
	Evidence *EvidenceSummary `json:"evidence,omitempty"`
}

// LensResult is the evaluation of one lens review.
type LensResult struct {
	Lens        *lens.Lens        `json:"-"`
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Version     string            `json:"version,omitempty"`
	GroupLabel  string            `json:"groupLabel"`
	Source      string            `json:"source"`
	Counts      Counts            `json:"counts"`
	ByPillar    []Group           `json:"byPillar"`
	ByPhase     []Group           `json:"byPhase,omitempty"`
	ByDimension []Group           `json:"byDimension,omitempty"`
	Matrix      *Matrix           `json:"matrix,omitempty"`
	Questions   []*QuestionResult `json:"questions"`
}

// QuestionResult is the evaluation of one question.
type QuestionResult struct {
	Lens     *lens.Lens     `json:"-"`
	Pillar   *lens.Pillar   `json:"-"`
	Question *lens.Question `json:"-"`

	ID         string         `json:"id"`
	Ref        string         `json:"ref,omitempty"`
	Title      string         `json:"title"`
	PillarID   string         `json:"pillar"`
	Phases     []string       `json:"phases,omitempty"`
	Risk       lens.Risk      `json:"risk"`
	Reason     Reason         `json:"reason,omitempty"`
	Notes      string         `json:"notes,omitempty"`
	Choices    []ChoiceResult `json:"choices"`
	Missing    []string       `json:"missing,omitempty"` // best practices not in place, most important first
	Dimensions []string       `json:"dimensions,omitempty"`
	// AnsweredBy is "person" when the workload file answers the question, "evidence" when no person did and the
	// scanned code selected at least one choice, and empty when unanswered.
	AnsweredBy string `json:"answeredBy,omitempty"`
}

// ChoiceResult is one choice's status in a question result.
type ChoiceResult struct {
	Choice *lens.Choice `json:"-"`

	ID     string       `json:"id"`
	Ref    string       `json:"ref,omitempty"`
	Title  string       `json:"title"`
	Level  lens.Level   `json:"level,omitempty"`
	Status ChoiceStatus `json:"status"`
	Reason Reason       `json:"reason,omitempty"`
	Notes  string       `json:"notes,omitempty"`
	// Evidence is what scanned code says about the choice's best practice, when it says anything.
	Evidence *PracticeEvidence `json:"evidence,omitempty"`
	// Conflict describes a disagreement between the person's answer and the evidence; the answer wins.
	Conflict string `json:"conflict,omitempty"`
}

// Evaluate computes every question's risk and the roll-ups per pillar, phase, dimension, lens and workload.
//
// A choice marked NOT_APPLICABLE counts as done when rules are evaluated: it is not a gap in the workload. A
// question is answered once any choice is selected or marked not applicable; a question marked not applicable
// counts as NOT_APPLICABLE whatever its choices say.
func Evaluate(r *Review) *Result {
	res := &Result{File: r.Path, Workload: r.File.Workload}
	pillarTotals := map[string]*Group{}
	var pillarOrder []string
	for _, l := range r.Lenses {
		lr := evaluateLens(l, r.answers[l.ID], r.Evidence)
		res.Lenses = append(res.Lenses, lr)
		res.Totals.Merge(lr.Counts)
		for _, g := range lr.ByPillar {
			t, ok := pillarTotals[g.ID]
			if !ok {
				t = &Group{ID: g.ID, Name: g.Name}
				pillarTotals[g.ID] = t
				pillarOrder = append(pillarOrder, g.ID)
			}
			t.Counts.Merge(g.Counts)
		}
	}
	for _, id := range pillarOrder {
		res.ByPillar = append(res.ByPillar, *pillarTotals[id])
	}
	if r.Evidence != nil {
		res.Evidence = summarizeEvidence(r.Evidence, res)
	}
	return res
}

// summarizeEvidence tallies the evidence over the review's choices and lists every conflict.
func summarizeEvidence(ev *Evidence, res *Result) *EvidenceSummary {
	s := &EvidenceSummary{Paths: ev.Paths, Partial: ev.Partial, Files: ev.Files, Resources: ev.Resources, Conflicts: []Conflict{}}
	for _, lr := range res.Lenses {
		for _, q := range lr.Questions {
			if q.AnsweredBy == "evidence" {
				s.QuestionsFromEvidence++
			}
			for _, c := range q.Choices {
				if c.Evidence == nil {
					continue
				}
				switch c.Evidence.Status {
				case EvidenceSupported:
					s.Supported++
				case EvidenceRefuted:
					s.Refuted++
				case EvidencePartial:
					s.PartialN++
				default:
					s.Unknown++
				}
				if c.Conflict != "" {
					s.Conflicts = append(s.Conflicts, Conflict{Lens: lr.ID, Question: q.ID, Choice: c.ID, Ref: c.Ref,
						Answer: c.Status, Evidence: c.Evidence.Status, Message: c.Conflict})
				}
			}
		}
	}
	return s
}

func evaluateLens(l *lens.Lens, answers map[string]*resolved, ev *Evidence) *LensResult {
	lr := &LensResult{Lens: l, ID: l.ID, Name: l.Name, Version: l.Version, GroupLabel: l.GroupName(), Source: l.Source}
	phaseCounts := make([]Counts, len(l.Phases))
	dimCounts := make([]Counts, len(l.Dimensions))
	for pi := range l.Pillars {
		p := &l.Pillars[pi]
		g := Group{ID: p.ID, Name: p.Name}
		for qi := range p.Questions {
			qr := evaluateQuestion(l, p, &p.Questions[qi], answers[p.Questions[qi].ID], ev)
			lr.Questions = append(lr.Questions, qr)
			g.Counts.Add(qr.Risk)
			lr.Counts.Add(qr.Risk)
			for i, ph := range l.Phases {
				if slices.Contains(qr.Phases, ph.ID) {
					phaseCounts[i].Add(qr.Risk)
				}
			}
			for i, d := range l.Dimensions {
				if slices.Contains(qr.Dimensions, d.ID) {
					dimCounts[i].Add(qr.Risk)
				}
			}
		}
		lr.ByPillar = append(lr.ByPillar, g)
	}
	for i, ph := range l.Phases {
		lr.ByPhase = append(lr.ByPhase, Group{ID: ph.ID, Name: ph.Name, Counts: phaseCounts[i]})
	}
	for i, d := range l.Dimensions {
		lr.ByDimension = append(lr.ByDimension, Group{ID: d.ID, Name: d.Name, Counts: dimCounts[i]})
	}
	lr.Matrix = matrix(l, lr)
	return lr
}

func matrix(l *lens.Lens, lr *LensResult) *Matrix {
	m := &Matrix{Axis: "phase"}
	columns := lr.ByPhase
	member := func(q *QuestionResult, id string) bool { return slices.Contains(q.Phases, id) }
	if len(columns) == 0 {
		m.Axis = "dimension"
		columns = lr.ByDimension
		member = func(q *QuestionResult, id string) bool { return slices.Contains(q.Dimensions, id) }
	}
	if len(columns) == 0 {
		return nil
	}
	for _, c := range columns {
		m.Columns = append(m.Columns, Group{ID: c.ID, Name: c.Name, Counts: c.Counts})
	}
	for _, g := range lr.ByPillar {
		row := MatrixRow{Group: g, Cells: make([]Counts, len(columns))}
		for _, q := range lr.Questions {
			if q.PillarID != g.ID {
				continue
			}
			for i, c := range columns {
				if member(q, c.ID) {
					row.Cells[i].Add(q.Risk)
				}
			}
		}
		m.Rows = append(m.Rows, row)
	}
	return m
}

func evaluateQuestion(l *lens.Lens, p *lens.Pillar, q *lens.Question, a *resolved, ev *Evidence) *QuestionResult {
	qr := &QuestionResult{Lens: l, Pillar: p, Question: q, ID: q.ID, Ref: q.Ref, Title: q.Title, PillarID: p.ID, Phases: q.Phases}
	byPerson := a != nil && (a.NotApplicable || answered(a))
	if byPerson {
		qr.AnsweredBy = "person"
	}
	dims := map[string]bool{}
	for i := range q.Choices {
		c := &q.Choices[i]
		cr := ChoiceResult{Choice: c, ID: c.ID, Ref: c.Ref, Title: c.Title, Level: c.Risk, Status: Unselected}
		if a != nil {
			if ca, ok := a.Choices[c.ID]; ok {
				cr.Status, cr.Reason, cr.Notes = ca.Status, ca.Reason, ca.Notes
			}
		}
		if ev != nil && c.Ref != "" && !c.IsNone() {
			cr.Evidence = ev.Practices[c.Ref]
			if byPerson && !(a.NotApplicable && cr.Status == Unselected) {
				cr.Conflict = conflict(cr.Status, cr.Evidence)
			}
		}
		qr.Choices = append(qr.Choices, cr)
		for _, d := range c.Dimensions {
			dims[d] = true
		}
	}
	for _, d := range l.Dimensions {
		if dims[d.ID] {
			qr.Dimensions = append(qr.Dimensions, d.ID)
		}
	}
	if a != nil {
		qr.Notes, qr.Reason = a.Notes, a.Reason
	}
	if !byPerson {
		a = fromEvidence(qr)
		if a != nil {
			qr.AnsweredBy = "evidence"
		}
	}
	switch {
	case a != nil && a.NotApplicable:
		qr.Risk = lens.RiskNotApplicable
		return qr
	case a == nil || !answered(a):
		qr.Risk = lens.RiskUnanswered
		return qr
	}
	done := func(id string) bool {
		s := a.Choices[id].Status
		return s == Selected || s == NotApplicable
	}
	qr.Risk = q.Evaluate(done)
	var missing []*lens.Choice
	for i := range q.Choices {
		c := &q.Choices[i]
		if !c.IsNone() && !done(c.ID) {
			missing = append(missing, c)
		}
	}
	sort.SliceStable(missing, func(i, j int) bool { return missing[i].Risk.Rank() < missing[j].Risk.Rank() })
	for _, c := range missing {
		qr.Missing = append(qr.Missing, c.ID)
	}
	return qr
}

// fromEvidence builds an answer from the choices evidence supports, for a question no person answered; nil when
// evidence supports none. The choice results are updated to show the evidence-derived status.
func fromEvidence(qr *QuestionResult) *resolved {
	var a *resolved
	for i := range qr.Choices {
		c := &qr.Choices[i]
		if c.Evidence == nil || c.Evidence.Suggested != Selected {
			continue
		}
		if a == nil {
			a = &resolved{Choices: map[string]ChoiceAnswer{}}
		}
		a.Choices[c.ID] = ChoiceAnswer{Status: Selected}
		c.Status = Selected
	}
	return a
}

func answered(a *resolved) bool {
	for _, ca := range a.Choices {
		if ca.Status == Selected || ca.Status == NotApplicable {
			return true
		}
	}
	return false
}

// Question finds a question result by lens and question ID.
func (r *Result) Question(lensID, questionID string) *QuestionResult {
	for _, lr := range r.Lenses {
		if lr.ID != lensID {
			continue
		}
		for _, q := range lr.Questions {
			if q.ID == questionID {
				return q
			}
		}
	}
	return nil
}

// Describe gives the reference, title and pillar of a question of the result, for labelling diffs.
func (r *Result) Describe(lensID, questionID string) (ref, title, pillar string, ok bool) {
	q := r.Question(lensID, questionID)
	if q == nil {
		return "", "", "", false
	}
	return q.Ref, q.Title, q.PillarID, true
}
