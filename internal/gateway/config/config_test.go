package config

import (
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

const valid = `format: walens-gateway/v1
providers:
  up:
    kind: openai
    base_url: http://127.0.0.1:9/v1
    api_key: ${KEY}
models:
  chat:
    targets:
      - {provider: up, model: m1}
      - {provider: up, model: m2, weight: 3}
keys:
  - {id: a, hash: "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}
`

func TestParseValid(t *testing.T) {
	c, err := Parse([]byte(valid), "gateway.yaml", env(map[string]string{"KEY": "sk-secret"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Providers["up"].APIKey != "sk-secret" {
		t.Errorf("api_key %q", c.Providers["up"].APIKey)
	}
	ts := c.Models["chat"].Targets
	if ts[0].Tier != 1 || ts[1].Tier != 2 || ts[0].Weight != 1 || ts[1].Weight != 3 {
		t.Errorf("defaults: %+v", ts)
	}
	if c.Retries.MaxAttempts != 2 || c.Server.MaxBodyBytes != 4<<20 || c.Models["chat"].Timeout.D(0) != 300*time.Second {
		t.Errorf("defaults: %+v %+v", c.Retries, c.Server)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		want []string
	}{
		{"unknown provider", strings.Replace(valid, "{provider: up, model: m2", "{provider: upp, model: m2", 1), map[string]string{"KEY": "k"},
			[]string{`gateway.yaml:11:`, `models.chat.targets[1].provider: unknown provider "upp" (did you mean "up"?)`}},
		{"missing env", valid, nil, []string{`gateway.yaml:6:`, `providers.up.api_key: environment variable KEY is not set`}},
		{"unknown field", strings.Replace(valid, "base_url:", "baseurl:", 1), map[string]string{"KEY": "k"},
			[]string{`providers.up.baseurl: unknown field "baseurl" (did you mean "base_url"?)`}},
		{"bad kind", strings.Replace(valid, "kind: openai", "kind: opnai", 1), map[string]string{"KEY": "k"},
			[]string{`providers.up.kind: must be one of openai, bedrock, anthropic, not "opnai"`}},
		{"bad format", strings.Replace(valid, "walens-gateway/v1", "v2", 1), map[string]string{"KEY": "k"}, []string{`gateway.yaml:1:`, "format: must be"}},
		{"bad hash", strings.Replace(valid, "sha256:2c", "sha1:2c", 1), map[string]string{"KEY": "k"}, []string{"keys[0].hash: must be sha256:"}},
		{"bad transport", strings.Replace(valid, "api_key: ${KEY}", "api_key: ${KEY}\n    transport: net-http", 1), map[string]string{"KEY": "k"},
			[]string{`gateway.yaml:7:`, `providers.up.transport: must be one of inline, net/http, not "net-http" (did you mean "net/http"?)`}},
		{"bad duration", strings.Replace(valid, "api_key: ${KEY}", "timeout: soon", 1), nil, []string{"is not a duration"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "gateway.yaml", env(tc.env))
			if tc.want == nil {
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestDegradedCycle(t *testing.T) {
	y := strings.Replace(valid, "models:\n", "models:\n  a: {targets: [{provider: up, model: x}], degraded: {model: b}}\n  b: {targets: [{provider: up, model: y}], degraded: {model: a}}\n", 1)
	_, err := Parse([]byte(y), "g.yaml", env(map[string]string{"KEY": "k"}))
	if err == nil || !strings.Contains(err.Error(), "form a cycle") {
		t.Fatalf("err %v", err)
	}
}

func TestExpandString(t *testing.T) {
	get := env(map[string]string{"A": "1", "B_2": "two"})
	tests := []struct{ in, want, err string }{
		{"x${A}y", "x1y", ""},
		{"${A}${B_2}", "1two", ""},
		{"$${A}", "${A}", ""},
		{"cost $5", "cost $5", ""},
		{"${C}", "", "environment variable C is not set"},
		{"${A", "", "unterminated"},
		{"${1X}", "", "not a valid"},
	}
	for _, tc := range tests {
		got, err := ExpandString(tc.in, get)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestExampleConfig(t *testing.T) {
	c, err := Load("../../../examples/gateway/gateway.yaml", env(map[string]string{"OPENAI_API_KEY": "sk-x", "ANTHROPIC_API_KEY": "sk-y"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Models) != 3 || len(c.Keys) != 2 {
		t.Errorf("example: %d models, %d keys", len(c.Models), len(c.Keys))
	}
}

func TestNumbersFromEnv(t *testing.T) {
	y := valid + "server:\n  max_body_bytes: ${MAX}\n"
	c, err := Parse([]byte(y), "g.yaml", env(map[string]string{"KEY": "k", "MAX": "1024"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.MaxBodyBytes != 1024 {
		t.Errorf("max_body_bytes %d", c.Server.MaxBodyBytes)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte("format: walens-gateway/v1\nmodels: {a: {targets: [{provider: p}]}}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b, "f.yaml", env(map[string]string{"KEY": "k"}))
		if err == nil && (c.Format != Format || len(c.Keys) == 0) {
			t.Fatal("accepted an invalid config")
		}
	})
}
