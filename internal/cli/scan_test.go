package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const scanNotebook = `resource "aws_sagemaker_notebook_instance" "lab" {
  name                   = "lab"
  role_arn               = "arn:aws:iam::123456789012:role/lab"
  instance_type          = "ml.t3.medium"
  direct_internet_access = "Disabled"
  root_access            = "Disabled"
  kms_key_id             = "arn:aws:kms:eu-west-1:123456789012:key/1234"
  subnet_id              = "subnet-0abc"
  tags                   = { CostCenter = "ml" }
  instance_metadata_service_configuration {
    minimum_instance_metadata_service_version = "2"
  }
}

resource "aws_budgets_budget" "ml" {
  name         = "ml"
  budget_type  = "COST"
  limit_amount = "100"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"
  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = ["ml@example.com"]
  }
}
`

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestScanExitCodes checks the contract CI relies on: 0 clean, 1 failures at or above --fail-on, 2 bad usage,
// 3 partial results.
func TestScanExitCodes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "infra", "nb.tf"), scanNotebook)

	// The notebook has no auto-stop lifecycle configuration: WL-SM-006, a MEDIUM failure.
	expect(t, run(t, dir, "", "scan", "infra"), 1, "WL-SM-006", "infra/nb.tf:1:1", "aws_sagemaker_notebook_instance.lab", "1 finding at or above low")
	expect(t, run(t, dir, "", "scan", "infra", "--fail-on", "high"), 0, "1 failed (1 medium)")
	expect(t, run(t, dir, "", "scan", "infra", "--fail-on", "none"), 0)
	// The role is not in the scanned code: WL-SM-007 is unknown, which fails only on request.
	expect(t, run(t, dir, "", "scan", "infra", "--fail-on", "high", "--fail-on-unknown"), 1, "WL-SM-007")

	expect(t, run(t, dir, "", "scan", "missing"), 2, "cannot scan missing")
	expect(t, run(t, dir, "", "scan", "infra", "--fail-on", "severe"), 2, "low, medium, high or critical")
	expect(t, run(t, dir, "", "scan", "infra", "--rule", "WL-SM-999"), 2, "there is no rule WL-SM-999")
	expect(t, run(t, dir, "", "scan", "infra", "--format", "sarf"), 2, `did you mean "sarif"`)
	expect(t, run(t, dir, "", "scan", "infra", "--max-file-size", "lots"), 2, "not a size")

	// A file that does not parse: the rest is scanned, and the exit code says the results are partial.
	writeFile(t, filepath.Join(dir, "infra", "broken", "main.tf"), "resource \"aws_s3_bucket\" \"b\" {\n")
	expect(t, run(t, dir, "", "scan", "infra", "--fail-on", "none"), 3, "infra/broken/main.tf:1:30: invalid HCL", "WL-SM-006", "results are partial")
}

func TestScanSuppressions(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "infra", "nb.tf"), "# walens:ignore WL-SM-006 lab notebook, stopped by the nightly job\n"+scanNotebook)
	writeFile(t, filepath.Join(dir, "ignore.yaml"), `format: walens-suppressions/v1
suppressions:
  - rule: WL-SM-007
    resource: "aws_sagemaker_notebook_instance.*"
    reason: role managed by the platform team's stack
    expires: 2026-12-31
  - rule: WL-SM-001
    reason: old exception
    expires: 2026-01-31
`)
	r := run(t, dir, "", "scan", "infra", "--suppressions", "ignore.yaml", "--fail-on-unknown")
	expect(t, r, 0, "Suppressed (2)", "lab notebook, stopped by the nightly job", "role managed by the platform team's stack",
		"ignore.yaml:7:5: suppression of WL-SM-001 expired on 2026-01-31")

	writeFile(t, filepath.Join(dir, "bad.yaml"), "format: walens-suppressions/v1\nsuppressions:\n  - rule: WL-SM-007\n")
	expect(t, run(t, dir, "", "scan", "infra", "--suppressions", "bad.yaml"), 2, "bad.yaml:3:5: suppressions[0].reason: every suppression needs a reason")
}

func TestScanJSONAndSARIF(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "infra", "nb.tf"), scanNotebook)
	r := run(t, dir, "", "scan", "infra", "--format", "json", "--fail-on", "none")
	expect(t, r, 0)
	var doc struct {
		Schema   string `json:"schema"`
		Findings []struct {
			Rule, Status string
		} `json:"findings"`
		Summary struct{ Failed, Passed int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if doc.Schema != "walens-scan/v1" || doc.Summary.Failed != 1 || doc.Summary.Passed == 0 {
		t.Errorf("json: %+v", doc)
	}

	expect(t, run(t, dir, "", "scan", "infra", "--format", "sarif", "-o", "out.sarif", "--fail-on", "none"), 0, "wrote out.sarif")
	data, err := os.ReadFile(filepath.Join(dir, "out.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"uri":"infra/nb.tf"`) || !strings.Contains(string(data), `"ruleId":"WL-SM-006"`) {
		t.Errorf("sarif lacks the relative location or the rule:\n%s", data)
	}
}

func TestScanRulesList(t *testing.T) {
	expect(t, run(t, "", "", "scan", "rules"), 0, "WL-SM-015", "MLOPS06-BP02")
	r := run(t, "", "", "scan", "rules", "--format", "json")
	var rules []struct{ ID string }
	if err := json.Unmarshal([]byte(r.stdout), &rules); err != nil || len(rules) < 40 {
		t.Fatalf("rules json: %v, %d rules", err, len(rules))
	}
}
