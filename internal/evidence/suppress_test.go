package evidence

import (
	"strings"
	"testing"
	"time"

	"github.com/walens/walens/internal/diag"
)

func TestParseDirective(t *testing.T) {
	cases := []struct {
		line     string
		ok       bool
		err      string
		rules    string
		reason   string
		until    string
		trailing bool
	}{
		{line: `# walens:ignore WL-SM-015 batch-only endpoint`, ok: true, rules: "WL-SM-015", reason: "batch-only endpoint"},
		{line: `  // walens:ignore WL-SM-015,WL-SM-016 shared reason`, ok: true, rules: "WL-SM-015,WL-SM-016", reason: "shared reason"},
		{line: `/* walens:ignore WL-BR-007 until=2027-01-31 key rotation project */`, ok: true, rules: "WL-BR-007", reason: "key rotation project", until: "2027-01-31"},
		{line: `  kms_key_id = "" # walens:ignore WL-SM-003 test account`, ok: true, rules: "WL-SM-003", reason: "test account", trailing: true},
		{line: `    KmsKeyId: !Ref K  # walens:ignore WL-SM-014 dev stack`, ok: true, rules: "WL-SM-014", reason: "dev stack", trailing: true},
		{line: `# walens:ignore WL-SM-015`, ok: true, err: "gives no reason"},
		{line: `# walens:ignore`, ok: true, err: "names no rule"},
		{line: `# walens:ignore wl-sm-015 lower case`, ok: true, err: "not a rule ID"},
		{line: `# walens:ignore WL-SM-015 until=tomorrow reason`, ok: true, err: "not a date"},
		{line: `description = "walens:ignore WL-SM-015 in a string"`, ok: false},
		{line: `# see walens:ignored files`, ok: false},
		{line: `# walens:ignore-file WL-SM-001 x`, ok: false},
		{line: `resource "x" "y" {}`, ok: false},
	}
	for _, c := range cases {
		d, trailing, ok, err := ParseDirective(c.line)
		if ok != c.ok {
			t.Errorf("%q: ok = %v, want %v", c.line, ok, c.ok)
			continue
		}
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want one containing %q", c.line, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: unexpected error %v", c.line, err)
			continue
		}
		if !ok {
			continue
		}
		if got := strings.Join(d.Rules, ","); got != c.rules || d.Reason != c.reason || trailing != c.trailing {
			t.Errorf("%q: got rules %q reason %q trailing %v", c.line, got, d.Reason, trailing)
		}
		if got := d.Until; (c.until == "") != got.IsZero() || (c.until != "" && got.Format(time.DateOnly) != c.until) {
			t.Errorf("%q: until = %v, want %q", c.line, got, c.until)
		}
	}
}

func TestScanDirectivesTargets(t *testing.T) {
	src := strings.Join([]string{
		`# walens:ignore WL-SM-001 lab notebook`, // 1: applies to line 4, past the comments and blank line
		`# owned by the research team`,           // 2
		``,                                       // 3
		`resource "aws_sagemaker_notebook_instance" "lab" {`,            // 4
		`  root_access = "Enabled" # walens:ignore WL-SM-002 needs apt`, // 5: trailing, applies to 5
		`}`,
		`# walens:ignore WL-SM-003`, // 7: malformed, a warning
	}, "\n")
	ds, problems := ScanDirectives("main.tf", []byte(src))
	if len(ds) != 2 || ds[0].Target != 4 || ds[1].Target != 5 || ds[0].Pos.Line != 1 {
		t.Fatalf("directives: %+v", ds)
	}
	if len(problems) != 1 || problems[0].Line != 7 || problems[0].Severity != diag.Warning {
		t.Fatalf("problems: %v", problems)
	}
}

func TestParseSuppressions(t *testing.T) {
	good := `format: walens-suppressions/v1
suppressions:
  - rule: WL-SM-015
    resource: "aws_sagemaker_endpoint_configuration.batch*"
    file: "infra/**"
    reason: batch endpoints are captured by the batch job
    expires: 2027-03-31
`
	l, err := ParseSuppressions([]byte(good), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Suppressions) != 1 || l.entryPos(0).Line != 3 {
		t.Fatalf("parsed %+v at %v", l.Suppressions, l.entryPos(0))
	}
	bad := `format: walens-suppressions/v1
suppressions:
  - rule: WL-SM-015
    reason: ""
    expires: soon
  - rule: nonsense
    reasn: typo
`
	_, err = ParseSuppressions([]byte(bad), "s.yaml")
	if err == nil {
		t.Fatal("want errors")
	}
	msg := err.Error()
	for _, want := range []string{"s.yaml:7:5", `did you mean "reason"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors %q lack %q", msg, want)
		}
	}
	_, err = ParseSuppressions([]byte(strings.Replace(bad, "    reasn: typo\n", "", 1)), "s.yaml")
	for _, want := range []string{"s.yaml:4:5: suppressions[0].reason: every suppression needs a reason", "s.yaml:5:5: suppressions[0].expires", "s.yaml:6:5: suppressions[1].rule", "suppressions[1].expires: every suppression needs an expiry date"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("errors %v lack %q", err, want)
		}
	}
}

func TestApplySuppressions(t *testing.T) {
	rules := map[string]*Rule{"WL-SM-001": {ID: "WL-SM-001"}, "WL-SM-015": {ID: "WL-SM-015"}, "WL-SM-016": {ID: "WL-SM-016"}}
	res := Pos{File: "infra/main.tf", Line: 10}
	findings := []Finding{
		{Rule: "WL-SM-001", Status: Fail, Resource: "aws_sagemaker_notebook_instance.lab", Pos: Pos{File: "infra/main.tf", Line: 12}, ResourcePos: res},
		{Rule: "WL-SM-015", Status: Fail, Resource: "aws_sagemaker_endpoint_configuration.batch_v2", Pos: Pos{File: "infra/ep.tf", Line: 3}},
		{Rule: "WL-SM-016", Status: Fail, Resource: "aws_sagemaker_endpoint_configuration.batch_v2", Pos: Pos{File: "infra/ep.tf", Line: 3}},
		{Rule: "WL-SM-015", Status: Pass, Resource: "aws_sagemaker_endpoint_configuration.live", Pos: Pos{File: "infra/ep.tf", Line: 20}},
	}
	directives := []Directive{
		{Pos: Pos{File: "infra/main.tf", Line: 9}, Rules: []string{"WL-SM-001"}, Reason: "lab", Target: 10},                        // whole resource
		{Pos: Pos{File: "infra/main.tf", Line: 30}, Rules: []string{"WL-SM-001"}, Reason: "stale", Target: 31},                     // matches nothing
		{Pos: Pos{File: "infra/ep.tf", Line: 2}, Rules: []string{"WL-SM-999"}, Reason: "typo", Target: 3},                          // unknown rule
		{Pos: Pos{File: "infra/ep.tf", Line: 1}, Rules: []string{"WL-SM-016"}, Reason: "old", Target: 3, Until: day("2026-11-29")}, // expired yesterday
	}
	list, err := ParseSuppressions([]byte(`format: walens-suppressions/v1
suppressions:
  - rule: WL-SM-015
    resource: "aws_sagemaker_endpoint_configuration.batch*"
    file: "infra/**"
    reason: captured by the batch job
    expires: 2026-11-30
`), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	warnings := applySuppressions(findings, directives, list, rules, day("2026-11-30").Add(23*time.Hour))
	if s := findings[0].Suppressed; s == nil || s.Kind != "inSource" || s.Reason != "lab" {
		t.Errorf("resource-level comment: %+v", s)
	}
	if s := findings[1].Suppressed; s == nil || s.Kind != "external" || s.Expires != "2026-11-30" || s.Pos.Line != 3 {
		t.Errorf("list entry valid through its expiry day: %+v", s)
	}
	if findings[2].Suppressed != nil {
		t.Error("an expired comment must not suppress")
	}
	if findings[3].Suppressed != nil {
		t.Error("passes are never suppressed")
	}
	got := warnings.Error()
	for _, want := range []string{
		"infra/main.tf:30: warning: suppression of WL-SM-001 matches no failing or unknown finding",
		"infra/ep.tf:2: warning: suppression names rule WL-SM-999, which walens does not have (did you mean WL-SM-001?)",
		"infra/ep.tf:1: warning: suppression of WL-SM-016 expired on 2026-11-29; its findings count again",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("warnings lack %q:\n%s", want, got)
		}
	}
	// The next day, the list entry has expired too.
	findings[1].Suppressed = nil
	warnings = applySuppressions(findings, nil, list, rules, day("2026-12-01"))
	if findings[1].Suppressed != nil || !strings.Contains(warnings.Error(), "expired on 2026-11-30") {
		t.Errorf("expired list entry: %+v %v", findings[1].Suppressed, warnings)
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func FuzzParseDirective(f *testing.F) {
	for _, s := range []string{
		"# walens:ignore WL-SM-015 reason", "// walens:ignore A-1,B-2 until=2027-01-01 r", "/* walens:ignore X-1 r */",
		"x = 1 # walens:ignore", "walens:ignore WL-SM-001 no leader", "#walens:ignore\tWL-A-1\tr", "# walens:ignore ,,, r",
		"/#walens:ignore X-1 \n/", // found by fuzzing: a "line" holding a newline
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		d, _, ok, err := ParseDirective(line)
		if !ok || err != nil {
			return
		}
		if len(d.Rules) == 0 || strings.TrimSpace(d.Reason) == "" {
			t.Fatalf("accepted a directive without rules or reason: %q -> %+v", line, d)
		}
		for _, r := range d.Rules {
			if !ruleIDRE.MatchString(r) {
				t.Fatalf("accepted rule ID %q from %q", r, line)
			}
		}
		// ParseDirective reads one line; ScanDirectives splits a file into lines first, so only a single line is
		// comparable.
		if !strings.Contains(line, "\n") {
			if ds, _ := ScanDirectives("f", []byte(line)); len(ds) != 1 {
				t.Fatalf("ScanDirectives disagrees with ParseDirective on %q", line)
			}
		}
	})
}
