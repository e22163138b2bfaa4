// Package report renders evaluated reviews, improvement plans, diffs and check results for people (terminal text,
// Markdown, a self-contained HTML page) and for machines (JSON, schema in docs/report-json.md).
package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/review"
)

// Meta is what a report says about its own making.
type Meta struct {
	GeneratedAt   time.Time
	WalensVersion string
}

// Style controls terminal output.
type Style struct {
	Color bool // ANSI colours; only when writing to a terminal
	Width int  // wrap width for long text; 0 means 100
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiBlue   = "\x1b[34m"
)

func (s Style) paint(code, text string) string {
	if !s.Color || text == "" {
		return text
	}
	return code + text + ansiReset
}

func (s Style) bold(t string) string { return s.paint(ansiBold, t) }
func (s Style) dim(t string) string  { return s.paint(ansiDim, t) }

func (s Style) risk(r lens.Risk, text string) string {
	switch r {
	case lens.RiskHigh:
		return s.paint(ansiRed+ansiBold, text)
	case lens.RiskMedium:
		return s.paint(ansiYellow, text)
	case lens.RiskNone:
		return s.paint(ansiGreen, text)
	case lens.RiskNotApplicable:
		return s.paint(ansiBlue, text)
	}
	return s.dim(text)
}

func (s Style) level(level, text string) string {
	switch level {
	case "HIGH":
		return s.risk(lens.RiskHigh, text)
	case "MEDIUM":
		return s.risk(lens.RiskMedium, text)
	}
	return s.dim(text)
}

func (s Style) width() int {
	if s.Width <= 0 {
		return 100
	}
	return s.Width
}

// riskLabel is how risks read in tables.
func riskLabel(r lens.Risk) string {
	switch r {
	case lens.RiskNotApplicable:
		return "N/A"
	case lens.RiskUnanswered:
		return "UNANSWERED"
	case "":
		return "-"
	}
	return string(r)
}

// wrap breaks text into lines no longer than width, each prefixed with indent.
func wrap(text string, width int, indent string) string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return ""
	}
	var b strings.Builder
	line := indent
	for _, w := range words {
		if len(line) > len(indent) && len(line)+1+len(w) > width {
			b.WriteString(line)
			b.WriteByte('\n')
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

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// workloadLine summarises the workload's facts on one line.
func workloadLine(w review.Workload) string {
	var parts []string
	if w.Environment != "" {
		parts = append(parts, w.Environment)
	}
	if len(w.Regions) > 0 {
		parts = append(parts, strings.Join(w.Regions, ", "))
	}
	if w.Owner != "" {
		parts = append(parts, "owner "+w.Owner)
	}
	return strings.Join(parts, " · ")
}
