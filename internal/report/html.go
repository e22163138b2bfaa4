package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/review"
)

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"riskClass": riskClass,
	"riskLabel": riskLabel,
	"lower":     strings.ToLower,
	"pct": func(n, total int) string {
		if total == 0 {
			return "0"
		}
		return fmt.Sprintf("%.0f", 100*float64(n)/float64(total))
	},
	"levelClass": func(level string) string { return "lv-" + strings.ToLower(level) },
	"reason": func(r review.Reason) string {
		return strings.ToLower(strings.ReplaceAll(string(r), "_", " "))
	},
	"add":        func(a, b int) int { return a + b },
	"evMark":     evidenceStatusMark,
	"evHeadline": evidenceHeadline,
}).Parse(htmlSource))

func riskClass(r lens.Risk) string {
	switch r {
	case lens.RiskHigh:
		return "high"
	case lens.RiskMedium:
		return "medium"
	case lens.RiskNone:
		return "none"
	case lens.RiskNotApplicable:
		return "na"
	}
	return "unanswered"
}

// The page's view model: everything the template shows, with chart geometry computed here so the template stays
// free of arithmetic.
type htmlPage struct {
	Res       *review.Result
	Plan      *review.Plan
	Meta      Meta
	Generated string
	Cards     []htmlCard
	Answered  int
	Total     int
	Lenses    []htmlLens
	TopItems  []review.PlanItem
	MoreItems []review.PlanItem
}

type htmlCard struct {
	Label, Class string
	Count        int
}

type htmlLens struct {
	*review.LensResult
	Chart   htmlChart
	Matrix  *htmlMatrix
	Pillars []htmlPillarQuestions
}

type htmlChart struct {
	Width, Height int
	Rows          []htmlBar
	Legend        []htmlCard
}

type htmlBar struct {
	Label    string
	Y, TextY int
	Total    int
	Segments []htmlSegment
	TotalX   int
}

type htmlSegment struct {
	X, W         float64
	Class, Title string
	Count        int
	ShowCount    bool
	TextX        float64
}

type htmlMatrix struct {
	Axis    string
	Columns []review.Group
	Rows    []htmlMatrixRow
}

type htmlMatrixRow struct {
	Name  string
	Cells []htmlCell
}

type htmlCell struct {
	Class string // worst risk in the cell, or "empty"
	Dots  []htmlDot
	Title string
}

type htmlDot struct {
	Class, Title string
}

type htmlPillarQuestions struct {
	ID, Name  string
	Counts    review.Counts
	Questions []htmlQuestion
}

type htmlQuestion struct {
	*review.QuestionResult
	Label    string
	InPlace  []string
	NA       []string
	Missing  []htmlMissing
	Evidence []evidenceRow
}

type htmlMissing struct {
	Label, Title, URL, Level string
}

const (
	chartLabelWidth = 230
	chartBarWidth   = 520
	chartRowHeight  = 30
)

var riskOrder = []lens.Risk{lens.RiskHigh, lens.RiskMedium, lens.RiskNone, lens.RiskNotApplicable, lens.RiskUnanswered}

// HTML writes the review as one self-contained HTML page: no scripts, fonts or images are fetched, so it can be
// mailed, attached to a ticket or opened offline.
func HTML(w io.Writer, res *review.Result, plan *review.Plan, m Meta) error {
	page := htmlPage{Res: res, Plan: plan, Meta: m, Generated: m.GeneratedAt.UTC().Format("2006-01-02 15:04 MST"),
		Total: res.Totals.Total(), Answered: res.Totals.Answered()}
	for _, r := range riskOrder {
		page.Cards = append(page.Cards, htmlCard{Label: cardLabel(r), Class: riskClass(r), Count: res.Totals.Get(r)})
	}
	for _, lr := range res.Lenses {
		page.Lenses = append(page.Lenses, htmlLens{LensResult: lr, Chart: pillarChart(lr), Matrix: heatMatrix(lr), Pillars: questionsByPillar(lr, m.LinkBase)})
	}
	const top = 15
	page.TopItems = plan.Items
	if len(plan.Items) > top {
		page.TopItems, page.MoreItems = plan.Items[:top], plan.Items[top:]
	}
	return htmlTemplate.Execute(w, page)
}

func cardLabel(r lens.Risk) string {
	switch r {
	case lens.RiskHigh:
		return "High risk"
	case lens.RiskMedium:
		return "Medium risk"
	case lens.RiskNone:
		return "No risk"
	case lens.RiskNotApplicable:
		return "Not applicable"
	}
	return "Unanswered"
}

// pillarChart lays out a horizontal stacked bar per pillar, scaled so the pillar with the most questions fills the
// width: bar length shows how many questions a pillar has, the colours how they stand.
func pillarChart(lr *review.LensResult) htmlChart {
	maxTotal := 1
	for _, g := range lr.ByPillar {
		maxTotal = max(maxTotal, g.Counts.Total())
	}
	c := htmlChart{Width: chartLabelWidth + chartBarWidth + 40, Height: len(lr.ByPillar)*chartRowHeight + 8}
	for i, g := range lr.ByPillar {
		bar := htmlBar{Label: g.Name, Y: i*chartRowHeight + 4, TextY: i*chartRowHeight + 4 + 16, Total: g.Counts.Total()}
		x := float64(chartLabelWidth)
		for _, r := range riskOrder {
			n := g.Counts.Get(r)
			if n == 0 {
				continue
			}
			wd := float64(chartBarWidth) * float64(n) / float64(maxTotal)
			bar.Segments = append(bar.Segments, htmlSegment{X: x, W: wd, Class: riskClass(r), Count: n, ShowCount: wd >= 16,
				TextX: x + wd/2, Title: fmt.Sprintf("%s: %d %s", g.Name, n, strings.ToLower(cardLabel(r)))})
			x += wd
		}
		bar.TotalX = int(x) + 8
		c.Rows = append(c.Rows, bar)
	}
	return c
}

func heatMatrix(lr *review.LensResult) *htmlMatrix {
	mx := lr.Matrix
	if mx == nil {
		return nil
	}
	hm := &htmlMatrix{Axis: mx.Axis, Columns: mx.Columns}
	for _, row := range mx.Rows {
		hr := htmlMatrixRow{Name: row.Name}
		for ci, col := range mx.Columns {
			cell := htmlCell{Class: "empty"}
			for _, q := range lr.Questions {
				if q.PillarID != row.ID {
					continue
				}
				in := slices.Contains(q.Phases, col.ID)
				if mx.Axis == "dimension" {
					in = slices.Contains(q.Dimensions, col.ID)
				}
				if in {
					cell.Dots = append(cell.Dots, htmlDot{Class: riskClass(q.Risk), Title: fmt.Sprintf("%s %s: %s", q.Question.Label(), riskLabel(q.Risk), q.Title)})
				}
			}
			if row.Cells[ci].Total() > 0 {
				cell.Class = riskClass(row.Cells[ci].Worst())
				cell.Title = fmt.Sprintf("%s × %s: %s", row.Name, col.Name, cellSummary(row.Cells[ci]))
			}
			hr.Cells = append(hr.Cells, cell)
		}
		hm.Rows = append(hm.Rows, hr)
	}
	return hm
}

func questionsByPillar(lr *review.LensResult, linkBase string) []htmlPillarQuestions {
	var out []htmlPillarQuestions
	for _, g := range lr.ByPillar {
		p := htmlPillarQuestions{ID: g.ID, Name: g.Name, Counts: g.Counts}
		for _, q := range lr.Questions {
			if q.PillarID != g.ID {
				continue
			}
			hq := htmlQuestion{QuestionResult: q, Label: q.Question.Label(), Evidence: evidenceRows(q, linkBase)}
			for _, c := range q.Choices {
				switch {
				case c.Choice.IsNone():
				case c.Status == review.Selected:
					hq.InPlace = append(hq.InPlace, c.Choice.Label()+" "+c.Title)
				case c.Status == review.NotApplicable:
					hq.NA = append(hq.NA, c.Choice.Label()+" "+c.Title+naDetail(c.Reason, c.Notes))
				}
			}
			for _, id := range q.Missing {
				c := q.Question.Choice(id)
				hq.Missing = append(hq.Missing, htmlMissing{Label: c.Label(), Title: c.Title, URL: c.Link(), Level: review.LevelLabel(c.Risk)})
			}
			p.Questions = append(p.Questions, hq)
		}
		out = append(out, p)
	}
	return out
}

// naDetail renders the reason and notes of a not-applicable choice: " (out of scope: no tuning)".
func naDetail(r review.Reason, notes string) string {
	var parts []string
	if r != "" {
		parts = append(parts, strings.ToLower(strings.ReplaceAll(string(r), "_", " ")))
	}
	if notes = strings.TrimSpace(notes); notes != "" {
		parts = append(parts, notes)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ": ") + ")"
}
