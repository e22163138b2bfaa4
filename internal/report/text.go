package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/review"
)

// Summary writes the terminal risk summary: counts per lens and pillar, then the questions at high risk.
func Summary(w io.Writer, res *review.Result, plan *review.Plan, s Style) error {
	ew := &errWriter{w: w}
	ew.printf("%s  %s\n", s.Bold("walens review: "+res.Workload.Name), s.Dim(workloadLine(res.Workload)))
	if res.Workload.Description != "" {
		ew.printf("%s\n", Wrap(res.Workload.Description, s.LineWidth(), ""))
	}
	ew.printf("\n")

	t := table{align: []bool{false, true, true, true, true, true, true}}
	t.add(cell{text: ""}, cell{text: "HIGH"}, cell{text: "MEDIUM"}, cell{text: "NONE"}, cell{text: "N/A"}, cell{text: "UNANSWERED"}, cell{text: "TOTAL"})
	row := func(label string, c review.Counts, bold bool) {
		first := cell{text: label}
		if bold {
			first.paint = s.Bold
		}
		t.add(first,
			cell{text: nz(c.High), paint: func(x string) string { return s.Risk(lens.RiskHigh, x) }},
			cell{text: nz(c.Medium), paint: func(x string) string { return s.Risk(lens.RiskMedium, x) }},
			cell{text: nz(c.None), paint: func(x string) string { return s.Risk(lens.RiskNone, x) }},
			cell{text: nz(c.NotApplicable)}, cell{text: nz(c.Unanswered)}, cell{text: fmt.Sprint(c.Total())})
	}
	for _, lr := range res.Lenses {
		row(lr.ID, lr.Counts, true)
		for _, g := range lr.ByPillar {
			row("  "+g.Name, g.Counts, false)
		}
	}
	if len(res.Lenses) > 1 {
		row("workload", res.Totals, true)
	}
	t.write(ew)

	var high []*review.QuestionResult
	for _, lr := range res.Lenses {
		for _, q := range lr.Questions {
			if q.Risk == lens.RiskHigh {
				high = append(high, q)
			}
		}
	}
	if len(high) > 0 {
		ew.printf("\n%s\n", s.Bold(fmt.Sprintf("High-risk questions (%d)", len(high))))
		for _, q := range high {
			head := q.Lens.ID + " " + q.Question.Label()
			title := strings.TrimPrefix(Wrap(head+" "+q.Title, s.LineWidth(), "       "), "       "+head+" ")
			ew.printf("  %s %s %s\n", s.Risk(lens.RiskHigh, "HIGH"), s.Bold(head), title)
			var missing []string
			for _, id := range q.Missing {
				c := q.Question.Choice(id)
				if c.Risk == lens.LevelHigh || c.Risk == "" {
					missing = append(missing, c.Label()+" "+c.Title)
				}
			}
			if len(missing) > 0 {
				ew.printf("%s\n", s.Dim(Wrap("missing: "+strings.Join(missing, "; "), s.LineWidth(), "       ")))
			}
		}
	}
	if e := res.Evidence; e != nil {
		ew.printf("\n%s\n", Wrap(evidenceHeadline(e), s.LineWidth(), ""))
		if n := len(e.Conflicts); n > 0 {
			ew.printf("%s\n", s.Risk(lens.RiskMedium, fmt.Sprintf("Conflicts between answers and evidence (%d); the answers decide the risk:", n)))
			for _, c := range e.Conflicts {
				ew.printf("  %s\n%s\n", s.Bold(c.Lens+" "+c.Question+" "+c.Ref), Wrap(c.Message, s.LineWidth(), "      "))
			}
		}
	}
	ew.printf("\n")
	c := res.Totals
	switch {
	case c.Unanswered == c.Total():
		ew.printf("No question is answered yet. Start with: walens review answer %s\n", res.File)
	default:
		ew.printf("%d of %d questions answered: %s, %s.\n", c.Answered(), c.Total(),
			s.Risk(lens.RiskHigh, plural(c.High, "high risk", "high risks")), s.Risk(lens.RiskMedium, plural(c.Medium, "medium risk", "medium risks")))
		if plan != nil && len(plan.Items) > 0 {
			ew.printf("Improvement plan: %s to put in place (%d whose absence is high risk, %d medium): walens review plan %s\n",
				plural(len(plan.Items), "best practice", "best practices"), plan.Count("HIGH"), plan.Count("MEDIUM"), res.File)
		}
		if c.Unanswered > 0 {
			ew.printf("%s unanswered: walens review answer %s\n", plural(c.Unanswered, "question", "questions"), res.File)
		}
	}
	return ew.err
}

func nz(n int) string {
	if n == 0 {
		return "·"
	}
	return fmt.Sprint(n)
}

// PlanText writes the improvement plan for a terminal. limit > 0 shows only the first items.
func PlanText(w io.Writer, res *review.Result, plan *review.Plan, limit int, s Style) error {
	ew := &errWriter{w: w}
	ew.printf("%s  %s\n", s.Bold("Improvement plan: "+res.Workload.Name), s.Dim(fmt.Sprintf("%d items: %d high, %d medium, %d low",
		len(plan.Items), plan.Count("HIGH"), plan.Count("MEDIUM"), plan.Count("LOW"))))
	if len(res.Workload.PillarPriorities) > 0 {
		ew.printf("%s\n", s.Dim("Pillar priorities: "+strings.Join(res.Workload.PillarPriorities, " > ")))
	}
	items := plan.Items
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	for _, it := range items {
		ew.printf("\n%s %s %s  %s\n", s.Dim(fmt.Sprintf("%3d.", it.Rank)), s.Level(it.Level, fmt.Sprintf("%-6s", it.Level)),
			s.Bold(labelOr(it.ChoiceRef, it.Choice)), it.ChoiceTitle)
		ew.printf("%s\n", s.Dim(Wrap(fmt.Sprintf("%s · %s %s (%s)", it.Lens, labelOr(it.QuestionRef, it.Question), it.PillarName, riskLabel(it.QuestionRisk)), s.LineWidth(), "            ")))
		if it.Action != "" {
			ew.printf("%s\n", Wrap(it.Action, s.LineWidth(), "            "))
		}
		if it.URL != "" {
			ew.printf("            %s\n", s.Paint(ansiBlue, it.URL))
		}
	}
	if limit > 0 && len(plan.Items) > limit {
		ew.printf("\n%s\n", s.Dim(fmt.Sprintf("... %d more; use --limit 0 to see all", len(plan.Items)-limit)))
	}
	if len(plan.Items) == 0 {
		ew.printf("\nNothing to improve in the answered questions.\n")
	}
	if n := len(plan.Unanswered); n > 0 {
		ew.printf("\n%s not answered yet, so not in the plan: walens review answer %s\n", plural(n, "question is", "questions are"), res.File)
	}
	return ew.err
}

func labelOr(ref, id string) string {
	if ref != "" {
		return ref
	}
	return id
}

// DiffText writes a comparison of two review states.
func DiffText(w io.Writer, d *review.Diff, s Style) error {
	ew := &errWriter{w: w}
	ew.printf("%s\n", s.Bold(fmt.Sprintf("Changes from %s to %s", d.From, d.To)))
	ew.printf("  %-10s high %d, medium %d, none %d, n/a %d, unanswered %d\n", d.From, d.FromTotals.High, d.FromTotals.Medium, d.FromTotals.None, d.FromTotals.NotApplicable, d.FromTotals.Unanswered)
	ew.printf("  %-10s high %d, medium %d, none %d, n/a %d, unanswered %d\n", d.To, d.ToTotals.High, d.ToTotals.Medium, d.ToTotals.None, d.ToTotals.NotApplicable, d.ToTotals.Unanswered)
	if len(d.Changes) == 0 {
		ew.printf("\nNo question changed risk.\n")
		return ew.err
	}
	for _, kind := range review.ChangeKinds {
		var group []review.Change
		for _, c := range d.Changes {
			if c.Kind == kind {
				group = append(group, c)
			}
		}
		if len(group) == 0 {
			continue
		}
		ew.printf("\n%s (%d)\n", s.Bold(kindTitle(kind)), len(group))
		for _, c := range group {
			arrow := fmt.Sprintf("%s -> %s", riskLabel(c.From), riskLabel(c.To))
			ew.printf("  %-28s %s %s\n", s.Risk(c.To, arrow), s.Bold(c.Lens+" "+labelOr(c.Ref, c.Question)), c.Title)
		}
	}
	return ew.err
}

func kindTitle(k review.ChangeKind) string {
	switch k {
	case review.Regressed:
		return "Regressed risks"
	case review.New:
		return "New risks"
	case review.Resolved:
		return "Resolved risks"
	case review.Improved:
		return "Improved (high to medium)"
	case review.Reopened:
		return "No longer answered"
	case review.Answered:
		return "Newly answered, no risk"
	case review.Dropped:
		return "No longer in the review"
	}
	return "Other changes"
}

// CheckText writes the outcome of the CI gate.
func CheckText(w io.Writer, c *review.CheckResult, s Style) error {
	ew := &errWriter{w: w}
	scope := fmt.Sprintf("risks at %s or above", c.FailOn)
	if c.Baseline != "" {
		scope = fmt.Sprintf("new or regressed %s against milestone %q", scope, c.Baseline)
	}
	if c.Passed {
		ew.printf("%s no %s (high %d, medium %d, unanswered %d)\n", s.Risk(lens.RiskNone, "PASS"), scope, c.Totals.High, c.Totals.Medium, c.Totals.Unanswered)
		return ew.err
	}
	ew.printf("%s %s: %s\n", s.Risk(lens.RiskHigh, "FAIL"), scope, plural(len(c.Findings), "finding", "findings"))
	for _, f := range c.Findings {
		ew.printf("  %s %s %s\n", s.Risk(f.Risk, fmt.Sprintf("%-10s", riskLabel(f.Risk))), s.Bold(f.Lens+" "+labelOr(f.Ref, f.Question)), f.Title)
		detail := f.Why
		if len(f.Missing) > 0 {
			detail += "; missing: " + strings.Join(f.Missing, "; ")
		}
		ew.printf("%s\n", s.Dim(Wrap(detail, s.LineWidth(), "             ")))
	}
	return ew.err
}

// errWriter remembers the first write error so that rendering code can stay linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// cell is table text with an optional colouring applied after padding, so colour codes never skew alignment.
type cell struct {
	text  string
	paint func(string) string
}

type table struct {
	align []bool // true: right-align the column
	rows  [][]cell
}

func (t *table) add(cells ...cell) { t.rows = append(t.rows, cells) }

func (t *table) write(w *errWriter) {
	widths := map[int]int{}
	for _, r := range t.rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c.text))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c.text))
			text := c.text
			if c.paint != nil {
				text = c.paint(text)
			}
			if i > 0 {
				b.WriteString("  ")
			}
			if i < len(t.align) && t.align[i] {
				b.WriteString(pad + text)
			} else {
				b.WriteString(text + pad)
			}
		}
		w.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
}
