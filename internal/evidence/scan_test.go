package evidence_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/evidence/terraform"
	"github.com/walens/walens/internal/evidence/tfplan"
)

// kmsRule fails notebooks without kms_key_id: enough of a rule to see findings flow through the scanner.
var kmsRule = &evidence.Rule{
	ID: "WL-T-001", Title: "test", Severity: evidence.SeverityHigh, Types: []string{"aws_sagemaker_notebook_instance"},
	Practices: []evidence.Practice{{Ref: "MLSEC02-BP01"}},
	Check: func(c *evidence.Check, r *evidence.Resource) {
		c.RequireSet(r, "encryption", "kms_key_id")
	},
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const notebook = `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/x"
  instance_type = "ml.t3.medium"
}
`

func scan(t *testing.T, opts evidence.Options, roots ...string) *evidence.Report {
	t.Helper()
	s := &evidence.Scanner{Sources: []evidence.Source{terraform.Source{}, tfplan.Source{}}, Rules: []*evidence.Rule{kmsRule}, Options: opts}
	rep, err := s.Scan(context.Background(), roots)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func problemsText(l diag.List) string { return l.Error() }

func TestScanBadInputGoesOn(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "good", "main.tf"), notebook)
	write(t, filepath.Join(dir, "broken", "main.tf"), "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  tags = {\n}\n")
	write(t, filepath.Join(dir, "bin", "data.json"), "{\"format_version\":\x00\x01}")
	write(t, filepath.Join(dir, "big", "plan.json"), `{"format_version":"1.2","planned_values":{}}`+strings.Repeat(" ", 5000))
	write(t, filepath.Join(dir, "skip", "ignored.tf"), notebook)
	if err := os.Symlink("..", filepath.Join(dir, "good", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere", filepath.Join(dir, "good", "dangling.tf")); err != nil {
		t.Fatal(err)
	}

	rep := scan(t, evidence.Options{MaxFileBytes: 4096, Exclude: []string{"**/skip/**"}}, dir, filepath.Join(dir, "missing"))

	if !rep.Partial {
		t.Error("a file that does not parse must make the scan partial")
	}
	got := problemsText(rep.Problems)
	for _, want := range []string{
		filepath.Join(dir, "broken", "main.tf") + ":1:30: invalid HCL: Unclosed configuration block",
		filepath.Join(dir, "bin", "data.json") + ": warning: skipped: binary content",
		filepath.Join(dir, "big", "plan.json") + ": warning: skipped: 5044 bytes, over the 4096-byte limit",
		filepath.Join(dir, "good", "loop") + ": warning: skipped: symbolic link loop",
		filepath.Join(dir, "good", "dangling.tf") + ": warning: skipped: broken symbolic link",
		filepath.Join(dir, "missing") + ": cannot scan: no such file or directory",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	// The good module is still scanned, once, although the loop leads back to it; the excluded one is not.
	if n := len(rep.Findings); n != 1 || rep.Findings[0].Status != evidence.Fail || rep.Findings[0].Pos.Line != 1 {
		t.Fatalf("findings: %+v", rep.Findings)
	}
}

func TestScanUnreadableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which reads any directory; the permission case needs an unprivileged user")
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "locked", "main.tf"), notebook)
	if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(filepath.Join(dir, "locked"), 0o755)
	rep := scan(t, evidence.Options{}, dir)
	if !rep.Partial || !strings.Contains(problemsText(rep.Problems), "cannot scan directory") {
		t.Fatalf("want a partial scan naming the directory, got %v", rep.Problems)
	}
}

func TestScanSuppressionComment(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), "# walens:ignore WL-T-001 scratch notebook, no data\n"+notebook)
	rep := scan(t, evidence.Options{}, dir)
	if len(rep.Findings) != 1 || rep.Findings[0].Suppressed == nil || rep.Findings[0].Suppressed.Reason != "scratch notebook, no data" {
		t.Fatalf("findings: %+v", rep.Findings)
	}
	if s := rep.Summary(); s.Failed != 0 || s.Suppressed != 1 {
		t.Errorf("summary %+v", s)
	}
	if len(rep.Gate(evidence.SeverityLow, true)) != 0 {
		t.Error("a suppressed failure must not fail the gate")
	}
}
