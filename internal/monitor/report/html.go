package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"

	"github.com/walens/walens/internal/monitor/drift"
)

//go:embed html.tmpl
var htmlTemplate string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": formatNum,
}).Parse(htmlTemplate))

// chart is the geometry of one grouped bar chart, computed here so the template only places shapes.
type chart struct {
	Feature    string
	Kind       string
	Method     string
	Statistic  string
	Width      int
	Height     int
	Bars       []bar
	Labels     []axisLabel
	Ticks      []tick
	BaselineY0 int
}

type bar struct {
	X, Y, W, H int
	Class      string
	Title      string
}

type axisLabel struct {
	X, Y int
	Text string
}

type tick struct {
	Y    int
	Text string
}

const (
	chartW   = 720
	chartH   = 240
	marginL  = 48
	marginB  = 56
	marginT  = 10
	plotH    = chartH - marginB - marginT
	maxLabel = 14
)

func buildChart(f drift.Result, p Plot) chart {
	c := chart{Feature: f.Feature, Kind: f.Kind, Method: f.Method, Width: chartW, Height: chartH, BaselineY0: marginT + plotH}
	if t, ok := f.Get(f.Method); ok {
		c.Statistic = fmt.Sprintf("%s = %s (threshold %s)", t.Name, formatNum(t.Statistic), formatNum(t.Threshold))
		if t.PValue != nil {
			c.Statistic = fmt.Sprintf("%s p-value = %s (threshold %s)", t.Name, formatNum(*t.PValue), formatNum(t.Threshold))
		}
	}
	top := 0.0
	for i := range p.Labels {
		top = math.Max(top, math.Max(p.Baseline[i], p.Current[i]))
	}
	if top <= 0 {
		top = 1
	}
	n := len(p.Labels)
	if n == 0 {
		return c
	}
	slot := float64(chartW-marginL-10) / float64(n)
	bw := int(math.Max(1, slot*0.4))
	for i := range n {
		x := marginL + int(float64(i)*slot+slot*0.1)
		for k, v := range []float64{p.Baseline[i], p.Current[i]} {
			h := int(math.Round(v / top * plotH))
			cls, who := "base", "baseline"
			if k == 1 {
				cls, who = "cur", "current"
			}
			c.Bars = append(c.Bars, bar{X: x + k*bw, Y: marginT + plotH - h, W: bw, H: h, Class: cls,
				Title: fmt.Sprintf("%s %s: %.1f%%", p.Labels[i], who, 100*v)})
		}
		label := p.Labels[i]
		if r := []rune(label); len(r) > maxLabel {
			label = string(r[:maxLabel-1]) + "…"
		}
		c.Labels = append(c.Labels, axisLabel{X: x + bw, Y: marginT + plotH + 14, Text: label})
	}
	for _, frac := range []float64{0, 0.5, 1} {
		c.Ticks = append(c.Ticks, tick{Y: marginT + plotH - int(frac*plotH), Text: fmt.Sprintf("%.0f%%", 100*frac*top)})
	}
	return c
}

// HTML renders the report as one self-contained page: no scripts, no external resources, plots as inline SVG.
func HTML(r *Report) ([]byte, error) {
	var charts []chart
	for _, f := range r.Drift.Features {
		if !f.Drifted {
			continue
		}
		if p, ok := r.Plots[f.Feature]; ok {
			charts = append(charts, buildChart(f, p))
		}
	}
	type row struct {
		Feature, Kind, Method, Statistic, Threshold, SageMaker string
		Drifted                                                bool
	}
	var rows []row
	for _, f := range r.Drift.Features {
		x := row{Feature: f.Feature, Kind: f.Kind, Method: f.Method, Drifted: f.Drifted}
		if t, ok := f.Get(f.Method); ok {
			x.Statistic, x.Threshold = formatNum(t.Statistic), formatNum(t.Threshold)
			if t.PValue != nil {
				x.Statistic = "p = " + formatNum(*t.PValue)
			}
		}
		if t, ok := f.Get(drift.TestSageMaker); ok {
			x.SageMaker = formatNum(t.Statistic)
		}
		rows = append(rows, x)
	}
	type qrow struct{ Name, Baseline, Current string }
	var qrows []qrow
	if r.Quality != nil {
		for _, name := range sortedKeys(r.Quality.Metrics) {
			q := qrow{Name: name, Current: formatNum(r.Quality.Metrics[name]), Baseline: "–"}
			if v, ok := r.Quality.Baseline[name]; ok {
				q.Baseline = formatNum(v)
			}
			qrows = append(qrows, q)
		}
	}
	var b bytes.Buffer
	err := page.Execute(&b, struct {
		R           *Report
		Charts      []chart
		Rows        []row
		QualityRows []qrow
		DriftLine   string
		ChartRight  int
	}{r, charts, rows, qrows, driftLine(r), chartW - 10})
	return b.Bytes(), err
}

func formatNum(f float64) string {
	switch {
	case math.IsNaN(f):
		return "n/a"
	case f == 0:
		return "0"
	case math.Abs(f) < 1e-4 || math.Abs(f) >= 1e6:
		return strconv.FormatFloat(f, 'e', 3, 64)
	}
	return strconv.FormatFloat(f, 'g', 4, 64)
}

func driftLine(r *Report) string {
	n := len(r.DriftedFeatures())
	verdict := "no dataset drift"
	if r.Drift.Drifted {
		verdict = "dataset drift"
	}
	return fmt.Sprintf("%d of %d compared features drifted (%.0f%%; the dataset drifts at %.0f%%): %s.",
		n, len(r.Drift.Features), 100*r.Drift.Share, 100*r.Drift.Config.DatasetShare, verdict)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
