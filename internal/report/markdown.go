package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/review"
)

// mdEscape keeps user text from breaking tables or turning into markup.
func mdEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "\r", "", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

func mdLink(text, url string) string {
	if url == "" {
		return mdEscape(text)
	}
	return fmt.Sprintf("[%s](%s)", mdEscape(text), strings.ReplaceAll(url, ")", "%29"))
}

func countsRow(label string, c review.Counts) string {
	return fmt.Sprintf("| %s | %d | %d | %d | %d | %d | %d |", label, c.High, c.Medium, c.None, c.NotApplicable, c.Unanswered, c.Total())
}

const countsHeader = "| %s | High | Medium | None | N/A | Unanswered | Total |\n|---|--:|--:|--:|--:|--:|--:|"

// Markdown writes the full review report as GitHub-flavoured Markdown.
func Markdown(w io.Writer, res *review.Result, plan *review.Plan, m Meta) error {
	ew := &errWriter{w: w}
	wl := res.Workload
	ew.printf("# Well-Architected review: %s\n\n", mdEscape(wl.Name))
	if wl.Description != "" {
		ew.printf("%s\n\n", mdEscape(wl.Description))
	}
	ew.printf("| | |\n|---|---|\n")
	facts := [][2]string{{"Environment", wl.Environment}, {"Regions", strings.Join(wl.Regions, ", ")}, {"Owner", wl.Owner}, {"Industry", wl.Industry}}
	for _, f := range facts {
		if f[1] != "" {
			ew.printf("| %s | %s |\n", f[0], mdEscape(f[1]))
		}
	}
	var lensNames []string
	for _, lr := range res.Lenses {
		n := lr.Name
		if lr.Version != "" {
			n += " " + lr.Version
		}
		lensNames = append(lensNames, n)
	}
	ew.printf("| Lenses | %s |\n", mdEscape(strings.Join(lensNames, ", ")))
	ew.printf("| Generated | %s by walens %s |\n\n", m.GeneratedAt.UTC().Format("2006-01-02 15:04 MST"), mdEscape(m.WalensVersion))

	ew.printf("## Summary\n\n")
	ew.printf(countsHeader+"\n", "Lens")
	for _, lr := range res.Lenses {
		ew.printf("%s\n", countsRow(mdEscape(lr.Name), lr.Counts))
	}
	if len(res.Lenses) > 1 {
		ew.printf("%s\n", countsRow("**Workload**", res.Totals))
	}
	ew.printf("\n")
	if e := res.Evidence; e != nil {
		ew.printf("## Evidence\n\n%s\n\n", mdEscape(evidenceHeadline(e)))
		if len(e.Conflicts) > 0 {
			ew.printf("**Conflicts between answers and evidence** (the answer decides the risk; correct one of them):\n\n")
			ew.printf("| Lens | Question | Best practice | Answer | Evidence |\n|---|---|---|---|---|\n")
			for _, c := range e.Conflicts {
				ew.printf("| %s | %s | %s | %s | %s |\n", mdEscape(c.Lens), mdEscape(c.Question), mdEscape(c.Ref), c.Answer, mdEscape(c.Message))
			}
			ew.printf("\n")
		}
	}

	for _, lr := range res.Lenses {
		ew.printf("## %s\n\n", mdEscape(lr.Name))
		ew.printf(countsHeader+"\n", capitalize(lr.GroupLabel))
		for _, g := range lr.ByPillar {
			ew.printf("%s\n", countsRow(mdEscape(g.Name), g.Counts))
		}
		ew.printf("\n")
		if mx := lr.Matrix; mx != nil {
			ew.printf("**Risk by %s and %s** (H high, M medium, OK no risk, NA not applicable, ? unanswered)\n\n", lr.GroupLabel, mx.Axis)
			ew.printf("| %s |", capitalize(lr.GroupLabel))
			for _, c := range mx.Columns {
				ew.printf(" %s |", mdEscape(c.Name))
			}
			ew.printf("\n|---|%s\n", strings.Repeat(":-:|", len(mx.Columns)))
			for _, r := range mx.Rows {
				ew.printf("| %s |", mdEscape(r.Name))
				for _, c := range r.Cells {
					ew.printf(" %s |", cellSummary(c))
				}
				ew.printf("\n")
			}
			ew.printf("\n")
		}
		ew.printf("### Questions\n\n")
		for _, q := range lr.Questions {
			ew.printf("#### %s %s: %s\n\n", riskBadge(q.Risk), mdEscape(q.Question.Label()), mdEscape(q.Title))
			rows := evidenceRows(q, m.LinkBase)
			if q.Risk == lens.RiskNotApplicable {
				ew.printf("Not applicable%s.\n\n", mdEscape(naDetail(q.Reason, q.Notes)))
				mdEvidence(ew, rows)
				continue
			}
			if q.Risk == lens.RiskUnanswered {
				ew.printf("Not answered yet.\n\n")
				mdEvidence(ew, rows)
				continue
			}
			if q.AnsweredBy == "evidence" {
				ew.printf("Answered from the scanned code, not by a person: confirm with the team.\n\n")
			}
			var done, na []string
			for _, c := range q.Choices {
				switch {
				case c.Choice.IsNone():
				case c.Status == review.Selected:
					done = append(done, mdEscape(c.Choice.Label()+" "+c.Title))
				case c.Status == review.NotApplicable:
					na = append(na, mdEscape(c.Choice.Label()+" "+c.Title+naDetail(c.Reason, c.Notes)))
				}
			}
			if len(done) > 0 {
				ew.printf("- In place: %s\n", strings.Join(done, "; "))
			}
			if len(na) > 0 {
				ew.printf("- Not applicable: %s\n", strings.Join(na, "; "))
			}
			for _, id := range q.Missing {
				c := q.Question.Choice(id)
				lvl := ""
				if l := review.LevelLabel(c.Risk); l != "" {
					lvl = " (" + strings.ToLower(l) + ")"
				}
				ew.printf("- Missing%s: %s\n", lvl, mdLink(c.Label()+" "+c.Title, c.Link()))
			}
			if q.Notes != "" {
				ew.printf("- Notes: %s\n", mdEscape(q.Notes))
			}
			ew.printf("\n")
			mdEvidence(ew, rows)
		}
	}

	ew.printf("## Improvement plan\n\n")
	if len(plan.Items) == 0 {
		ew.printf("Nothing to improve in the answered questions.\n")
	} else {
		ew.printf("%d items: %d high, %d medium, %d low.", len(plan.Items), plan.Count("HIGH"), plan.Count("MEDIUM"), plan.Count("LOW"))
		if len(wl.PillarPriorities) > 0 {
			ew.printf(" Pillar priorities: %s.", mdEscape(strings.Join(wl.PillarPriorities, " > ")))
		}
		ew.printf("\n\n| # | Level | Best practice | Question | Action |\n|--:|---|---|---|---|\n")
		for _, it := range plan.Items {
			ew.printf("| %d | %s | %s | %s %s | %s |\n", it.Rank, it.Level, mdLink(labelOr(it.ChoiceRef, it.Choice)+" "+it.ChoiceTitle, it.URL),
				mdEscape(it.Lens), mdEscape(labelOr(it.QuestionRef, it.Question)), mdEscape(it.Action))
		}
	}
	if n := len(plan.Unanswered); n > 0 {
		ew.printf("\n%s not answered yet and so not in the plan.\n", plural(n, "question is", "questions are"))
	}
	return ew.err
}

// mdEvidence writes a question's evidence table: each practice with evidence, how it is answered, and the findings
// with links to file and line.
func mdEvidence(ew *errWriter, rows []evidenceRow) {
	if len(rows) == 0 {
		return
	}
	ew.printf("| Best practice | Answer | Evidence |\n|---|---|---|\n")
	for _, r := range rows {
		var cells []string
		for _, f := range r.Findings {
			c := fmt.Sprintf("%s %s %s: %s", f.Status, f.Rule, mdLink(f.Text, f.Href), mdEscape(f.Message))
			if f.Suppressed != "" {
				c += " (suppressed: " + mdEscape(f.Suppressed) + ")"
			}
			cells = append(cells, c)
		}
		ev := "**" + evidenceStatusMark(r.Status) + "**"
		if r.Conflict != "" {
			ev += " ⚠ conflict: " + mdEscape(r.Conflict)
		}
		ew.printf("| %s | %s | %s<br>%s |\n", mdEscape(r.Label+" "+r.Title), r.Answer, ev, strings.Join(cells, "<br>"))
	}
	ew.printf("\n")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func riskBadge(r lens.Risk) string {
	switch r {
	case lens.RiskHigh:
		return "**HIGH**"
	case lens.RiskMedium:
		return "**MEDIUM**"
	case lens.RiskNone:
		return "NONE"
	case lens.RiskNotApplicable:
		return "N/A"
	}
	return "UNANSWERED"
}

func cellSummary(c review.Counts) string {
	if c.Total() == 0 {
		return ""
	}
	var parts []string
	if c.High > 0 {
		parts = append(parts, fmt.Sprintf("%dH", c.High))
	}
	if c.Medium > 0 {
		parts = append(parts, fmt.Sprintf("%dM", c.Medium))
	}
	if c.None > 0 {
		parts = append(parts, fmt.Sprintf("%dOK", c.None))
	}
	if c.NotApplicable > 0 {
		parts = append(parts, fmt.Sprintf("%dNA", c.NotApplicable))
	}
	if c.Unanswered > 0 {
		parts = append(parts, fmt.Sprintf("%d?", c.Unanswered))
	}
	return strings.Join(parts, " ")
}

// PlanMarkdown writes only the improvement plan.
func PlanMarkdown(w io.Writer, res *review.Result, plan *review.Plan, limit int) error {
	ew := &errWriter{w: w}
	ew.printf("# Improvement plan: %s\n\n", mdEscape(res.Workload.Name))
	items := plan.Items
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	ew.printf("| # | Level | Best practice | Question | Action |\n|--:|---|---|---|---|\n")
	for _, it := range items {
		ew.printf("| %d | %s | %s | %s %s | %s |\n", it.Rank, it.Level, mdLink(labelOr(it.ChoiceRef, it.Choice)+" "+it.ChoiceTitle, it.URL),
			mdEscape(it.Lens), mdEscape(labelOr(it.QuestionRef, it.Question)), mdEscape(it.Action))
	}
	return ew.err
}

// DiffMarkdown writes a comparison as Markdown, for pull-request comments.
func DiffMarkdown(w io.Writer, d *review.Diff) error {
	ew := &errWriter{w: w}
	ew.printf("## Review changes: %s to %s\n\n", mdEscape(d.From), mdEscape(d.To))
	ew.printf(countsHeader+"\n%s\n%s\n\n", "State", countsRow(mdEscape(d.From), d.FromTotals), countsRow(mdEscape(d.To), d.ToTotals))
	if len(d.Changes) == 0 {
		ew.printf("No question changed risk.\n")
		return ew.err
	}
	ew.printf("| Change | Lens | Question | From | To |\n|---|---|---|---|---|\n")
	for _, c := range d.Changes {
		ew.printf("| %s | %s | %s %s | %s | %s |\n", c.Kind, mdEscape(c.Lens), mdEscape(labelOr(c.Ref, c.Question)), mdEscape(c.Title), riskLabel(c.From), riskLabel(c.To))
	}
	return ew.err
}
