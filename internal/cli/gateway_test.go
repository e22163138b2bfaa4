package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runEnv(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }, Version: "test"})
	return result{code, out.String(), errb.String()}
}

func TestGatewayCheckExample(t *testing.T) {
	env := map[string]string{"OPENAI_API_KEY": "sk-test", "ANTHROPIC_API_KEY": "sk-ant-test"}
	r := runEnv(t, env, "", "gateway", "check", "--config", "../../examples/gateway/gateway.yaml")
	expect(t, r, ExitOK, "is valid", "openai/gpt-4o-mini (tier 1, weight 3)", "guardrails: input guardrail.yaml, output support@1")
	if strings.Contains(r.stdout, "sk-test") || strings.Contains(r.stdout, "sha256:") {
		t.Errorf("summary shows a secret:\n%s", r.stdout)
	}
	r = runEnv(t, env, "", "gateway", "check", "--config", "../../examples/gateway/gateway.yaml", "--format", "json")
	expect(t, r, ExitOK)
	var v struct {
		Valid   bool `json:"valid"`
		Summary struct {
			Models []struct{ Alias string } `json:"models"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || !v.Valid || len(v.Summary.Models) != 3 {
		t.Errorf("json: %v %+v", err, v)
	}
	// Without the secrets in the environment the file is refused, naming the variable.
	r = runEnv(t, nil, "", "gateway", "check", "--config", "../../examples/gateway/gateway.yaml")
	expect(t, r, ExitFailed, "gateway.yaml:21:", "providers.openai.api_key: environment variable OPENAI_API_KEY is not set")
}

func TestGatewayCheckErrors(t *testing.T) {
	dir := t.TempDir()
	bad := `format: walens-gateway/v1
providers:
  up: {kind: openai, base_url: "http://x/v1"}
models:
  chat:
    targets:
      - {provider: up, model: a}
      - {provider: x, model: b}
    guardrails: {input: missing.yaml}
keys:
  - {id: a, hash: "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}
`
	path := filepath.Join(dir, "gateway.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runEnv(t, nil, "", "gateway", "check", "--config", path)
	expect(t, r, ExitFailed, `gateway.yaml:8:`, `models.chat.targets[1].provider: unknown provider "x"`)
	// Fixed provider: now the missing guardrail file is found.
	if err := os.WriteFile(path, []byte(strings.Replace(bad, "provider: x", "provider: up", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runEnv(t, nil, "", "gateway", "check", "--config", path)
	expect(t, r, ExitFailed, "missing.yaml")
	r = runEnv(t, nil, "", "gateway", "check", "--config", filepath.Join(dir, "nope.yaml"))
	expect(t, r, ExitInvalid, "nope.yaml")
	r = runEnv(t, nil, "", "gateway", "check")
	expect(t, r, ExitInvalid, "--config is required")
}

func TestGatewayKeys(t *testing.T) {
	r := runEnv(t, nil, "foo\n", "gateway", "keys", "hash")
	expect(t, r, ExitOK, "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
	r = runEnv(t, nil, "", "gateway", "keys", "create", "--id", "team-a")
	expect(t, r, ExitOK, "key:  wl-", "{id: team-a, hash: \"sha256:")
	secret := strings.Fields(strings.SplitN(r.stdout, "\n", 2)[0])[1]
	h := runEnv(t, nil, secret, "gateway", "keys", "hash")
	if !strings.Contains(r.stdout, strings.TrimSpace(h.stdout)) {
		t.Errorf("hash of the created key %q does not match its entry:\n%s", h.stdout, r.stdout)
	}
	r = runEnv(t, nil, "", "gateway", "keys", "hash")
	expect(t, r, ExitInvalid, "no key on standard input")
}
