package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	if dir != "" {
		t.Chdir(dir)
	}
	code := Run(context.Background(), args, IO{
		Stdin:   strings.NewReader(stdin),
		Stdout:  &out,
		Stderr:  &errb,
		Now:     func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) },
		Version: "test",
	})
	return result{code, out.String(), errb.String()}
}

// newWorkspace returns a directory holding the tiny test lens.
func newWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("testdata", "tiny.lens.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tiny.lens.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func expect(t *testing.T, r result, code int, contains ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, c := range contains {
		if !strings.Contains(r.stdout+r.stderr, c) {
			t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", c, r.stdout, r.stderr)
		}
	}
}

// TestReviewLifecycle walks the whole flow a team follows: init, answer (piped), summary, plan, milestone, more
// answers, diff, and the CI gate with and without a baseline.
func TestReviewLifecycle(t *testing.T) {
	dir := newWorkspace(t)
	expect(t, run(t, dir, "", "review", "init", "--name", "demo-app", "--lens", "./tiny.lens.yaml", "--environment", "PRODUCTION"), 0, "wrote walens.yaml")
	expect(t, run(t, dir, "", "review", "init", "--lens", "./tiny.lens.yaml"), 2, "already exists")

	// sec01: practice 1 in place, 2 not applicable; sec02: none of these; rel01: skipped.
	r := run(t, dir, "1 na:2 # keys rotate daily\n0\ns\n", "review", "answer")
	expect(t, r, 0, "[1/3]", "saved: NONE risk", "saved: MEDIUM risk", "skipped", "2 answers saved, 1 skipped")
	data, _ := os.ReadFile(filepath.Join(dir, "walens.yaml"))
	for _, want := range []string{"selected: [sec01_bp01]", "status: NOT_APPLICABLE", "notes: keys rotate daily", "selected: [sec02_no]", "# A short name"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("walens.yaml lacks %q:\n%s", want, data)
		}
	}

	expect(t, run(t, dir, "", "review"), 0, "walens review: demo-app", "tiny", "1 question unanswered")
	expect(t, run(t, dir, "", "review", "plan"), 0, "SEC02-BP01", "Encrypt it.")

	expect(t, run(t, dir, "", "review", "check", "--fail-on", "high"), 0, "PASS")
	expect(t, run(t, dir, "", "review", "check", "--fail-on", "medium"), 1, "FAIL", "SEC02")
	expect(t, run(t, dir, "", "review", "check", "--fail-on", "high", "--fail-on-unanswered"), 1, "unanswered")

	expect(t, run(t, dir, "", "review", "milestone", "v1"), 0, `saved milestone "v1"`)
	expect(t, run(t, dir, "", "review", "milestone", "v1"), 2, "already exists")
	expect(t, run(t, dir, "", "review", "milestones"), 0, "v1")

	// rel01 gets answered with a high risk; sec02 is resolved.
	// Questions come in lens order whatever the flag order: sec02, then rel01.
	expect(t, run(t, dir, "1\n0\n", "review", "answer", "--question", "rel01", "--question", "sec02"), 0, "saved: HIGH risk", "saved: NONE risk")
	expect(t, run(t, dir, "", "review", "diff", "v1"), 0, "New risks (1)", "REL01", "Resolved risks (1)", "SEC02")
	expect(t, run(t, dir, "", "review", "check", "--fail-on", "medium", "--baseline", "v1"), 1, "new HIGH risk (unanswered in v1)")

	var diff struct {
		Schema  string
		Summary map[string]int
	}
	r = run(t, dir, "", "review", "diff", "v1", "working", "--format", "json")
	expect(t, r, 0)
	if err := json.Unmarshal([]byte(r.stdout), &diff); err != nil || diff.Schema != "walens-diff/v1" || diff.Summary["new"] != 1 || diff.Summary["resolved"] != 1 {
		t.Errorf("diff json = %+v, %v\n%s", diff, err, r.stdout)
	}
}

func TestExitCodesAndMessages(t *testing.T) {
	dir := newWorkspace(t)
	expect(t, run(t, dir, "", "review", "init", "--lens", "./tiny.lens.yaml"), 0)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"reveiw"}, 2, "unknown command"},
		{"bad flag", []string{"review", "--nope"}, 2, "unknown flag: --nope"},
		{"bad format", []string{"review", "--format", "jsn"}, 2, `--format must be one of text, markdown, json, html, not "jsn" (did you mean "json"?)`},
		{"missing workload", []string{"review", "missing-dir/walens.yaml"}, 2, "does not exist (create one with: walens review init)"},
		{"bad fail-on", []string{"review", "check", "--fail-on", "low"}, 2, "--fail-on must be high or medium"},
		{"reserved milestone name", []string{"review", "milestone", "working"}, 2, "reserved"},
		{"unknown milestone", []string{"review", "diff", "nope"}, 2, "has no milestones yet"},
		{"unknown lens", []string{"lens", "show", "generative-ia"}, 2, `did you mean "generative-ai"`},
		{"unknown question", []string{"lens", "show", "machine-learning", "--question", "MLSEC33"}, 2, "has no question"},
		{"both path forms", []string{"review", "plan", ".", "-f", "."}, 2, "not both"},
		{"version", []string{"version"}, 0, "walens test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expect(t, run(t, dir, "", tt.args...), tt.code, tt.want)
		})
	}
}

// TestFailedCommandsLeaveTheWorkloadAlone checks that nothing saved is lost when input is bad.
func TestFailedCommandsLeaveTheWorkloadAlone(t *testing.T) {
	dir := newWorkspace(t)
	expect(t, run(t, dir, "", "review", "init", "--lens", "./tiny.lens.yaml"), 0)
	path := filepath.Join(dir, "walens.yaml")
	broken, _ := os.ReadFile(path)
	broken = append(broken, []byte("  tiny:\n    sec01: {selected: [sec01_bp9]}\n")...)
	broken = bytes.Replace(broken, []byte("answers: {}"), []byte("answers:"), 1)
	if err := os.WriteFile(path, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"review", "answer"},
		{"review", "milestone", "m1"},
		{"review", "init", "--lens", "./tiny.lens.yaml"},
		{"review"},
	} {
		r := run(t, dir, "1\n1\n1\n", args...)
		if len(args) > 1 && args[1] == "init" {
			expect(t, r, 2, "already exists")
		} else {
			expect(t, r, 2, `walens.yaml:`, `did you mean "sec01_bp01"?`)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(after, broken) {
			t.Fatalf("%v changed the workload file", args)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "milestones")); err == nil {
		t.Error("a milestone directory was created for an invalid workload")
	}
}

func TestInitIntoNewDirectory(t *testing.T) {
	dir := newWorkspace(t)
	expect(t, run(t, dir, "", "review", "init", "svc/fraud", "--lens", "machine-learning"), 0, "wrote svc/fraud/walens.yaml", "Next: walens review answer svc/fraud")
	expect(t, run(t, dir, "", "review", "svc/fraud"), 0, "walens review: fraud")
	expect(t, run(t, dir, "", "review", "init", "other.yaml", "--lens", "generative-ai", "--name", "x"), 2, "name must be 3-100 characters")
	if _, err := os.Stat(filepath.Join(dir, "other.yaml")); err == nil {
		t.Error("an invalid template was written")
	}
	expect(t, run(t, dir, "", "review", "init", "other.yaml", "--lens", "generative-ai"), 0, "Next: walens review answer other.yaml")
}

func TestAnswerQuitAndEOFKeepProgress(t *testing.T) {
	dir := newWorkspace(t)
	expect(t, run(t, dir, "", "review", "init", "--lens", "./tiny.lens.yaml"), 0)
	expect(t, run(t, dir, "abc\n9\n1,2\nq\n", "review", "answer"), 0, `"abc" is not a choice number`, `"9" is out of range`, "saved: NONE risk", "stopped: quit")
	expect(t, run(t, dir, "0\n", "review", "answer"), 0, "saved: MEDIUM risk", "stopped: end of input")
	expect(t, run(t, dir, "", "review", "check", "--fail-on", "high", "--fail-on-unanswered"), 1, "REL01")
}

func TestLensCommands(t *testing.T) {
	dir := newWorkspace(t)
	expect(t, run(t, dir, "", "lens", "list"), 0, "machine-learning", "105", "agentic-ai", "150")
	expect(t, run(t, dir, "", "lens", "show", "machine-learning", "--question", "MLSEC-04"), 0, "MLSEC03", "mlsec03_bp02", "Risk rules")
	expect(t, run(t, dir, "", "lens", "validate", "tiny.lens.yaml"), 0, "ok   tiny.lens.yaml: lens tiny, 3 questions, 6 best practices")

	bad := strings.Replace(mustRead(t, filepath.Join(dir, "tiny.lens.yaml")), `"sec01_bp01 && sec01_bp02"`, `"sec01_bp01 && sec01_bp2"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	expect(t, run(t, dir, "", "lens", "validate", "bad.yaml"), 1, "FAIL bad.yaml", `did you mean "sec01_bp02"?`)
	expect(t, run(t, dir, "", "lens", "validate", "nope.yaml"), 2, "nope.yaml")

	r := run(t, dir, "", "lens", "export", "tiny.lens.yaml")
	expect(t, r, 0, `"schemaVersion": "2021-11-01"`)
	if err := os.WriteFile(filepath.Join(dir, "tiny.json"), []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	expect(t, run(t, dir, "", "lens", "import", "tiny.json", "--id", "tiny-copy"), 0, "imported lens tiny-copy", "tiny-copy.lens.yaml")
	expect(t, run(t, dir, "", "lens", "import", "tiny.json", "--id", "tiny-copy"), 2, "already exists")
	expect(t, run(t, dir, "", "lens", "import", "tiny.json", "--id", "generative-ai"), 2, "taken by a built-in lens")
	again := run(t, dir, "", "lens", "export", "tiny-copy.lens.yaml")
	expect(t, again, 0)
	if again.stdout != r.stdout {
		t.Error("export -> import -> export is not lossless")
	}
}

// TestImportPublicLenses runs the custom-lens fixtures through import and export via the CLI.
func TestImportPublicLenses(t *testing.T) {
	shared, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "fixtures", "custom-lenses"))
	files, _ := filepath.Glob(filepath.Join(shared, "*.json"))
	if len(files) == 0 {
		t.Skipf("no custom-lens fixtures under %s; skipping", shared)
	}
	dir := t.TempDir()
	for _, f := range files {
		out := filepath.Join(dir, filepath.Base(f)+".yaml")
		expect(t, run(t, dir, "", "lens", "import", f, "--out", out), 0, "imported lens")
		r := run(t, dir, "", "lens", "export", out)
		expect(t, r, 0)
		var a, b any
		if err := json.Unmarshal([]byte(mustRead(t, f)), &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(r.stdout), &b); err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Errorf("%s: round trip through the CLI changed the lens", filepath.Base(f))
		}
	}
}

func TestHelpHasExamples(t *testing.T) {
	for _, args := range [][]string{{"review", "--help"}, {"review", "check", "--help"}, {"review", "answer", "--help"}, {"lens", "import", "--help"}} {
		r := run(t, "", "", args...)
		expect(t, r, 0, "Examples:", "walens ")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
