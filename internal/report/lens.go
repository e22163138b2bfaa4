package report

import (
	"io"
	"strings"

	"github.com/walens/walens/internal/lens"
)

// LensText writes a lens's groups, questions and best practices with their levels.
func LensText(w io.Writer, l *lens.Lens) error {
	ew := &errWriter{w: w}
	q, p := l.Counts()
	ew.printf("%s (%s) %s\n%d %ss, %d questions, %d best practices\n", l.Name, l.ID, l.Version, len(l.Pillars), l.GroupName(), q, p)
	if l.URL != "" {
		ew.printf("%s\n", l.URL)
	}
	if len(l.Phases) > 0 {
		var names []string
		for _, ph := range l.Phases {
			names = append(names, ph.ID)
		}
		ew.printf("Phases: %s\n", strings.Join(names, ", "))
	}
	for _, p := range l.Pillars {
		ew.printf("\n%s (%s)\n", p.Name, p.ID)
		for _, q := range p.Questions {
			ew.printf("  %-12s %s\n", q.Label(), q.Title)
			for _, c := range q.Choices {
				if c.IsNone() {
					continue
				}
				level := string(c.Risk)
				if level == "" {
					level = "-"
				}
				ew.printf("    %-8s %-18s %s\n", level, c.Label(), c.Title)
			}
		}
	}
	return ew.err
}

// QuestionText writes one question in full: its description, each choice's guidance, improvement plan and link,
// and the risk rules.
func QuestionText(w io.Writer, l *lens.Lens, ref lens.QuestionRef) error {
	ew := &errWriter{w: w}
	q := ref.Question
	ew.printf("%s  %s\n%s: %s", q.Label(), q.Title, capitalize(l.GroupName()), ref.Pillar.Name)
	if len(q.Phases) > 0 {
		ew.printf(" · phases: %s", strings.Join(q.Phases, ", "))
	}
	ew.printf("\nIDs: %s", q.ID)
	if len(q.Aliases) > 0 {
		ew.printf(" (also %s)", strings.Join(q.Aliases, ", "))
	}
	ew.printf("\n\n%s\n", Wrap(q.Description, 100, "  "))
	for _, c := range q.Choices {
		ew.printf("\n  %s  %s", c.ID, c.Title)
		if c.Ref != "" {
			ew.printf("  [%s", c.Ref)
			if len(c.Aliases) > 0 {
				ew.printf(", %s", strings.Join(c.Aliases, ", "))
			}
			ew.printf("]")
		}
		if c.Risk != "" {
			ew.printf("  risk if missing: %s", c.Risk)
		}
		ew.printf("\n")
		if g := c.Guidance(); g != "" {
			ew.printf("%s\n", Wrap(g, 100, "      "))
		}
		if act := c.Action(); act != "" {
			ew.printf("%s\n", Wrap("Improve: "+act, 100, "      "))
		}
		if u := c.Link(); u != "" {
			ew.printf("      %s\n", u)
		}
	}
	ew.printf("\n  Risk rules (first match wins):\n")
	for _, r := range q.RiskRules {
		ew.printf("    %-12s if %s\n", r.Risk, r.Condition)
	}
	return ew.err
}
