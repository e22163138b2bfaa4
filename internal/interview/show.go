package interview

import (
	"fmt"
	"io"
	"strings"

	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/report"
	"github.com/walens/walens/internal/review"
)

func showQuestion(out io.Writer, s report.Style, l *lens.Lens, ref lens.QuestionRef, n, total int, current *review.Answer, elsewhere func(ref string) string) {
	q := ref.Question
	where := []string{l.ID, ref.Pillar.Name}
	for _, ph := range q.Phases {
		if p := l.Phase(ph); p != nil {
			where = append(where, p.Name)
		}
	}
	fmt.Fprintf(out, "\n%s %s\n", s.Dim(fmt.Sprintf("[%d/%d]", n, total)), s.Dim(strings.Join(where, " · ")))
	fmt.Fprintf(out, "%s %s\n", s.Bold(q.Label()), s.Bold(q.Title))
	fmt.Fprintf(out, "%s\n\n", s.Dim(report.Wrap(q.Description, s.LineWidth(), "  ")))
	status := map[string]string{}
	if current != nil {
		for _, id := range current.Selected {
			status[id] = "x"
		}
		for id, ca := range current.Choices {
			if ca.Status == review.NotApplicable {
				status[id] = "-"
			} else if ca.Status == review.Selected {
				status[id] = "x"
			}
		}
	}
	for i, c := range practiceChoices(q) {
		mark := " "
		if m, ok := status[c.ID]; ok {
			mark = m
		}
		level := ""
		if c.Risk != "" {
			level = s.Level(review.LevelLabel(c.Risk), fmt.Sprintf("%-6s", review.LevelLabel(c.Risk))) + " "
		}
		hint := ""
		if where := elsewhere(c.Ref); where != "" {
			hint = s.Dim(" (in place per " + where + ")")
		}
		fmt.Fprintf(out, "  %2d [%s] %s%s %s%s\n", i+1, mark, level, s.Dim(c.Label()), c.Title, hint)
	}
	if none := q.NoneChoice(); none != nil {
		mark := " "
		if status[none.ID] != "" {
			mark = "x"
		}
		fmt.Fprintf(out, "   0 [%s] %s\n", mark, none.Title)
	}
	if current != nil && current.Applicable != nil && !*current.Applicable {
		fmt.Fprintf(out, "  %s\n", s.Dim("currently marked not applicable"))
	}
	fmt.Fprintf(out, "%s\n", s.Dim("  Practices in place: 1,3-4 · na:2 not applicable · 0 none · n question not applicable · s skip · ? guidance · q quit · # notes"))
}

func showGuidance(out io.Writer, s report.Style, q *lens.Question) {
	for i, c := range practiceChoices(q) {
		fmt.Fprintf(out, "\n  %d. %s %s\n", i+1, s.Bold(c.Label()), c.Title)
		if g := c.Guidance(); g != "" {
			fmt.Fprintf(out, "%s\n", report.Wrap(g, s.LineWidth(), "     "))
		}
		if u := c.Link(); u != "" {
			fmt.Fprintf(out, "     %s\n", s.Dim(u))
		}
	}
	fmt.Fprintln(out)
}
