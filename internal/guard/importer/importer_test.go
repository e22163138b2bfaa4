package importer

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walens/walens/internal/guard"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares the imported policies, as JSON, with testdata/golden/NAME.json.
func golden(t *testing.T, name string, ps []*guard.Policy) {
	t.Helper()
	data, err := json.MarshalIndent(ps, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(data) {
		t.Errorf("%s differs from the golden file:\n%s", name, data)
	}
}

func TestImport(t *testing.T) {
	tests := []struct {
		name, path string
		opts       Options
	}{
		{"create-guardrail", "testdata/create-guardrail.json", Options{Version: "1"}},
		{"get-guardrail", "testdata/get-guardrail.json", Options{}},
		{"terraform", "testdata/tf/main.tf", Options{}},
		{"terraform-var", "testdata/tf", Options{Vars: map[string]string{"blocked_message": "Blocked."}, ID: "chat", Version: "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := File(context.Background(), tt.path, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if _, err := guard.New(p, guard.Options{}); err != nil {
					t.Errorf("imported policy does not compile: %v", err)
				}
			}
			golden(t, tt.name, ps)
		})
	}
}

func TestImportErrors(t *testing.T) {
	tests := []struct {
		path string
		opts Options
		want []string
	}{
		{"testdata/bad-create.json", Options{}, []string{
			`bad-create.json:2:3: name: must be 1-50 letters`,
			`blockedInputMessaging: must be 1-500 characters`,
			`contentPolicyConfig.filtersConfig[0].type: must be one of HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT, PROMPT_ATTACK, not "HATRED" (did you mean "HATE"?)`,
			`filtersConfig[1].outputStrength: must be NONE for PROMPT_ATTACK`,
			`piiEntitiesConfig[0].action: must be one of BLOCK, ANONYMIZE, NONE, not "REDACT"`,
			`look-around and back-references are not supported`,
		}},
		{"testdata/tf-unknown/main.tf", Options{}, []string{"main.tf:7", "blocked_input_messaging: is not known without deploying", "--var"}},
		{"testdata/tf", Options{Resource: "nope"}, []string{`has no aws_bedrock_guardrail "nope"`}},
		{"testdata/missing.json", Options{}, []string{"missing.json"}},
	}
	for _, tt := range tests {
		_, err := File(context.Background(), tt.path, tt.opts)
		if err == nil {
			t.Errorf("%s: no error", tt.path)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error lacks %q:\n%v", tt.path, w, err)
			}
		}
	}
	// Unknown fields are reported with a suggestion, as everywhere in walens.
	_, err := JSON([]byte(`{"name":"x","blockedInputMessaging":"a","blockedOutputsMessaging":"b","wordPolicyConfig":{"wordsConfig":[{"txt":"x"}]}}`), "w.json", Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown field "txt" (did you mean "text"?)`) {
		t.Errorf("unknown field: %v", err)
	}
}

func FuzzJSON(f *testing.F) {
	for _, p := range []string{"testdata/create-guardrail.json", "testdata/get-guardrail.json", "testdata/bad-create.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"name":"a","contentPolicy":{"filters":[{}]}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := JSON(data, "fuzz.json", Options{})
		if err != nil {
			return
		}
		// Whatever imports must compile into an engine.
		if _, err := guard.New(p, guard.Options{}); err != nil {
			t.Fatalf("imported policy does not compile: %v\n%s", err, data)
		}
	})
}
