package interview

import (
	"fmt"
	"io"
	"strings"

	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/review"
)

type style struct {
	color bool
	width int
}

func (s style) wrap(code, t string) string {
	if !s.color || t == "" {
		return t
	}
	return code + t + "\x1b[0m"
}

func (s style) bold(t string) string { return s.wrap("\x1b[1m", t) }
func (s style) dim(t string) string  { return s.wrap("\x1b[2m", t) }
func (s style) red(t string) string  { return s.wrap("\x1b[31m", t) }

func (s style) risk(r lens.Risk, t string) string {
	switch r {
	case lens.RiskHigh:
		return s.wrap("\x1b[31;1m", t)
	case lens.RiskMedium:
		return s.wrap("\x1b[33m", t)
	case lens.RiskNone:
		return s.wrap("\x1b[32m", t)
	}
	return s.dim(t)
}

func wrapText(text string, width int, indent string) string {
	var b strings.Builder
	line := indent
	for _, w := range strings.Fields(text) {
		if len(line) > len(indent) && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += w
	}
	b.WriteString(line)
	return b.String()
}

func showQuestion(out io.Writer, s style, l *lens.Lens, ref lens.QuestionRef, n, total int, current *review.Answer, elsewhere func(ref string) string) {
	q := ref.Question
	where := []string{l.ID, ref.Pillar.Name}
	for _, ph := range q.Phases {
		if p := l.Phase(ph); p != nil {
			where = append(where, p.Name)
		}
	}
	fmt.Fprintf(out, "\n%s %s\n", s.dim(fmt.Sprintf("[%d/%d]", n, total)), s.dim(strings.Join(where, " · ")))
	fmt.Fprintf(out, "%s %s\n", s.bold(q.Label()), s.bold(q.Title))
	fmt.Fprintf(out, "%s\n\n", s.dim(wrapText(q.Description, s.width, "  ")))
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
			level = s.risk(levelRisk(c.Risk), fmt.Sprintf("%-6s", review.LevelLabel(c.Risk))) + " "
		}
		hint := ""
		if where := elsewhere(c.Ref); where != "" {
			hint = s.dim(" (in place per " + where + ")")
		}
		fmt.Fprintf(out, "  %2d [%s] %s%s %s%s\n", i+1, mark, level, s.dim(c.Label()), c.Title, hint)
	}
	if none := q.NoneChoice(); none != nil {
		mark := " "
		if status[none.ID] != "" {
			mark = "x"
		}
		fmt.Fprintf(out, "   0 [%s] %s\n", mark, none.Title)
	}
	if current != nil && current.Applicable != nil && !*current.Applicable {
		fmt.Fprintf(out, "  %s\n", s.dim("currently marked not applicable"))
	}
	fmt.Fprintf(out, "%s\n", s.dim("  Practices in place: 1,3-4 · na:2 not applicable · 0 none · n question not applicable · s skip · ? guidance · q quit · # notes"))
}

func levelRisk(l lens.Level) lens.Risk {
	switch l {
	case lens.LevelHigh:
		return lens.RiskHigh
	case lens.LevelLow:
		return lens.RiskNone
	}
	return lens.RiskMedium
}

func showGuidance(out io.Writer, s style, q *lens.Question) {
	for i, c := range practiceChoices(q) {
		fmt.Fprintf(out, "\n  %d. %s %s\n", i+1, s.bold(c.Label()), c.Title)
		if g := c.Guidance(); g != "" {
			fmt.Fprintf(out, "%s\n", wrapText(g, s.width, "     "))
		}
		if u := c.Link(); u != "" {
			fmt.Fprintf(out, "     %s\n", s.dim(u))
		}
	}
	fmt.Fprintln(out)
}
