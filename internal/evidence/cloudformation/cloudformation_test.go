package cloudformation

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

var update = flag.Bool("update", false, "rewrite golden files")

// loadFile loads one template through the source's units, as the scanner does.
func loadFile(t *testing.T, path string, opts *evidence.Options) *evidence.Loaded {
	t.Helper()
	if opts == nil {
		opts = &evidence.Options{}
	}
	units := (Source{}).Units([]string{path}, opts)
	if len(units) != 1 || units[0].ID != path {
		t.Fatalf("units for %s: %+v", path, units)
	}
	return units[0].Load(context.Background())
}

func golden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
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
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, data) {
		t.Errorf("%s differs from the golden file (run go test ./internal/evidence/cloudformation -update if intended); got:\n%s", path, data)
	}
}

// TestGolden loads each template and compares its resources (types, addresses, positions, notes, Regions and
// attributes with the references and unknown reasons of their values), problems and suppression comments with a
// golden file.
func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name, file, region string
	}{
		{"intrinsics-yaml", "intrinsics.yaml", ""},
		{"intrinsics-json", "intrinsics.json", ""},
		{"intrinsics-region", "intrinsics.yaml", "cn-north-1"},
		{"renames", "renames.yaml", "eu-west-1"},
		{"sagemaker-endpoint", "sagemaker-endpoint.yaml", "eu-west-1"},
		{"bedrock-agent", "bedrock-agent.yaml", ""},
		{"bedrock-agent-json", "bedrock-agent.template", ""},
		{"sam", "sam.yml", "us-east-1"},
		{"nested-stack", "nested-stack.yaml", ""},
		{"bad-intrinsics", "bad-intrinsics.yaml", ""},
		{"bad-resources", "bad-resources.yaml", ""},
		{"resources-list", "resources-list.yaml", ""},
		{"not-a-template", "not-a-template.yaml", ""},
		{"empty", "empty.yaml", ""},
		{"invalid-yaml", "invalid.yaml", ""},
		{"invalid-json", "invalid.json", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := loadFile(t, filepath.Join("testdata", "templates", c.file), &evidence.Options{Region: c.region})
			golden(t, c.name, struct {
				Resources  []*evidence.Resource `json:"resources"`
				Problems   diag.List            `json:"problems"`
				Directives []evidence.Directive `json:"directives,omitempty"`
				Files      []string             `json:"files"`
			}{l.Resources, l.Problems, l.Directives, l.Files})
		})
	}
}

// TestYAMLAndJSONAgree loads the same template written with YAML's short tags and in JSON's long form: every
// resource must come out with the same type, address, note and attributes (values, unknown reasons and references).
func TestYAMLAndJSONAgree(t *testing.T) {
	for _, pair := range [][2]string{
		{"intrinsics.yaml", "intrinsics.json"},
		{"bedrock-agent.yaml", "bedrock-agent.template"},
	} {
		y := loadFile(t, filepath.Join("testdata", "templates", pair[0]), nil)
		j := loadFile(t, filepath.Join("testdata", "templates", pair[1]), nil)
		if len(y.Resources) == 0 || len(y.Resources) != len(j.Resources) {
			t.Fatalf("%s: %d resources from YAML, %d from JSON", pair[0], len(y.Resources), len(j.Resources))
		}
		for i, yr := range y.Resources {
			jr := j.Resources[i]
			if yr.Type != jr.Type || yr.SourceType != jr.SourceType || yr.Address != jr.Address || yr.Note != jr.Note {
				t.Errorf("%s: resource %d: YAML %s %s %q, JSON %s %s %q", pair[0], i, yr.Type, yr.Address, yr.Note, jr.Type, jr.Address, jr.Note)
			}
			ya, _ := json.Marshal(yr.Attrs)
			ja, _ := json.Marshal(jr.Attrs)
			if !bytes.Equal(ya, ja) {
				t.Errorf("%s: %s: attributes differ\nYAML: %s\nJSON: %s", pair[0], yr.Address, ya, ja)
			}
		}
		if len(y.Problems) != len(j.Problems) {
			t.Errorf("%s: %d problems from YAML, %d from JSON:\n%v\n%v", pair[0], len(y.Problems), len(j.Problems), y.Problems, j.Problems)
		}
	}
}

// TestSkippedFiles checks that unreadable, binary and oversized files come back as ReadFile's problem alone.
func TestSkippedFiles(t *testing.T) {
	dir := t.TempDir()
	binary := filepath.Join(dir, "binary.template")
	if err := os.WriteFile(binary, []byte("AWSTemplateFormatVersion: x\x00\x01"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n"+strings.Repeat("# padding\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		sev  diag.Severity
		want string
	}{
		{binary, diag.Warning, "binary"},
		{big, diag.Warning, "limit"},
		{filepath.Join(dir, "missing.yaml"), diag.Error, "cannot read"},
	} {
		l := loadFile(t, c.path, &evidence.Options{MaxFileBytes: 512})
		if len(l.Problems) != 1 || l.Problems[0].Severity != c.sev || !strings.Contains(l.Problems[0].Message, c.want) ||
			l.Problems[0].File != c.path || len(l.Resources) != 0 || len(l.Files) != 0 {
			t.Errorf("%s: problems %v, resources %d, files %v", filepath.Base(c.path), l.Problems, len(l.Resources), l.Files)
		}
	}
}

// TestSyntaxErrors checks that invalid YAML and JSON are errors located at a line and column.
func TestSyntaxErrors(t *testing.T) {
	for _, c := range []struct {
		file, src string
		line, col int
		want      string
	}{
		{"t.yaml", "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n   Properties: {}\n", 4, 4, "invalid YAML"},
		{"t.yaml", "Resources:\n  Bucket: [unclosed\n", 2, 3, "invalid YAML"},
		{"t.yaml", "AWSTemplateFormatVersion: x\nResources:\n  A:\n\tType: AWS::SNS::Topic\n", 4, 2, "cannot start any token"},
		{"t.yml", "Resources:\n  Bucket:\n    Type: \"AWS::S3::Bucket\n", 3, 5, "invalid YAML"},
		{"t.json", "{\n  \"Resources\": {\n    \"Bucket\": {\"Type\": \"AWS::S3::Bucket\",}\n  }\n}\n", 3, 42, "invalid JSON"},
		{"t.json", "{\"Resources\": {", 1, 16, "invalid JSON"},
		{"t.template", "{\n\"AWSTemplateFormatVersion\": 2010-09-09\n}", 2, 33, "invalid JSON"},
		{"t.json", "\ufeff{\"Resources\": {]}", 1, 19, "invalid JSON"}, // byte columns, as DecodeJSON gives
	} {
		out := &evidence.Loaded{}
		loadTemplate(context.Background(), c.file, []byte(c.src), &evidence.Options{}, out)
		errs := out.Problems.Errors()
		if len(errs) != 1 {
			t.Errorf("%q: want one error, got %v", c.src, out.Problems)
			continue
		}
		p := errs[0]
		if p.File != c.file || p.Line != c.line || p.Col != c.col || !strings.Contains(p.Message, c.want) {
			t.Errorf("%q: got %s, want %s:%d:%d: %s...", c.src, p, c.file, c.line, c.col, c.want)
		}
	}
}

// readHead reads the start of a file as the scanner does for Match.
func readHead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data[:min(len(data), evidence.HeadBytes)]
}
