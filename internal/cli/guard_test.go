package cli

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/walens/walens/internal/guard"
)

var updateGuard = flag.Bool("update", false, "rewrite golden files")

// goldenDir is absolute because the CLI tests change directory.
var goldenDir, _ = filepath.Abs(filepath.Join("testdata", "golden"))

// guardWorkspace copies the guard package's test policy and importer fixtures into a temporary directory.
func guardWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for src, dst := range map[string]string{
		"../guard/testdata/support.yaml":                   "support.yaml",
		"../guard/importer/testdata/create-guardrail.json": "create-guardrail.json",
		"../guard/importer/testdata/tf/main.tf":            "tf/main.tf",
		"../guard/importer/testdata/bad-create.json":       "bad.json",
		"../guard/importer/testdata/tf-unknown/main.tf":    "unknown/main.tf",
	} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, dst)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestGuardCheck(t *testing.T) {
	dir := guardWorkspace(t)
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("benign.txt", "How do I change the shipping address on my order?\n")
	write("pii.txt", "Hi, I'm Jane Smith. Write to jane@example.com or call (415) 555-0132.\n")
	write("card.txt", "My card is 4111 1111 1111 1111, please charge it.\n")
	write("latin1.txt", "caf\xe9")
	write("answer.txt", "The fee is 45 dollars per month.")
	write("kb.txt", "The premium plan costs 15 dollars per month and includes priority support.")

	expect(t, run(t, dir, "", "guard", "check", "--policy", "support.yaml", "benign.txt"), ExitOK, "PASSED", "benign.txt")
	r := run(t, dir, "", "guard", "check", "--policy", "support.yaml", "benign.txt", "pii.txt", "card.txt")
	expect(t, r, ExitFailed)
	goldenFile(t, "guard-check.txt", r.stdout)

	// Standard input, JSON: the ApplyGuardrail response of each input.
	r = run(t, dir, "My SSN is 123-45-6789", "guard", "check", "--policy", "support.yaml", "--format", "json")
	expect(t, r, ExitFailed)
	var doc struct {
		Results []struct {
			Input    string
			Response struct {
				Action  string
				Outputs []struct{ Text string }
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Results) != 1 || doc.Results[0].Input != "(stdin)" ||
		doc.Results[0].Response.Action != "GUARDRAIL_INTERVENED" || doc.Results[0].Response.Outputs[0].Text != "Sorry, I can't help with that request." {
		t.Errorf("JSON output %v: %s", err, r.stdout)
	}

	// Contextual grounding on output.
	expect(t, run(t, dir, "", "guard", "check", "--policy", "support.yaml", "--source", "output", "answer.txt",
		"--grounding-source", "kb.txt", "--query", "How much is the premium plan?"), ExitFailed, "grounding GROUNDING", "BLOCKED")

	bad := []struct {
		args []string
		want string
	}{
		{[]string{"guard", "check", "benign.txt"}, "--policy is required"},
		{[]string{"guard", "check", "--policy", "support.yaml", "--source", "inptu", "benign.txt"}, `did you mean "input"`},
		{[]string{"guard", "check", "--policy", "support.yaml", "latin1.txt"}, "latin1.txt is not valid UTF-8 (first invalid byte at offset 3)"},
		{[]string{"guard", "check", "--policy", "support.yaml", "missing.txt"}, "missing.txt"},
		{[]string{"guard", "check", "--policy", "bad.json", "benign.txt"}, "bad.json:2:3: name"},
		{[]string{"guard", "check", "--policy", "support.yaml", "--query", "x", "benign.txt"}, "needs both --grounding-source and --query"},
	}
	for _, b := range bad {
		expect(t, run(t, dir, "", b.args...), ExitInvalid, b.want)
	}
}

// goldenFile compares got with testdata/golden/name, or rewrites it with -update.
func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *updateGuard {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (run go test ./internal/cli -update if intended):\n%s", name, got)
	}
}

func TestGuardImportAndValidate(t *testing.T) {
	dir := guardWorkspace(t)
	expect(t, run(t, dir, "", "guard", "import", "create-guardrail.json", "--version", "1", "--out", "bank.yaml"), ExitOK, "wrote bank.yaml (guardrail bank-assistant version 1)")
	expect(t, run(t, dir, "", "guard", "validate", "bank.yaml", "support.yaml"), ExitOK, "ok   bank.yaml (guardrail bank-assistant version 1)")
	// The imported policy works: it anonymises as the Bedrock guardrail was configured to.
	expect(t, run(t, dir, "Reach me at jane@example.com", "guard", "check", "--policy", "bank.yaml"), ExitFailed, "output: Reach me at {EMAIL}")

	r := run(t, dir, "", "guard", "import", "tf", "--var", "blocked_message=Blocked here.", "--format", "json")
	expect(t, r, ExitOK, `"blockedInputMessaging": "Blocked here."`, `"pattern": "EMP[0-9]{6}"`)
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	expect(t, run(t, dir, "", "guard", "import", "tf/main.tf", "--out", "out"), ExitOK, "out/chat-guardrail.guardrail.yaml")
	expect(t, run(t, dir, "", "guard", "validate", "out/chat-guardrail.guardrail.yaml"), ExitOK)

	expect(t, run(t, dir, "", "guard", "import", "unknown"), ExitInvalid, "blocked_input_messaging: is not known without deploying")
	expect(t, run(t, dir, "", "guard", "import", "bad.json"), ExitInvalid, `not "HATRED" (did you mean "HATE"?)`)
	expect(t, run(t, dir, "", "guard", "import", "tf", "--var", "novalue"), ExitInvalid, "must be NAME=VALUE")
	expect(t, run(t, dir, "", "guard", "validate", "bad.json", "support.yaml"), ExitFailed, "FAIL bad.json", "ok   support.yaml")
}

func TestGuardServe(t *testing.T) {
	dir := guardWorkspace(t)
	p, err := guard.LoadPolicy(filepath.Join(dir, "support.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := guard.New(p, guard.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reg := guard.NewRegistry()
	if err := reg.Add(e); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveGuard(ctx, ln, reg, slog.New(slog.DiscardHandler)) }()
	base := "http://" + ln.Addr().String()
	body := `{"source":"INPUT","content":[{"text":{"text":"email me at jane@example.com"}}]}`
	resp, err := http.Post(base+"/guardrail/support/version/1/apply", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(data), `"text":"email me at {EMAIL}"`) {
		t.Errorf("apply: %d %s", resp.StatusCode, data)
	}
	resp, err = http.Get(base + "/guardrails")
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(data), `"guardrailId":"support"`) {
		t.Errorf("list: %s", data)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	expect(t, run(t, dir, "", "guard", "serve"), ExitInvalid, "--policy is required")
}
