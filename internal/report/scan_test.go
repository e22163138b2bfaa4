package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/evidence/rules"
	"github.com/walens/walens/internal/scan"
)

// scanExample scans an example's infrastructure code from the repository root, as a user would.
func scanExample(t *testing.T, name string) *evidence.Report {
	t.Helper()
	t.Chdir(repoRoot)
	sc, err := scan.New(scan.Settings{Now: meta.GeneratedAt, RequiredTags: []string{"CostCenter"}, Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := sc.Scan(context.Background(), []string{filepath.Join("examples", name, "infra")})
	if err != nil {
		t.Fatal(err)
	}
	rep.Elapsed = 0 // timings would make the golden files flap
	return rep
}

func TestGoldenScanReports(t *testing.T) {
	for _, name := range examples {
		t.Run(name, func(t *testing.T) {
			rep := scanExample(t, name)
			for suffix, fn := range map[string]func(*bytes.Buffer) error{
				"scan.txt":   func(b *bytes.Buffer) error { return ScanText(b, rep, ScanOptions{ShowPassed: true}, Style{}) },
				"scan.json":  func(b *bytes.Buffer) error { return ScanJSON(b, rep, meta) },
				"scan.sarif": func(b *bytes.Buffer) error { return SARIF(b, rep, repoRoot, "test") },
			} {
				var b bytes.Buffer
				if err := fn(&b); err != nil {
					t.Fatal(err)
				}
				golden(t, name+"."+suffix, b.Bytes())
			}
		})
	}
}

// TestSARIFValidates checks the SARIF output against the official SARIF 2.1.0 schema, and that a SARIF library
// reading it loses nothing, so the schema check covers every field walens writes.
func TestSARIFValidates(t *testing.T) {
	for _, name := range examples {
		t.Run(name, func(t *testing.T) {
			rep := scanExample(t, name)
			// Suppress one finding so the suppression shape is covered too.
			for i := range rep.Findings {
				if rep.Findings[i].Status == evidence.Fail {
					rep.Findings[i].Suppressed = &evidence.Suppression{Kind: "external", Reason: "test", Pos: evidence.Pos{File: "s.yaml", Line: 3}}
					break
				}
			}
			var b bytes.Buffer
			if err := SARIF(&b, rep, repoRoot, "test"); err != nil {
				t.Fatal(err)
			}
			log, err := sarif.FromBytes(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			// The library writes a few fields even when a log omits them; give them their SARIF defaults, as a
			// consumer would, so the schema judges walens' output and not the library's empty strings.
			for _, run := range log.Runs {
				run.Language = "en-US"
				run.NewlineSequences = []string{"\r\n", "\n"}
				run.Tool.Driver.Language = "en-US"
			}
			if err := log.Validate(); err != nil {
				t.Fatalf("SARIF does not validate: %v", err)
			}
			var ours, theirs any
			if err := json.Unmarshal(b.Bytes(), &ours); err != nil {
				t.Fatal(err)
			}
			round, err := json.Marshal(log)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(round, &theirs); err != nil {
				t.Fatal(err)
			}
			if path := missingIn(ours, theirs, "$"); path != "" {
				t.Fatalf("the SARIF library dropped %s, so the schema did not check it", path)
			}
			var results int
			for _, r := range log.Runs[0].Results {
				if r.RuleID == nil || r.Locations[0].PhysicalLocation.ArtifactLocation.URI == nil {
					t.Fatalf("result without rule or location: %+v", r)
				}
				results++
			}
			if results == 0 {
				t.Fatal("no results: the example should have failing findings")
			}
		})
	}
}

// missingIn returns the path of the first value of a that b does not have, or "".
func missingIn(a, b any, path string) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return path
		}
		for k, v := range x {
			if p := missingIn(v, y[k], path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(y) != len(x) {
			return path
		}
		for i := range x {
			if p := missingIn(x[i], y[i], path+"[]"); p != "" {
				return p
			}
		}
	default:
		if !reflect.DeepEqual(a, b) {
			return path
		}
	}
	return ""
}

// TestRulesDoc keeps docs/rules.md equal to what walens scan rules --format markdown prints.
func TestRulesDoc(t *testing.T) {
	var b bytes.Buffer
	if err := RulesMarkdown(&b, rules.All()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(repoRoot, "docs", "rules.md")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, b.Bytes()) {
		t.Error("docs/rules.md is out of date: run go test ./internal/report -update")
	}
}
