package report

import (
	"fmt"
	"io"
	"strings"
)

// Text writes the terminal summary of a run.
func Text(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "walens monitor run: %s  (%d records from %d file(s), baseline %s)\n", strings.ToUpper(r.Status), r.Rows, len(r.Files), r.Baseline)
	if r.Skipped > 0 {
		fmt.Fprintf(&b, "\n%d records could not be read, so this result covers only part of the data:\n", r.Skipped)
		for i, s := range r.Skips {
			if i == 5 {
				fmt.Fprintf(&b, "  ... and %d more (see report.json)\n", r.Skipped-5)
				break
			}
			fmt.Fprintf(&b, "  %s\n", s)
		}
	}
	fmt.Fprintf(&b, "\nViolations (%d)\n", len(r.Violations))
	for _, v := range r.Violations {
		name := v.FeatureName
		if name == "" {
			name = v.MetricName
		}
		fmt.Fprintf(&b, "  %-24s %-26s %s\n", name, v.ConstraintCheckType, v.Description)
	}
	if len(r.Violations) == 0 {
		b.WriteString("  none\n")
	}
	fmt.Fprintf(&b, "\nDrift: %s\n", driftLine(r))
	if len(r.Drift.Features) > 0 {
		fmt.Fprintf(&b, "  %-24s %-12s %-15s %12s %10s  %s\n", "FEATURE", "KIND", "TEST", "STATISTIC", "THRESHOLD", "DRIFT")
		for _, f := range r.Drift.Features {
			t, _ := f.Get(f.Method)
			stat := formatNum(t.Statistic)
			if t.PValue != nil {
				stat = "p=" + formatNum(*t.PValue)
			}
			mark := "no"
			if f.Drifted {
				mark = "YES"
			}
			fmt.Fprintf(&b, "  %-24s %-12s %-15s %12s %10s  %s\n", f.Feature, f.Kind, f.Method, stat, formatNum(t.Threshold), mark)
		}
	}
	if q := r.Quality; q != nil {
		fmt.Fprintf(&b, "\nModel quality (%s, %d labelled predictions", q.Problem, q.Items)
		if q.Unmatched > 0 {
			fmt.Fprintf(&b, ", %d without a label yet", q.Unmatched)
		}
		b.WriteString(")\n")
		for _, name := range sortedKeys(q.Metrics) {
			base := ""
			if v, ok := q.Baseline[name]; ok {
				base = "  baseline " + formatNum(v)
			}
			fmt.Fprintf(&b, "  %-22s %10s%s\n", name, formatNum(q.Metrics[name]), base)
		}
	}
	if bias := r.Bias; bias != nil {
		fmt.Fprintf(&b, "\nBias (facet %s = %v: %d rows, rest: %d rows)\n", bias.Facet, bias.Values, bias.RowsD, bias.RowsA)
		for _, m := range bias.Metrics {
			mark := ""
			if m.Violated {
				mark = "  VIOLATED"
			}
			fmt.Fprintf(&b, "  %-6s %10s  allowed %s to %s%s\n", m.Name, formatNum(m.Value), formatNum(m.Min), formatNum(m.Max), mark)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nnote: %s", n)
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
	}
	if len(r.Outputs) > 0 {
		fmt.Fprintf(&b, "\nWrote %s\n", strings.Join(r.Outputs, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
