package report

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/walens/walens/internal/review"
)

// evidenceRow is one choice's evidence, for the question tables of the Markdown and HTML reports.
type evidenceRow struct {
	Label, Title string
	Answer       string // how the choice is answered: in place, not in place, not applicable
	Status       review.EvidenceStatus
	Findings     []evidenceLink
	Conflict     string
}

// evidenceLink is one finding with a link to the file and line it points at.
type evidenceLink struct {
	Rule, Status, Message string
	Text, Href            string
	Suppressed            string
}

// evidenceRows lists the choices of a question that have evidence. Links are relative to base, the directory the
// report is written to ("" for paths as scanned, relative to the working directory).
func evidenceRows(q *review.QuestionResult, base string) []evidenceRow {
	var rows []evidenceRow
	for _, c := range q.Choices {
		if c.Evidence == nil {
			continue
		}
		row := evidenceRow{Label: c.Choice.Label(), Title: c.Title, Answer: answerLabel(q, c), Status: c.Evidence.Status, Conflict: c.Conflict}
		for _, f := range c.Evidence.Findings {
			text, href := fileLink(base, f.File, f.Line)
			row.Findings = append(row.Findings, evidenceLink{Rule: f.Rule, Status: f.Status, Message: f.Message, Text: text, Href: href, Suppressed: f.Suppressed})
		}
		rows = append(rows, row)
	}
	return rows
}

func answerLabel(q *review.QuestionResult, c review.ChoiceResult) string {
	by := ""
	if q.AnsweredBy == "evidence" {
		by = " (from evidence)"
	}
	switch {
	case q.AnsweredBy == "":
		return "unanswered"
	case c.Status == review.Selected:
		return "in place" + by
	case c.Status == review.NotApplicable:
		return "not applicable"
	}
	return "not in place" + by
}

// fileLink renders file:line and a link to it relative to base, with a #L anchor that code hosts understand.
func fileLink(base, file string, line int) (text, href string) {
	text = file
	if line > 0 {
		text = fmt.Sprintf("%s:%d", file, line)
	}
	target := file
	if base != "" {
		if rel, err := relPath(base, file); err == nil {
			target = rel
		}
	}
	href = filepath.ToSlash(target)
	if line > 0 {
		href += fmt.Sprintf("#L%d", line)
	}
	return text, href
}

func relPath(base, file string) (string, error) {
	b, err := filepath.Abs(base)
	if err != nil {
		return "", err
	}
	f, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	return filepath.Rel(b, f)
}

// evidenceStatusMark is a short, colour-free marker for an evidence status.
func evidenceStatusMark(s review.EvidenceStatus) string {
	switch s {
	case review.EvidenceSupported:
		return "✔ supported"
	case review.EvidenceRefuted:
		return "✘ refuted"
	case review.EvidencePartial:
		return "◐ partial"
	}
	return "? unknown"
}

// evidenceHeadline summarises the scan behind a review in one sentence.
func evidenceHeadline(e *review.EvidenceSummary) string {
	s := fmt.Sprintf("Evidence from %s (%s, %s): %d choices supported, %d refuted, %d partly shown, %d undetermined; %s answered from evidence",
		strings.Join(e.Paths, ", "), plural(e.Files, "file", "files"), plural(e.Resources, "resource", "resources"),
		e.Supported, e.Refuted, e.PartialN, e.Unknown, plural(e.QuestionsFromEvidence, "question", "questions"))
	if e.Partial {
		s += ". Some files could not be read or parsed, so the evidence is partial"
	}
	return s + "."
}
