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
	// LinkBase is the directory a report file is written to, so links to evidence files are relative to it; ""
	// leaves paths as scanned (relative to the working directory).
	LinkBase string
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

// Paint wraps text in an ANSI code when colour is on.
func (s Style) Paint(code, text string) string {
	if !s.Color || text == "" {
		return text
	}
	return code + text + ansiReset
}

// Bold and Dim style text when colour is on.
func (s Style) Bold(t string) string { return s.Paint(ansiBold, t) }
func (s Style) Dim(t string) string  { return s.Paint(ansiDim, t) }

// Risk colours text by a question risk: red for HIGH, amber for MEDIUM, green for NONE.
func (s Style) Risk(r lens.Risk, text string) string {
	switch r {
	case lens.RiskHigh:
		return s.Paint(ansiRed+ansiBold, text)
	case lens.RiskMedium:
		return s.Paint(ansiYellow, text)
	case lens.RiskNone:
		return s.Paint(ansiGreen, text)
	case lens.RiskNotApplicable:
		return s.Paint(ansiBlue, text)
	}
	return s.Dim(text)
}

// Level colours text by a practice level (HIGH, MEDIUM, LOW).
func (s Style) Level(level, text string) string {
	switch level {
	case "HIGH":
		return s.Risk(lens.RiskHigh, text)
	case "MEDIUM":
		return s.Risk(lens.RiskMedium, text)
	}
	return s.Dim(text)
}

// LineWidth is the width to wrap text at.
func (s Style) LineWidth() int {
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

// Wrap breaks text into lines no longer than width, each prefixed with indent.
func Wrap(text string, width int, indent string) string {
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
