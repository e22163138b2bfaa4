package tfplan

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walens/walens/internal/evidence"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		path, head string
		want       bool
	}{
		{"plan.json", `{"format_version":"1.2","terraform_version":"1.9.8","planned_values":{}}`, true},
		{"state.json", `{"format_version":"1.0","terraform_version":"1.9.8","values":{}}`, true},
		{"main.tf.json", `{"format_version":"1.2","planned_values":{}}`, false},
		{"template.json", `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}`, false},
		{"package.json", `{"name":"x","version":"1.0.0"}`, false},
		{"plan.yaml", `format_version: "1.2"`, false},
	} {
		if got := (Source{}).Match(c.path, []byte(c.head)); got != c.want {
			t.Errorf("Match(%s) = %v, want %v", c.path, got, c.want)
		}
	}
}

func TestLoadPlan(t *testing.T) {
	units := (Source{}).Units([]string{filepath.Join("testdata", "plan.json")}, &evidence.Options{})
	l := units[0].Load(context.Background())
	if len(l.Problems) > 0 {
		t.Fatal(l.Problems)
	}
	data, err := json.MarshalIndent(l.Resources, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	golden := filepath.Join("testdata", "plan.golden.json")
	if *update {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("resources differ from %s (go test -update if intended):\n%s", golden, data)
	}
	// Values known only after apply are unknown, not null, and keep their references.
	ec := l.Resources[1]
	kms := ec.Attr("kms_key_arn")
	if !kms.IsUnknown() || len(kms.Refs) != 1 || kms.Refs[0].Address != "aws_kms_key.ml" || !kms.IsSet() {
		t.Errorf("kms_key_arn = %#v", kms)
	}
	if v := ec.Attr("data_capture_config", "kms_key_id"); !v.IsUnknown() || len(v.Refs) != 1 {
		t.Errorf("nested unknown = %#v", v)
	}
	if ec.Region.Str() != "eu-west-1" {
		t.Errorf("region from var.region = %q", ec.Region.Str())
	}
	if tags, _ := ec.Tags(); tags["Workload"] != "fraud" {
		t.Errorf("tags_all not read: %v", tags)
	}
}

func TestLoadBadPlan(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(path, []byte("{\"format_version\": \"1.2\",\n  \"planned_values\": {\n    \"root_module\": [}\n}"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := (Source{}).Units([]string{path}, &evidence.Options{})[0].Load(context.Background())
	if len(l.Problems) != 1 || l.Problems[0].Line != 3 || !strings.Contains(l.Problems[0].Message, "invalid JSON") {
		t.Fatalf("problems: %v", l.Problems)
	}
}
