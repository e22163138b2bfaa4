package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/lens"
)

// ScanOptions say what a scan report lists.
type ScanOptions struct {
	ShowPassed bool // list passing findings too
	// FailOn is the lowest severity the gate fails on, for the closing line; empty means none.
	FailOn evidence.Severity
}

// severityRisk maps a rule severity onto the risk colours: critical and high red, medium amber.
func severityRisk(s evidence.Severity) lens.Risk {
	switch s {
	case evidence.SeverityCritical, evidence.SeverityHigh:
		return lens.RiskHigh
	case evidence.SeverityMedium:
		return lens.RiskMedium
	}
	return lens.RiskUnanswered
}

// ScanText writes a scan report for a terminal: failures (most severe first), unknowns, optionally passes, then
// problems with the input and a summary.
func ScanText(w io.Writer, rep *evidence.Report, o ScanOptions, s Style) error {
	ew := &errWriter{w: w}
	var sources []string
	for name, n := range rep.BySource {
		sources = append(sources, fmt.Sprintf("%s %d", name, n))
	}
	sort.Strings(sources)
	src := ""
	if len(sources) > 0 {
		src = " (" + strings.Join(sources, ", ") + ")"
	}
	ew.printf("%s  %s\n", s.Bold("walens scan"), s.Dim(fmt.Sprintf("%s%s, %s, %s in %.2fs",
		plural(rep.Files, "file", "files"), src, plural(len(rep.Resources), "resource", "resources"),
		plural(len(rep.Rules), "rule", "rules"), rep.Elapsed.Seconds())))

	var fails, unknowns, passes, suppressed []evidence.Finding
	for _, f := range rep.Findings {
		switch {
		case f.Suppressed != nil:
			suppressed = append(suppressed, f)
		case f.Status == evidence.Fail:
			fails = append(fails, f)
		case f.Status == evidence.Undetermined:
			unknowns = append(unknowns, f)
		default:
			passes = append(passes, f)
		}
	}
	sort.SliceStable(fails, func(i, j int) bool { return fails[i].Severity.Rank() > fails[j].Severity.Rank() })

	section := func(title string, fs []evidence.Finding, label func(evidence.Finding) string) {
		if len(fs) == 0 {
			return
		}
		ew.printf("\n%s\n", s.Bold(fmt.Sprintf("%s (%d)", title, len(fs))))
		for _, f := range fs {
			rule := rep.Rule(f.Rule)
			title := ""
			if rule != nil {
				title = rule.Title
			}
			ew.printf("  %s %s  %s\n", label(f), s.Bold(f.Rule), title)
			ew.printf("      %s  %s\n", f.Pos, s.Dim(f.Resource))
			ew.printf("%s\n", Wrap(f.Message, s.LineWidth(), "      "))
			if f.Suppressed != nil {
				ew.printf("%s\n", s.Dim(Wrap("suppressed ("+f.Suppressed.Kind+" at "+f.Suppressed.Pos.String()+"): "+f.Suppressed.Reason, s.LineWidth(), "      ")))
			}
		}
	}
	section("Failed", fails, func(f evidence.Finding) string {
		return s.Risk(severityRisk(f.Severity), fmt.Sprintf("%-8s", f.Severity))
	})
	section("Unknown: the code does not say", unknowns, func(evidence.Finding) string { return s.Dim(fmt.Sprintf("%-8s", "UNKNOWN")) })
	if o.ShowPassed {
		section("Passed", passes, func(evidence.Finding) string { return s.Risk(lens.RiskNone, fmt.Sprintf("%-8s", "PASS")) })
	}
	section("Suppressed", suppressed, func(evidence.Finding) string { return s.Dim(fmt.Sprintf("%-8s", "SUPPR")) })

	if len(rep.Problems) > 0 {
		ew.printf("\n%s\n", s.Bold(fmt.Sprintf("Input problems (%d)", len(rep.Problems))))
		for _, p := range rep.Problems {
			label := s.Risk(lens.RiskHigh, "error  ")
			if p.Severity == diag.Warning {
				label = s.Risk(lens.RiskMedium, "warning")
			}
			msg := p
			msg.Severity = diag.Error // the label already says it
			ew.printf("  %s %s\n", label, msg.String())
		}
	}

	sum := rep.Summary()
	var bySev []string
	for i := len(evidence.Severities) - 1; i >= 0; i-- {
		sev := evidence.Severities[i]
		if n := sum.BySeverity[sev]; n > 0 {
			bySev = append(bySev, fmt.Sprintf("%d %s", n, strings.ToLower(string(sev))))
		}
	}
	failed := fmt.Sprintf("%d failed", sum.Failed)
	if len(bySev) > 0 {
		failed += " (" + strings.Join(bySev, ", ") + ")"
	}
	ew.printf("\n%s, %d passed, %d unknown, %d suppressed\n", failed, sum.Passed, sum.Unknown, sum.Suppressed)
	if rep.Partial {
		ew.printf("%s\n", s.Risk(lens.RiskHigh, "Results are partial: some files could not be read or parsed (see input problems)."))
	}
	if !o.ShowPassed && sum.Passed > 0 {
		ew.printf("%s\n", s.Dim("List the passing checks with --show-passed."))
	}
	return ew.err
}

// ScanJSONSchema identifies the JSON document walens scan writes.
const ScanJSONSchema = "walens-scan/v1"

// ScanJSON writes the scan report for machines. Schema: docs/schemas/scan.schema.json.
func ScanJSON(w io.Writer, rep *evidence.Report, m Meta) error {
	findings := rep.Findings
	if findings == nil {
		findings = []evidence.Finding{}
	}
	problems := rep.Problems
	if problems == nil {
		problems = diag.List{}
	}
	rules := rep.Rules
	if rules == nil {
		rules = []*evidence.Rule{}
	}
	return writeJSONRows(w, struct {
		header
		Paths     []string           `json:"paths"`
		Files     int                `json:"files"`
		BySource  map[string]int     `json:"filesBySource"`
		Resources int                `json:"resources"`
		Partial   bool               `json:"partial"`
		ElapsedMS int64              `json:"elapsedMs"`
		Summary   evidence.Summary   `json:"summary"`
		Findings  []evidence.Finding `json:"findings"`
		Problems  diag.List          `json:"problems"`
		Rules     []*evidence.Rule   `json:"rules"`
	}{newHeader(ScanJSONSchema, m), rep.Roots, rep.Files, rep.BySource, len(rep.Resources), rep.Partial,
		rep.Elapsed.Milliseconds(), rep.Summary(), findings, problems, rules}, 2)
}

// ResourcesJSON writes the resources a scan read, with their resolved attributes: what walens understood of the
// code, for debugging rules and unknowns.
func ResourcesJSON(w io.Writer, rep *evidence.Report) error {
	rs := rep.Resources
	if rs == nil {
		rs = []*evidence.Resource{}
	}
	return writeJSONRows(w, rs, 1)
}

// RulesText lists the rule catalogue for a terminal.
func RulesText(w io.Writer, rules []*evidence.Rule, s Style) error {
	ew := &errWriter{w: w}
	for _, r := range rules {
		ew.printf("%s  %s  %s\n", s.Bold(r.ID), s.Risk(severityRisk(r.Severity), fmt.Sprintf("%-8s", r.Severity)), r.Title)
		var refs []string
		for _, p := range r.Practices {
			ref := p.Ref
			if p.Sufficient {
				ref += " (sufficient)"
			}
			refs = append(refs, ref)
		}
		ew.printf("%s\n", s.Dim(Wrap("practices: "+strings.Join(refs, ", "), s.LineWidth(), "    ")))
		if eq := equivalents(r.Equivalents); eq != "" {
			ew.printf("%s\n", s.Dim(Wrap("same as: "+eq, s.LineWidth(), "    ")))
		}
	}
	return ew.err
}

// RulesMarkdown writes the rule catalogue as Markdown (docs/rules.md is generated with it).
func RulesMarkdown(w io.Writer, rules []*evidence.Rule) error {
	ew := &errWriter{w: w}
	ew.printf("# Evidence rules\n\n")
	ew.printf("This file is generated by `walens scan rules --format markdown`; do not edit it by hand.\n\n")
	ew.printf("A rule **supports** a best practice when it passes and **refutes** it when it fails. Only a rule marked " +
		"*sufficient* for a practice can, by passing, answer the practice as in place; see [evidence.md](evidence.md).\n\n")
	ew.printf("| ID | Severity | Title | Practices | Checkov / KICS / Prowler |\n|---|---|---|---|---|\n")
	for _, r := range rules {
		var refs []string
		for _, p := range r.Practices {
			ref := p.Ref
			if p.Sufficient {
				ref = "**" + ref + "** (sufficient)"
			}
			refs = append(refs, ref)
		}
		ew.printf("| [%s](#%s) | %s | %s | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Severity, mdEscape(r.Title),
			strings.Join(refs, ", "), mdEscape(equivalents(r.Equivalents)))
	}
	for _, r := range rules {
		ew.printf("\n## %s\n\n**%s** · %s · resource types: %s\n\n%s\n\n**Remediation.** %s\n", r.ID, mdEscape(r.Title),
			r.Severity, "`"+strings.Join(r.Types, "`, `")+"`", mdEscape(r.Description), mdEscape(r.Remediation))
	}
	return ew.err
}

func equivalents(e evidence.Equivalents) string {
	var parts []string
	for _, x := range [][]string{e.Checkov, e.KICS, e.Prowler} {
		parts = append(parts, x...)
	}
	return strings.Join(parts, ", ")
}
