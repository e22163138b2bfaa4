package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// SARIF 2.1.0, reduced to the objects walens fills. The format is written directly rather than through a SARIF
// library so that the output has no empty placeholder arrays; tests validate it against the official schema.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		Results     []sarifResult     `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		Help                 sarifHelp      `json:"help"`
		DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
		Properties           map[string]any `json:"properties"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifResult struct {
		RuleID              string             `json:"ruleId"`
		RuleIndex           int                `json:"ruleIndex"`
		Kind                string             `json:"kind"`
		Level               string             `json:"level"`
		Message             sarifText          `json:"message"`
		Locations           []sarifLocation    `json:"locations"`
		PartialFingerprints map[string]string  `json:"partialFingerprints"`
		Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical  `json:"physicalLocation"`
		LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	sarifLogical struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Status        string `json:"status"`
		Justification string `json:"justification"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
)

// srcRoot is the base URI ID that relative artifact paths hang from. It is left undefined in the log, so that the
// output does not depend on where the scan ran; GitHub code scanning resolves it to the repository root.
const srcRoot = "%SRCROOT%"

// sarifLevel maps a severity to a SARIF level: GitHub shows error, warning and note.
func sarifLevel(s evidence.Severity) string {
	switch s {
	case evidence.SeverityCritical, evidence.SeverityHigh:
		return "error"
	case evidence.SeverityMedium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the CVSS-like score GitHub uses to rank security alerts.
func securitySeverity(s evidence.Severity) string {
	switch s {
	case evidence.SeverityCritical:
		return "9.5"
	case evidence.SeverityHigh:
		return "8.0"
	case evidence.SeverityMedium:
		return "5.5"
	}
	return "3.0"
}

// SARIF writes the scan as a SARIF 2.1.0 log with one run. Failures are results of kind fail; findings the code
// does not settle are results of kind review, so they show without counting as failures; passes are left out.
// Paths are written relative to base (the repository root in CI) when they are inside it.
func SARIF(w io.Writer, rep *evidence.Report, base, version string) error {
	locate := newLocator(base)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "walens", Version: version,
			InformationURI: "https://github.com/walens/walens", Rules: []sarifRule{}}},
		Results: []sarifResult{},
	}
	index := map[string]int{}
	for i, r := range rep.Rules {
		index[r.ID] = i
		var practices []string
		for _, p := range r.Practices {
			practices = append(practices, p.Ref)
		}
		tags := append([]string{"well-architected", "iac"}, practices...)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:               r.ID,
			Name:             ruleName(r.Title),
			ShortDescription: sarifText{Text: r.Title},
			FullDescription:  sarifText{Text: r.Description},
			Help: sarifHelp{
				Text:     r.Remediation,
				Markdown: "**Why.** " + r.Description + "\n\n**Fix.** " + r.Remediation + "\n\n**Lens practices:** " + strings.Join(practices, ", "),
			},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
			Properties: map[string]any{
				"tags":              tags,
				"precision":         "high",
				"security-severity": securitySeverity(r.Severity),
				"practices":         r.Practices,
				"equivalents":       r.Equivalents,
			},
		})
	}
	for _, f := range rep.Findings {
		if f.Status == evidence.Pass {
			continue
		}
		res := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Kind:      "fail",
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: f.Message},
			Locations: []sarifLocation{{
				PhysicalLocation: locate.physical(f.Pos),
				LogicalLocations: []sarifLogical{{FullyQualifiedName: f.Resource, Kind: "resource"}},
			}},
			PartialFingerprints: map[string]string{"walensFinding/v1": fingerprint(f, locate.artifact(f.Pos.File).URI)},
		}
		if f.Status == evidence.Undetermined {
			res.Kind, res.Level = "review", "none"
			res.Message.Text = "Could not be determined from the code: " + f.Message
		}
		if f.Resource == "" {
			res.Locations[0].LogicalLocations = nil
		}
		if s := f.Suppressed; s != nil {
			res.Suppressions = []sarifSuppression{{Kind: s.Kind, Status: "accepted", Justification: s.Reason}}
		}
		run.Results = append(run.Results, res)
	}
	inv := sarifInvocation{ExecutionSuccessful: !rep.Partial}
	for _, p := range rep.Problems {
		n := sarifNotification{Level: "error", Message: sarifText{Text: p.Message}}
		if p.Severity == diag.Warning {
			n.Level = "warning"
		}
		if p.File != "" {
			n.Locations = []sarifLocation{{PhysicalLocation: locate.physical(evidence.Pos{File: p.File, Line: p.Line, Col: p.Col})}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	run.Invocations = []sarifInvocation{inv}
	// Results one per line: tool, run and rule metadata stay readable, and large logs stay fast to write.
	return writeJSONRows(w, sarifLog{Schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}, 4)
}

// locator turns file paths into SARIF artifact locations relative to a base directory, once per file: a large
// scan has tens of thousands of findings in a few thousand files.
type locator struct {
	base  string // absolute; "" when it could not be resolved
	cache map[string]sarifArtifactLocation
}

func newLocator(base string) *locator {
	abs, err := filepath.Abs(base)
	if err != nil {
		abs = ""
	}
	return &locator{base: abs, cache: map[string]sarifArtifactLocation{}}
}

// physical locates a position: relative to the base when inside it, else as an absolute file URI.
func (l *locator) physical(p evidence.Pos) sarifPhysical {
	loc := sarifPhysical{ArtifactLocation: l.artifact(p.File)}
	if p.Line > 0 {
		loc.Region = &sarifRegion{StartLine: p.Line, StartColumn: p.Col}
	}
	return loc
}

func (l *locator) artifact(path string) sarifArtifactLocation {
	if a, ok := l.cache[path]; ok {
		return a
	}
	a := sarifArtifactLocation{URI: relURI(path)}
	if abs, err := filepath.Abs(path); err == nil {
		a = sarifArtifactLocation{URI: fileURI(abs)}
		if rel, err := filepath.Rel(l.base, abs); l.base != "" && err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			a = sarifArtifactLocation{URI: relURI(rel), URIBaseID: srcRoot}
		}
	}
	l.cache[path] = a
	return a
}

// relURI escapes a relative path as a URI reference, segment by segment.
func relURI(p string) string {
	parts := strings.Split(filepath.ToSlash(p), "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func fileURI(abs string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// fingerprint identifies a finding across runs even when lines move: the rule, the resource and the file.
func fingerprint(f evidence.Finding, uri string) string {
	h := sha256.Sum256([]byte(f.Rule + "\x00" + f.Resource + "\x00" + uri))
	return hex.EncodeToString(h[:12])
}

// ruleName turns a title into the PascalCase identifier SARIF's rule name is meant to be.
func ruleName(title string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(title, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}
