package lens

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walens/walens/internal/diag"
)

const goodYAML = `format: walens-lens/v1
id: tiny
name: Tiny lens
description: A lens small enough to read in a test.
phases:
  - id: build
    name: Build
pillars:
  - id: security
    name: Security
    questions:
      - id: sec01
        title: How do you protect it?
        description: Why this matters.
        phases: [build]
        choices:
          - id: sec01_a
            title: Do A
            risk: HIGH
            improvementPlan: {displayText: Start doing A.}
          - id: sec01_b
            title: Do B
            risk: MEDIUM
            improvementPlan: {displayText: Start doing B.}
          - id: sec01_no
            title: None of these
        riskRules:
          - {condition: "sec01_a && sec01_b", risk: NO_RISK}
          - {condition: "sec01_a", risk: MEDIUM_RISK}
          - {condition: default, risk: HIGH_RISK}
`

func TestParseWalensErrors(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(string) string
		problem string // expected in the error text
	}{
		{"bad rule syntax", func(s string) string { return strings.Replace(s, `"sec01_a && sec01_b"`, `"sec01_a & sec01_b"`, 1) },
			`x.yaml:28:14: pillars[0].questions[0].riskRules[0].condition: condition "sec01_a & sec01_b" does not parse: column 9: character "&" is not an operator; use "&&"`},
		{"rule names unknown choice", func(s string) string { return strings.Replace(s, `"sec01_a && sec01_b"`, `"sec01_a && sec01_bb"`, 1) },
			`x.yaml:28:14: pillars[0].questions[0].riskRules[0].condition: condition names "sec01_bb", which is not a choice of question "sec01" (did you mean "sec01_b"?)`},
		{"no default", func(s string) string {
			return strings.Replace(s, "{condition: default, risk: HIGH_RISK}", `{condition: "!sec01_a", risk: HIGH_RISK}`, 1)
		},
			`no rule with condition "default"`},
		{"bad risk", func(s string) string { return strings.Replace(s, "risk: NO_RISK", "risk: NONE_RISK", 1) },
			`risk "NONE_RISK" must be NO_RISK, MEDIUM_RISK or HIGH_RISK (did you mean "NO_RISK"?)`},
		{"unknown field", func(s string) string {
			return strings.Replace(s, "improvementPlan: {displayText: Start doing A.}", "improvmentPlan: {displayText: Start doing A.}", 1)
		},
			`x.yaml:20:13: pillars[0].questions[0].choices[0].improvmentPlan: unknown field "improvmentPlan" (did you mean "improvementPlan"?)`},
		{"missing improvement plan", func(s string) string {
			return strings.Replace(s, "            improvementPlan: {displayText: Start doing B.}\n", "", 1)
		},
			`choices[1].improvementPlan: choice "sec01_b" needs an improvement plan`},
		{"bad choice id", func(s string) string { return strings.Replace(s, "id: sec01_b\n", "id: sec01-b\n", 1) },
			`choice id "sec01-b" must be 3-128 characters of letters, digits and underscores`},
		{"duplicate choice", func(s string) string { return strings.Replace(s, "id: sec01_b\n", "id: sec01_a\n", 1) },
			`choice id "sec01_a" is already used by pillars[0].questions[0].choices[0]`},
		{"unknown phase", func(s string) string { return strings.Replace(s, "phases: [build]", "phases: [buld]", 1) },
			`x.yaml:15:18: pillars[0].questions[0].phases[0]: phase "buld" is not defined in the lens's phases (did you mean "build"?)`},
		{"title too long", func(s string) string { return strings.Replace(s, "title: Do A", "title: "+strings.Repeat("x", 129), 1) },
			"title is 129 characters; the limit is 128"},
		{"bad level", func(s string) string { return strings.Replace(s, "risk: HIGH\n", "risk: SEVERE\n", 1) },
			`risk "SEVERE" must be one of HIGH, MEDIUM, LOW or UNSTATED`},
		{"wrong format", func(s string) string {
			return strings.Replace(s, "format: walens-lens/v1", "format: walens-lens/v9", 1)
		},
			`x.yaml:1:1: format: format is "walens-lens/v9"`},
		{"malformed yaml", func(s string) string { return strings.Replace(s, "name: Tiny lens", "name: [Tiny lens", 1) },
			"invalid YAML"},
		{"type error", func(s string) string { return strings.Replace(s, "phases: [build]", "phases: build", 1) },
			"x.yaml:15: expected a list but found a string (build)"},
		{"bad lens id", func(s string) string { return strings.Replace(s, "id: tiny", "id: Tiny Lens", 1) },
			`lens id "Tiny Lens" must be`},
	}
	if _, _, err := Parse([]byte(goodYAML), "x.yaml", Options{}); err != nil {
		t.Fatalf("the good lens does not load: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.edit(goodYAML)
			if doc == goodYAML {
				t.Fatal("edit did not change the document")
			}
			_, _, err := Parse([]byte(doc), "x.yaml", Options{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.problem)
			}
			if _, ok := err.(diag.List); !ok {
				t.Errorf("error is %T, want diag.List", err)
			}
		})
	}
}

func TestWarningForRuleAfterDefault(t *testing.T) {
	doc := strings.Replace(goodYAML, `          - {condition: "sec01_a", risk: MEDIUM_RISK}
          - {condition: default, risk: HIGH_RISK}`, `          - {condition: default, risk: HIGH_RISK}
          - {condition: "sec01_a", risk: MEDIUM_RISK}`, 1)
	_, warnings, err := Parse([]byte(doc), "x.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0].String(), "never applies") {
		t.Errorf("warnings = %v", warnings)
	}
}

const goodJSON = `{
  "schemaVersion": "2021-11-01",
  "name": "Tiny",
  "description": "Tiny custom lens",
  "pillars": [
    {
      "id": "security",
      "name": "Security",
      "questions": [
        {
          "id": "sec1",
          "title": "Is it safe?",
          "description": "Checks safety.",
          "choices": [
            {"id": "sec1_1", "title": "Yes", "improvementPlan": {"displayText": "Make it safe"}},
            {"id": "sec1_no", "title": "None of these"}
          ],
          "riskRules": [
            {"condition": "sec1_1", "risk": "NO_RISK"},
            {"condition": "default", "risk": "HIGH_RISK"}
          ]
        }
      ]
    }
  ]
}`

func TestParseAWSErrors(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(string) string
		problem string
	}{
		{"syntax", func(s string) string { return strings.Replace(s, `"Yes",`, `"Yes"`, 1) }, "lens.json:15:"},
		{"unknown field", func(s string) string { return strings.Replace(s, `"title": "Yes"`, `"titel": "Yes"`, 1) }, `unknown field "titel"`},
		{"schema version", func(s string) string { return strings.Replace(s, "2021-11-01", "2022-11-01", 1) },
			`lens.json:2:20: schemaVersion: schemaVersion is "2022-11-01"; the WA Tool accepts only "2021-11-01"`},
		{"rule names alias", func(s string) string { return strings.Replace(s, `"condition": "sec1_1"`, `"condition": "sec1_2"`, 1) },
			`lens.json:19:27: pillars[0].questions[0].riskRules[0].condition: condition names "sec1_2", which is not a choice of question "sec1" (did you mean "sec1_1"?)`},
		{"type", func(s string) string { return strings.Replace(s, `"name": "Security"`, `"name": 7`, 1) }, "lens.json:8:"},
		{"id pattern", func(s string) string { return strings.Replace(s, `"id": "security"`, `"id": "se"`, 1) },
			`lens.json:7:13: pillars[0].id: pillar id "se" must be 3-128 characters`},
		{"trailing data", func(s string) string { return s + " {}" }, "unexpected data after the lens object"},
	}
	if _, _, err := Parse([]byte(goodJSON), "lens.json", Options{}); err != nil {
		t.Fatalf("the good lens does not load: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Parse([]byte(tt.edit(goodJSON)), "lens.json", Options{})
			if err == nil || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("error:\n%v\nwant it to contain %q", err, tt.problem)
			}
		})
	}
}

// TestLimits builds lenses just over each WA Tool limit.
func TestLimits(t *testing.T) {
	build := func(pillars, questions, choices int) string {
		var b strings.Builder
		b.WriteString(`{"schemaVersion": "2021-11-01", "name": "Big", "description": "d", "pillars": [`)
		for p := 0; p < pillars; p++ {
			if p > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id": "p%03d", "name": "P", "questions": [`, p)
			for q := 0; q < questions; q++ {
				if q > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, `{"id": "q%03d_%03d", "title": "T", "description": "D", "choices": [`, p, q)
				for c := 0; c < choices; c++ {
					if c > 0 {
						b.WriteString(",")
					}
					fmt.Fprintf(&b, `{"id": "c%03d_%03d_%03d", "title": "C", "improvementPlan": {"displayText": "x"}}`, p, q, c)
				}
				b.WriteString(`], "riskRules": [{"condition": "default", "risk": "HIGH_RISK"}]}`)
			}
			b.WriteString("]}")
		}
		b.WriteString("]}")
		return b.String()
	}
	tests := []struct {
		p, q, c int
		want    string
	}{
		{10, 20, 15, ""},
		{11, 1, 1, "the lens has 11 pillars; the WA Tool allows at most 10"},
		{1, 21, 1, "has 21 questions; the WA Tool allows at most 20"},
		{1, 1, 16, "has 16 choices; the WA Tool allows at most 15"},
	}
	for _, tt := range tests {
		_, _, err := Parse([]byte(build(tt.p, tt.q, tt.c)), "big.json", Options{})
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%d/%d/%d: %v", tt.p, tt.q, tt.c, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%d/%d/%d: err = %v, want %q", tt.p, tt.q, tt.c, err, tt.want)
		}
	}
}

func TestExportSizeLimit(t *testing.T) {
	l, _, err := Parse([]byte(goodYAML), "x.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	// 15 choices x 20 questions x 10 pillars with near-limit texts is far over 500 KB.
	long := strings.Repeat("x", MaxText)
	q := l.Pillars[0].Questions[0]
	q.Description = long
	for i := range q.Choices {
		c := &q.Choices[i]
		c.HelpfulResource = &Resource{DisplayText: long}
		if !c.IsNone() {
			c.ImprovementPlan = &Resource{DisplayText: long}
		}
	}
	for p := 0; p < 10; p++ {
		pil := Pillar{ID: fmt.Sprintf("pillar%d", p), Name: "P"}
		for i := 0; i < 20; i++ {
			qq := q
			qq.ID = fmt.Sprintf("q%d_%d", p, i)
			pil.Questions = append(pil.Questions, qq)
		}
		l.Pillars = append(l.Pillars[:min(len(l.Pillars), p)], pil)
	}
	_, err = Export(l)
	if err == nil || !strings.Contains(err.Error(), "the WA Tool accepts at most 500000") {
		t.Errorf("err = %v", err)
	}
}

func TestSlugFromName(t *testing.T) {
	for in, want := range map[string]string{
		"custom-lens-sagemaker-autogluon-v1.0.json": "custom-lens-sagemaker-autogluon-v1-0",
		"/x/My Lens.json": "my-lens",
		"!.json":          "custom-lens",
	} {
		if got := SlugFromName(in); got != want {
			t.Errorf("SlugFromName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadFileTooLarge(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.yaml")
	if err := os.WriteFile(p, make([]byte, MaxFileBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadFile(p, Options{}); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParseAWS(f *testing.F) {
	f.Add([]byte(goodJSON))
	for _, file := range []string{"SageMaker-AutoGluon", "SageMaker-Flower"} {
		if m, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "fixtures", "custom-lenses", "*"+file+"*")); len(m) > 0 {
			if data, err := os.ReadFile(m[0]); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, _, err := Parse(data, "fuzz.json", Options{})
		if err != nil {
			return
		}
		// Whatever imports must export, and the export must import to the same lens.
		out, err := Export(l)
		if err != nil {
			if strings.Contains(err.Error(), "500000") {
				return
			}
			t.Fatalf("imported lens does not export: %v", err)
		}
		l2, _, err := Parse(out, "fuzz.json", Options{ID: l.ID})
		if err != nil {
			t.Fatalf("exported lens does not import: %v", err)
		}
		out2, err := Export(l2)
		if err != nil || string(out2) != string(out) {
			t.Fatalf("export is not stable: %v", err)
		}
	})
}

func FuzzParseWalens(f *testing.F) {
	f.Add([]byte(goodYAML))
	f.Add([]byte("format: walens-lens/v1\nid: a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, _, err := Parse(data, "fuzz.yaml", Options{})
		if err != nil {
			if _, ok := err.(diag.List); !ok {
				t.Fatalf("error is %T, not a located problem list: %v", err, err)
			}
			return
		}
		l.EachQuestion(func(_ *Pillar, q *Question) { q.Evaluate(func(string) bool { return true }) })
	})
}
