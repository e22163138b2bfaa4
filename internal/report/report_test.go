package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/review"
	"github.com/walens/walens/internal/scan"
	"github.com/walens/walens/lenses"
)

var update = flag.Bool("update", false, "rewrite golden files and the documentation screenshot")

var meta = Meta{GeneratedAt: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), WalensVersion: "test"}

var examples = []string{"rag-assistant", "fraud-detection"}

// repoRoot and goldenDir are absolute, because tests that load the examples run from the repository root so that
// evidence paths in the reports read as a user would see them (examples/...).
var (
	repoRoot  = mustAbs(filepath.Join("..", ".."))
	goldenDir = mustAbs(filepath.Join("testdata", "golden"))
)

func mustAbs(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return abs
}

// loadExample loads and evaluates an example review, with the evidence its workload file names.
func loadExample(t *testing.T, name string) (*review.Review, *review.Result, *review.Plan) {
	t.Helper()
	t.Chdir(repoRoot)
	cat, err := lens.NewCatalog(lenses.FS)
	if err != nil {
		t.Fatal(err)
	}
	r, err := review.Load(filepath.Join("examples", name, "walens.yaml"), cat)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := scan.ForReview(context.Background(), r, nil, meta.GeneratedAt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Partial {
		t.Fatalf("example %s's evidence does not load cleanly: %v", name, rep.Problems)
	}
	r.Evidence = evidence.ForReview(rep)
	res := review.Evaluate(r)
	return r, res, review.BuildPlan(res)
}

// golden compares got with testdata/golden/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs from the golden file at line %d:\n got: %s\nwant: %s\n(run go test ./internal/report -update if the change is intended)", name, i+1, g, w)
			}
		}
	}
}

func TestGoldenReports(t *testing.T) {
	for _, name := range examples {
		t.Run(name, func(t *testing.T) {
			r, res, plan := loadExample(t, name)
			render := map[string]func(*bytes.Buffer) error{
				"summary.txt":     func(b *bytes.Buffer) error { return Summary(b, res, plan, Style{}) },
				"summary.ansi":    func(b *bytes.Buffer) error { return Summary(b, res, plan, Style{Color: true}) },
				"plan.txt":        func(b *bytes.Buffer) error { return PlanText(b, res, plan, 10, Style{}) },
				"plan.md":         func(b *bytes.Buffer) error { return PlanMarkdown(b, res, plan, 0) },
				"plan.json":       func(b *bytes.Buffer) error { return PlanJSON(b, res, plan, meta) },
				"report.md":       func(b *bytes.Buffer) error { return Markdown(b, res, plan, meta) },
				"report.json":     func(b *bytes.Buffer) error { return ReviewJSON(b, res, plan, r.Warnings, meta) },
				"report.html":     func(b *bytes.Buffer) error { return HTML(b, res, plan, meta) },
				"check-high.txt":  func(b *bytes.Buffer) error { return checkText(b, res, lens.RiskHigh) },
				"check-high.json": func(b *bytes.Buffer) error { return checkJSON(b, res, lens.RiskHigh) },
			}
			for suffix, fn := range render {
				var b bytes.Buffer
				if err := fn(&b); err != nil {
					t.Fatalf("%s: %v", suffix, err)
				}
				golden(t, name+"."+suffix, b.Bytes())
			}
		})
	}
}

func checkText(b *bytes.Buffer, res *review.Result, level lens.Risk) error {
	c, err := review.Check(res, review.CheckOptions{FailOn: level})
	if err != nil {
		return err
	}
	return CheckText(b, c, Style{})
}

func checkJSON(b *bytes.Buffer, res *review.Result, level lens.Risk) error {
	c, err := review.Check(res, review.CheckOptions{FailOn: level})
	if err != nil {
		return err
	}
	return CheckJSON(b, c, meta)
}

func TestGoldenDiff(t *testing.T) {
	_, res, _ := loadExample(t, "fraud-detection")
	after := review.StateOf(review.Working, res)
	// A synthetic earlier state: two questions that are at risk now were fine, one that is fine now was high.
	before := &review.State{Label: "2026-q3", Risks: map[string]map[string]lens.Risk{}}
	for l, qs := range after.Risks {
		before.Risks[l] = map[string]lens.Risk{}
		for q, r := range qs {
			before.Risks[l][q] = r
		}
	}
	before.Risks["machine-learning"]["mlops06"] = lens.RiskMedium
	before.Risks["machine-learning"]["mlsec03"] = lens.RiskUnanswered
	before.Risks["machine-learning"]["mlrel05"] = lens.RiskHigh
	d := review.Compare(before, after, res.Describe)
	for suffix, fn := range map[string]func(*bytes.Buffer) error{
		"diff.txt":  func(b *bytes.Buffer) error { return DiffText(b, d, Style{}) },
		"diff.md":   func(b *bytes.Buffer) error { return DiffMarkdown(b, d) },
		"diff.json": func(b *bytes.Buffer) error { return DiffJSON(b, d, meta) },
	} {
		var b bytes.Buffer
		if err := fn(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, "fraud-detection."+suffix, b.Bytes())
	}
}

// TestHTMLIsSelfContained guards the promise that the page works offline: no external scripts, styles or images.
func TestHTMLIsSelfContained(t *testing.T) {
	_, res, plan := loadExample(t, "rag-assistant")
	var b bytes.Buffer
	if err := HTML(&b, res, plan, meta); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script src", "<link ", "@import", "<img src=\"http", "url(http"} {
		if strings.Contains(page, bad) {
			t.Errorf("the HTML report loads an external resource (%q)", bad)
		}
	}
	for _, want := range []string{`<svg class="chart"`, `<table class="heat">`, "Improvement plan", res.Workload.Name} {
		if !strings.Contains(page, want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
}

// TestUserTextIsEscaped feeds markup through every human-readable format.
func TestUserTextIsEscaped(t *testing.T) {
	_, res, plan := loadExample(t, "rag-assistant")
	res.Workload.Name = `<script>alert(1)</script> | *x*`
	res.Lenses[0].Questions[0].Notes = `</p><img src=x onerror=alert(1)>`
	var h, m bytes.Buffer
	if err := HTML(&h, res, plan, meta); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), "<script>alert") || strings.Contains(h.String(), "<img src=x") {
		t.Error("HTML report does not escape user text")
	}
	if err := Markdown(&m, res, plan, meta); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.String(), "<script>") || strings.Contains(m.String(), "| *x*") {
		t.Error("Markdown report does not escape user text")
	}
}

// TestJSONMatchesPublishedSchemas validates every golden JSON document against the schema documented in
// docs/schemas, so the documentation cannot drift from the output.
func TestJSONMatchesPublishedSchemas(t *testing.T) {
	schemaDir := filepath.Join(repoRoot, "docs", "schemas")
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	// The schemas refer to each other by their published $id; serve those URLs from docs/schemas.
	const base = "https://walens.dev/schemas/"
	all, _ := filepath.Glob(filepath.Join(schemaDir, "*.schema.json"))
	for _, f := range all {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := c.AddResource(base+filepath.Base(f), doc); err != nil {
			t.Fatal(err)
		}
	}
	compile := func(name string) *jsonschema.Schema {
		s, err := c.Compile(base + name)
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		return s
	}
	schemas := map[string]*jsonschema.Schema{
		"report.json":     compile("review-report.schema.json"),
		"plan.json":       compile("plan.schema.json"),
		"diff.json":       compile("diff.schema.json"),
		"check-high.json": compile("check.schema.json"),
		"scan.json":       compile("scan.schema.json"),
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	checked := 0
	for _, f := range files {
		for suffix, s := range schemas {
			if !strings.HasSuffix(f, "."+suffix) {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Validate(inst); err != nil {
				t.Errorf("%s does not match its schema: %v", f, err)
			}
			checked++
		}
	}
	if checked < 9 {
		t.Errorf("validated %d golden JSON files, want 9", checked)
	}
}
