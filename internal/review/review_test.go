package review

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/lenses"
)

func catalog(t testing.TB) *lens.Catalog {
	t.Helper()
	c, err := lens.NewCatalog(lenses.FS)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// workspace copies the tiny test lens into a temporary directory and writes a workload next to it.
func workspace(t testing.TB, workload string) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("testdata", "tiny.lens.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tiny.lens.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, DefaultFile)
	if err := os.WriteFile(path, []byte(workload), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const tinyHead = `format: walens-workload/v1
workload:
  name: test-workload
  environment: PRODUCTION
  lenses: [./tiny.lens.yaml]
`

func load(t testing.TB, workload string) *Review {
	t.Helper()
	r, err := Load(workspace(t, workload), catalog(t))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return r
}

func TestEvaluateRisks(t *testing.T) {
	r := load(t, tinyHead+`answers:
  tiny:
    sec01:
      selected: [SEC-1]              # a legacy alias resolves to sec01_bp01
    SEC02:                           # an AWS ID works as a question key
      choices:
        sec02_bp01: {status: NOT_APPLICABLE, reason: ARCHITECTURE_CONSTRAINTS}
    rel01:
      selected: [rel01_no]
`)
	res := Evaluate(r)
	want := map[string]lens.Risk{"sec01": lens.RiskMedium, "sec02": lens.RiskNone, "rel01": lens.RiskHigh}
	for q, risk := range want {
		if got := res.Question("tiny", q).Risk; got != risk {
			t.Errorf("%s: risk %s, want %s", q, got, risk)
		}
	}
	if got := res.Question("tiny", "sec01").Missing; strings.Join(got, ",") != "sec01_bp02,sec01_bp03" {
		t.Errorf("sec01 missing = %v, want medium before low", got)
	}
	lr := res.Lenses[0]
	if lr.Counts != (Counts{High: 1, Medium: 1, None: 1}) {
		t.Errorf("lens counts = %+v", lr.Counts)
	}
	if lr.ByPillar[0].Counts != (Counts{Medium: 1, None: 1}) || lr.ByPillar[1].Counts != (Counts{High: 1}) {
		t.Errorf("pillar counts = %+v", lr.ByPillar)
	}
	// sec02 belongs to both phases; it counts in each.
	if lr.ByPhase[0].Counts != (Counts{Medium: 1, None: 1}) || lr.ByPhase[1].Counts != (Counts{None: 1, High: 1}) {
		t.Errorf("phase counts = %+v", lr.ByPhase)
	}
	if lr.Matrix == nil || lr.Matrix.Axis != "phase" || lr.Matrix.Rows[1].Cells[1] != (Counts{High: 1}) {
		t.Errorf("matrix = %+v", lr.Matrix)
	}
}

func TestEvaluateApplicability(t *testing.T) {
	tests := []struct {
		name, answer string
		want         lens.Risk
	}{
		{"unanswered", "", lens.RiskUnanswered},
		{"empty entry", "    sec01:\n", lens.RiskUnanswered},
		{"only unselected", "    sec01:\n      choices:\n        sec01_bp01: {status: UNSELECTED, notes: planned}\n", lens.RiskUnanswered},
		{"question not applicable", "    sec01:\n      applicable: false\n      reason: OUT_OF_SCOPE\n", lens.RiskNotApplicable},
		{"none of these", "    sec01:\n      selected: [sec01_no]\n", lens.RiskHigh},
		{"all", "    sec01:\n      selected: [sec01_bp01, sec01_bp02]\n", lens.RiskNone},
		{"n/a counts as done", "    sec01:\n      selected: [sec01_bp01]\n      choices:\n        sec01_bp02: {status: NOT_APPLICABLE}\n", lens.RiskNone},
		{"low missing is no risk", "    sec01:\n      selected: [SEC01-BP01, SEC01-BP02]\n", lens.RiskNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tinyHead
			if tt.answer != "" {
				doc += "answers:\n  tiny:\n" + tt.answer
			}
			got := Evaluate(load(t, doc)).Question("tiny", "sec01").Risk
			if got != tt.want {
				t.Errorf("risk %s, want %s", got, tt.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"unknown built-in lens", strings.Replace(tinyHead, "[./tiny.lens.yaml]", "[generative-ia]", 1),
			`walens.yaml:5:12: workload.lenses[0]: unknown lens "generative-ia"; built-in lenses are machine-learning, generative-ai, responsible-ai, sustainability-ai, agentic-ai (did you mean "generative-ai"?)`},
		{"missing lens file", strings.Replace(tinyHead, "./tiny.lens.yaml", "./nope.yaml", 1), "workload.lenses[0]: load lens: open"},
		{"unknown question", tinyHead + "answers:\n  tiny:\n    sec1:\n      selected: [sec01_bp01]\n",
			`walens.yaml:8:5: answers.tiny.sec1: lens "tiny" has no question "sec1" (did you mean "sec01"?)`},
		{"unknown choice", tinyHead + "answers:\n  tiny:\n    sec01:\n      selected: [sec01_bp1]\n",
			`walens.yaml:9:18: answers.tiny.sec01.selected[0]: question "sec01" has no choice "sec01_bp1" (did you mean "sec01_bp01"?)`},
		{"none with others", tinyHead + "answers:\n  tiny:\n    sec01:\n      selected: [sec01_no, sec01_bp01]\n",
			`"sec01_no" (None of these) cannot be selected together with "sec01_bp01"`},
		{"bad status", tinyHead + "answers:\n  tiny:\n    sec01:\n      choices:\n        sec01_bp01: {status: SELECT}\n",
			`answers.tiny.sec01.choices.sec01_bp01.status: status "SELECT" must be SELECTED, NOT_APPLICABLE or UNSELECTED (did you mean "SELECTED"?)`},
		{"bad reason", tinyHead + "answers:\n  tiny:\n    sec01:\n      applicable: false\n      reason: OUT_OF_SCOP\n",
			`reason "OUT_OF_SCOP" must be one of OUT_OF_SCOPE, BUSINESS_PRIORITIES, ARCHITECTURE_CONSTRAINTS, OTHER, NONE (did you mean "OUT_OF_SCOPE"?)`},
		{"answers for unlisted lens", tinyHead + "answers:\n  tinny:\n    sec01: {selected: [sec01_bp01]}\n",
			`walens.yaml:7:3: answers.tinny: answers for lens "tinny", which is not in workload.lenses (did you mean "tiny"?)`},
		{"environment", strings.Replace(tinyHead, "PRODUCTION", "PROD", 1), `environment "PROD" must be PRODUCTION or PREPRODUCTION (did you mean "PRODUCTION"?)`},
		{"priority", tinyHead + "  pillarPriorities: [securty]\n", `workload.pillarPriorities[0]: "securty" is not a pillar of the workload's lenses (did you mean "security"?)`},
		{"unknown field", strings.Replace(tinyHead, "  environment:", "  enviroment:", 1), `walens.yaml:4:3: workload.enviroment: unknown field "enviroment" (did you mean "environment"?)`},
		{"no name", strings.Replace(tinyHead, "  name: test-workload\n", "", 1), "workload.name: the workload needs a name"},
		{"no format", strings.Replace(tinyHead, "format: walens-workload/v1\n", "", 1), "format is required"},
		{"answered twice", tinyHead + "answers:\n  tiny:\n    sec01: {selected: [sec01_bp01]}\n    SEC01: {selected: [sec01_bp02]}\n", "is answered twice"},
		{"choice notes too long", tinyHead + "answers:\n  tiny:\n    sec01:\n      choices:\n        sec01_bp01: {status: SELECTED, notes: " + strings.Repeat("x", 251) + "}\n",
			"notes are 251 characters; the WA Tool's limit is 250"},
		{"malformed", tinyHead + "answers: [\n", "walens.yaml:6: invalid YAML"},
		{"none not applicable", tinyHead + "answers:\n  tiny:\n    sec01:\n      choices:\n        sec01_no: {status: NOT_APPLICABLE}\n", "cannot be not applicable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(workspace(t, tt.doc), catalog(t))
			if err == nil {
				t.Fatal("no error")
			}
			got := strings.ReplaceAll(err.Error(), filepath.Dir(strings.SplitN(err.Error(), "walens.yaml", 2)[0])+"/", "")
			if !strings.Contains(got, tt.want) {
				t.Errorf("error:\n%s\nwant it to contain:\n%s", got, tt.want)
			}
		})
	}
}

func TestPlanOrder(t *testing.T) {
	r := load(t, strings.Replace(tinyHead, "  lenses:", "  pillarPriorities: [reliability]\n  lenses:", 1)+`answers:
  tiny:
    sec01: {selected: [sec01_no]}
    sec02: {selected: [sec02_no]}
    rel01: {selected: [rel01_bp01]}
`)
	plan := BuildPlan(Evaluate(r))
	var got []string
	for _, it := range plan.Items {
		got = append(got, it.Level+":"+it.Choice)
	}
	// HIGH first; among HIGH, the prioritised reliability pillar first; LOW last.
	want := "HIGH:rel01_bp02 HIGH:sec01_bp01 MEDIUM:sec01_bp02 MEDIUM:sec02_bp01 LOW:sec01_bp03"
	if strings.Join(got, " ") != want {
		t.Errorf("plan order:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if plan.Items[1].URL != "https://example.com/sec01-bp01" || plan.Items[1].Action != "Grant less." || plan.Items[0].Rank != 1 {
		t.Errorf("item fields: %+v", plan.Items[1])
	}
}

func TestPlanListsUnanswered(t *testing.T) {
	plan := BuildPlan(Evaluate(load(t, tinyHead)))
	if len(plan.Items) != 0 || len(plan.Unanswered) != 3 {
		t.Errorf("items %d, unanswered %d", len(plan.Items), len(plan.Unanswered))
	}
}

func TestMilestonesAndDiff(t *testing.T) {
	path := workspace(t, tinyHead+`answers:
  tiny:
    sec01: {selected: [sec01_bp01]}
    sec02: {selected: [sec02_bp01]}
    rel01: {selected: [rel01_no]}
`)
	cat := catalog(t)
	r, err := Load(path, cat)
	if err != nil {
		t.Fatal(err)
	}
	res := Evaluate(r)
	when := time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)
	m, err := Snapshot(r, res, "2026-q3", when, "test")
	if err != nil {
		t.Fatal(err)
	}
	saved, err := m.Save(MilestoneDir(path))
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(saved); st.Mode().Perm() != 0o444 {
		t.Errorf("milestone mode %v, want read-only", st.Mode().Perm())
	}
	if _, err := m.Save(MilestoneDir(path)); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second save: %v", err)
	}
	for _, bad := range []string{"working", "a/b", "", "-x", strings.Repeat("a", 101)} {
		if err := CheckMilestoneName(bad); err == nil {
			t.Errorf("milestone name %q accepted", bad)
		}
	}

	// Change the answers: sec01 regresses to HIGH, sec02 becomes unanswered, rel01 is resolved.
	data := strings.Replace(tinyHead, "", "", 1) + `answers:
  tiny:
    sec01: {selected: [sec01_no]}
    rel01: {selected: [rel01_bp01, rel01_bp02]}
`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	r2, err := Load(path, cat)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := FindMilestone(path, "2026-q3")
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.CreatedAt.Equal(when) || loaded.Lenses[0].ID != "tiny" || !strings.HasPrefix(loaded.Lenses[0].Digest, "sha256:") {
		t.Errorf("loaded milestone = %+v", loaded)
	}
	d := Compare(StateOfMilestone(loaded), StateOf(Working, Evaluate(r2)), nil)
	kinds := map[string]ChangeKind{}
	for _, c := range d.Changes {
		kinds[c.Question] = c.Kind
	}
	want := map[string]ChangeKind{"sec01": Regressed, "sec02": Reopened, "rel01": Resolved}
	for q, k := range want {
		if kinds[q] != k {
			t.Errorf("%s: %s, want %s (all: %v)", q, kinds[q], k, kinds)
		}
	}
	if len(d.Worse(lens.RiskHigh)) != 1 {
		t.Errorf("worse = %v", d.Worse(lens.RiskHigh))
	}

	if _, err := FindMilestone(path, "2026-q4"); err == nil || !strings.Contains(err.Error(), `did you mean "2026-q3"`) {
		t.Errorf("unknown milestone: %v", err)
	}
	all, err := ListMilestones(path)
	if err != nil || len(all) != 1 {
		t.Errorf("list: %v %v", all, err)
	}
}

func TestClassify(t *testing.T) {
	H, M, N, NA, U := lens.RiskHigh, lens.RiskMedium, lens.RiskNone, lens.RiskNotApplicable, lens.RiskUnanswered
	tests := []struct {
		from, to lens.Risk
		want     ChangeKind
	}{
		{U, H, New}, {U, M, New}, {N, M, Regressed}, {M, H, Regressed}, {NA, H, Regressed},
		{H, M, Improved}, {H, N, Resolved}, {M, NA, Resolved}, {H, U, Reopened}, {U, N, Answered}, {N, NA, Unassessed},
	}
	for _, tt := range tests {
		if got, _ := classify(tt.from, tt.to, true, true); got != tt.want {
			t.Errorf("%s -> %s: %s, want %s", tt.from, tt.to, got, tt.want)
		}
	}
	if got, _ := classify(H, "", true, false); got != Dropped {
		t.Errorf("dropped: %s", got)
	}
	if _, changed := classify(H, H, true, true); changed {
		t.Error("same risk reported as a change")
	}
}

func TestCheck(t *testing.T) {
	res := Evaluate(load(t, tinyHead+`answers:
  tiny:
    sec01: {selected: [sec01_bp01]}
    rel01: {selected: [rel01_no]}
`))
	tests := []struct {
		name     string
		opts     CheckOptions
		pass     bool
		findings int
	}{
		{"high", CheckOptions{FailOn: lens.RiskHigh}, false, 1},
		{"medium includes high", CheckOptions{FailOn: lens.RiskMedium}, false, 2},
		{"unanswered", CheckOptions{FailOn: lens.RiskHigh, FailOnUnanswered: true}, false, 2},
		{"baseline with the same risks", CheckOptions{FailOn: lens.RiskMedium, Baseline: &State{Label: "b", Risks: map[string]map[string]lens.Risk{"tiny": {"sec01": lens.RiskMedium, "rel01": lens.RiskHigh}}}}, true, 0},
		{"baseline with lower risk", CheckOptions{FailOn: lens.RiskHigh, Baseline: &State{Label: "b", Risks: map[string]map[string]lens.Risk{"tiny": {"sec01": lens.RiskMedium, "rel01": lens.RiskMedium}}}}, false, 1},
		{"baseline without the question", CheckOptions{FailOn: lens.RiskHigh, Baseline: &State{Label: "b", Risks: map[string]map[string]lens.Risk{}}}, false, 1},
	}
	for _, tt := range tests {
		got, err := Check(res, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		if got.Passed != tt.pass || len(got.Findings) != tt.findings {
			t.Errorf("%s: passed %v with %d findings %+v, want %v and %d", tt.name, got.Passed, len(got.Findings), got.Findings, tt.pass, tt.findings)
		}
	}
	if _, err := Check(res, CheckOptions{FailOn: lens.RiskNone}); err == nil {
		t.Error("fail-on NONE accepted")
	}
}

func TestSetAnswerKeepsCommentsAndValidates(t *testing.T) {
	cat := catalog(t)
	tiny, _, err := lens.LoadFile(filepath.Join("testdata", "tiny.lens.yaml"), lens.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := Template(".", TemplateOptions{Name: "demo", Lenses: []*lens.Lens{tiny}, LensRefs: []string{"./tiny.lens.yaml"}, Builtins: cat.BuiltinIDs()})
	if err != nil {
		t.Fatal(err)
	}
	tmplStr := string(tmpl)
	path := workspace(t, tmplStr+"  # trailing comment\n")
	r, err := Load(path, cat)
	if err != nil {
		t.Fatalf("template does not load: %v\n%s", err, tmplStr)
	}
	if err := r.SetAnswer("tiny", "sec01", &Answer{Selected: []string{"sec01_bp01"}, Notes: "first"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Save(cat); err != nil {
		t.Fatal(err)
	}
	// Replace the same answer through an alias key written by hand.
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), "\n    sec01:\n", "\n    # kept\n    SEC01:\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if r, err = Load(path, cat); err != nil {
		t.Fatal(err)
	}
	if err := r.SetAnswer("tiny", "sec01", &Answer{Selected: []string{"sec01_bp01", "sec01_bp02"}}); err != nil {
		t.Fatal(err)
	}
	if r, err = r.Save(cat); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if !strings.Contains(string(got), "format: walens-workload/v1\n\nworkload:") || !strings.Contains(string(got), "reliability]\n\n# Answers, per lens") {
		t.Errorf("blank lines between top-level sections were lost:\n%s", got)
	}
	for _, want := range []string{"# walens workload file", "# A short name, 3-100 characters.", "# kept", "SEC01:", "selected: [sec01_bp01, sec01_bp02]"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("saved file lacks %q:\n%s", want, got)
		}
	}
	answers := string(got)[strings.Index(string(got), "\nanswers:\n"):]
	if strings.Count(answers, "sec01_bp01") != 1 || strings.Contains(answers, "first") {
		t.Errorf("the old answer was not replaced:\n%s", got)
	}
	if Evaluate(r).Question("tiny", "sec01").Risk != lens.RiskNone {
		t.Error("reloaded review does not reflect the new answer")
	}

	// An invalid edit is refused and leaves the file as it was.
	if err := r.SetAnswer("tiny", "sec02", &Answer{Selected: []string{"nope"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Save(cat); err == nil || !strings.Contains(err.Error(), "left unchanged") {
		t.Errorf("invalid save: %v", err)
	}
	after, _ := os.ReadFile(path)
	if string(after) != string(got) {
		t.Error("a refused save changed the file")
	}
}

func TestAnswerForRoundTrip(t *testing.T) {
	r := load(t, tinyHead+`answers:
  tiny:
    sec01:
      selected: [SEC-1]
      choices:
        sec01_bp02: {status: NOT_APPLICABLE, reason: OTHER, notes: n}
      notes: q
`)
	a := r.AnswerFor("tiny", "sec01")
	if strings.Join(a.Selected, ",") != "sec01_bp01" || a.Choices["sec01_bp02"].Reason != "OTHER" || a.Notes != "q" {
		t.Errorf("AnswerFor = %+v", a)
	}
	if r.AnswerFor("tiny", "rel01") != nil {
		t.Error("unanswered question has an answer")
	}
}

func FuzzParseWorkload(f *testing.F) {
	f.Add([]byte(tinyHead + "answers:\n  tiny:\n    sec01: {selected: [sec01_bp01]}\n"))
	f.Add([]byte("format: walens-workload/v1\nworkload: {name: x, lenses: [generative-ai]}\nanswers: {generative-ai: {gensec01: {applicable: false}}}\n"))
	cat := catalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data, "fuzz.yaml", cat)
		if err != nil {
			var list diag.List
			if _, ok := err.(diag.List); !ok && !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error names no file: %v (%T)", err, list)
			}
			return
		}
		res := Evaluate(r)
		BuildPlan(res)
	})
}

// TestSharedPractices covers best practices that two lenses share: MLSUS practices appear in both the
// machine-learning and the sustainability-ai lens.
func TestSharedPractices(t *testing.T) {
	head := `format: walens-workload/v1
workload:
  name: shared
  lenses: [machine-learning, sustainability-ai]
answers:
`
	// Consistent answers: the practice is missing in both, so the plan lists it once.
	r := load(t, head+"  machine-learning:\n    mlsus01: {selected: [mlsus01_no]}\n  sustainability-ai:\n    sus06: {selected: [sus06_no]}\n")
	if len(r.Warnings) != 0 {
		t.Errorf("unexpected warnings: %v", r.Warnings)
	}
	var found []PlanItem
	for _, it := range BuildPlan(Evaluate(r)).Items {
		if it.ChoiceRef == "MLSUS01-BP01" {
			found = append(found, it)
		}
	}
	if len(found) != 1 || strings.Join(found[0].AlsoIn, ",") != "sustainability-ai/sus06" {
		t.Errorf("plan items for MLSUS01-BP01 = %+v, want one, also in sustainability-ai/sus06", found)
	}

	// Contradicting answers produce a warning that names both places.
	r = load(t, head+"  machine-learning:\n    mlsus01: {selected: [MLSUS01-BP01]}\n  sustainability-ai:\n    sus06: {selected: [sus06_no]}\n")
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0].String(), "answers.sustainability-ai.sus06: MLSUS01-BP01 is in place according to machine-learning mlsus01 but not here") {
		t.Errorf("warnings = %v", r.Warnings)
	}
	if got := r.PracticeElsewhere("sustainability-ai", "MLSUS01-BP01"); got != "machine-learning mlsus01" {
		t.Errorf("PracticeElsewhere = %q", got)
	}
}

// TestDocumentedExampleLoads keeps the example in docs/workload-file.md valid.
func TestDocumentedExampleLoads(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "workload-file.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("no yaml example in docs/workload-file.md")
	}
	path := filepath.Join(t.TempDir(), DefaultFile)
	if err := os.WriteFile(path, []byte(example), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Load(path, catalog(t))
	if err != nil {
		t.Fatalf("the documented example does not load: %v", err)
	}
	res := Evaluate(r)
	if got := res.Question("machine-learning", "mlsec04").Risk; got != lens.RiskNotApplicable {
		t.Errorf("mlsec04 = %s", got)
	}
	if got := res.Question("machine-learning", "mlcost06").Risk; got != lens.RiskUnanswered {
		t.Errorf("mlcost06 = %s", got)
	}
}

// TestCustomLensJSONInReview uses a lens in the WA Tool's custom-lens JSON format directly in a workload.
func TestCustomLensJSONInReview(t *testing.T) {
	tiny, _, err := lens.LoadFile(filepath.Join("testdata", "tiny.lens.yaml"), lens.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := lens.Export(tiny)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "our-lens.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, DefaultFile)
	doc := `format: walens-workload/v1
workload:
  name: json-lens
  lenses: [./our-lens.json]
  pillarPriorities: [reliability]
answers:
  our-lens:
    sec01: {selected: [sec01_bp01]}
    rel01: {selected: [rel01_no]}
`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Load(path, catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	res := Evaluate(r)
	if res.Question("our-lens", "sec01").Risk != lens.RiskMedium || res.Question("our-lens", "rel01").Risk != lens.RiskHigh {
		t.Errorf("risks = %s, %s", res.Question("our-lens", "sec01").Risk, res.Question("our-lens", "rel01").Risk)
	}
	// Custom-lens JSON carries no levels, so plan items take the level of their question's risk.
	plan := BuildPlan(res)
	if plan.Items[0].Level != "HIGH" || plan.Items[0].Question != "rel01" {
		t.Errorf("first plan item = %+v", plan.Items[0])
	}
}
