package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

var update = flag.Bool("update", false, "rewrite golden files")

// load scans one testdata directory with the Terraform source alone.
func load(t *testing.T, dir string, opts *evidence.Options) *evidence.Loaded {
	t.Helper()
	if opts == nil {
		opts = &evidence.Options{}
	}
	if opts.BaseDirs == nil {
		abs, _ := filepath.Abs(dir)
		opts.BaseDirs = []string{abs}
	}
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (Source{}).Match(p, nil) {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out := &evidence.Loaded{}
	for _, u := range (Source{}).Units(paths, opts) {
		l := u.Load(context.Background())
		out.Resources = append(out.Resources, l.Resources...)
		out.Problems = append(out.Problems, l.Problems...)
		out.Files = append(out.Files, l.Files...)
		out.Directives = append(out.Directives, l.Directives...)
	}
	return out
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
		t.Errorf("%s differs from the golden file (run go test ./internal/evidence/terraform -update if intended); got:\n%s", path, data)
	}
}

func TestGolden(t *testing.T) {
	for _, name := range []string{"basic", "edge"} {
		t.Run(name, func(t *testing.T) {
			l := load(t, filepath.Join("testdata", "src", name), nil)
			golden(t, name, struct {
				Resources []*evidence.Resource `json:"resources"`
				Problems  diag.List            `json:"problems"`
				Files     []string             `json:"files"`
			}{l.Resources, l.Problems, l.Files})
		})
	}
}

// FuzzLoad feeds arbitrary bytes to the Terraform source as a module's only file: whatever the input, loading
// must not panic, and every problem must name the file.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"resource \"aws_s3_bucket\" \"b\" { bucket = \"x\" }",
		"variable \"n\" { default = 2 }\nresource \"aws_sagemaker_model\" \"m\" {\n count = var.n\n name = \"m-${count.index}\"\n}",
		"locals { a = local.b\n b = local.a }\nresource \"x_y\" \"z\" { v = local.a }",
		"resource \"aws_bedrock_guardrail\" \"g\" {\n content_policy_config {\n dynamic \"filters_config\" {\n for_each = [\"A\", \"B\"]\n content { type = filters_config.value }\n }\n }\n}",
		"module \"m\" { source = \"./\" }",
		"resource \"r\" \"s\" { p = jsonencode({ A = aws_kms_key.k.arn, B = [1, true, null] }) }",
		"resource \"r\" \"s\" { for_each = { a = 1 } \n v = each.value + tonumber(\"x\") }",
		"resource \"r\" \"s\" { v = templatefile(\"/etc/passwd\", {}) }",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "main.tf")
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		opts := &evidence.Options{BaseDirs: []string{dir}}
		for _, u := range (Source{}).Units([]string{path}, opts) {
			l := u.Load(context.Background())
			for _, p := range l.Problems {
				if p.File == "" {
					t.Fatalf("problem without a file: %v", p)
				}
			}
		}
	})
}

func TestStructuralKeepsMemberReferences(t *testing.T) {
	dir := t.TempDir()
	src := `resource "aws_kms_key" "k" {}
resource "aws_bedrock_guardrail" "g" {}
resource "aws_bedrockagent_agent" "a" {
  guardrail_configuration = [{
    guardrail_identifier = aws_bedrock_guardrail.g.guardrail_id
    guardrail_version    = "1"
  }]
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.k.arn }]
  })
  empty = jsonencode()
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	l := load(t, dir, nil)
	byAddr := map[string]*evidence.Resource{}
	for _, r := range l.Resources {
		byAddr[r.Address] = r
	}
	id := byAddr["aws_bedrockagent_agent.a"].Attr("guardrail_configuration", "guardrail_identifier")
	if !id.IsUnknown() || len(id.Refs) != 1 || id.Refs[0].Address != "aws_bedrock_guardrail.g" || id.Pos.Line != 5 {
		t.Errorf("guardrail_identifier = %#v", id)
	}
	if v := byAddr["aws_bedrockagent_agent.a"].Attr("guardrail_configuration", "guardrail_version"); v.Str() != "1" {
		t.Errorf("known member lost: %#v", v)
	}
	pol := byAddr["aws_iam_policy.p"].Attr("policy")
	st := pol.Get("Statement")
	if pol.K() != evidence.Object || st.Get("Effect").Str() != "Allow" || len(st.Get("Resource").Refs) != 1 {
		t.Errorf("jsonencode with unknown members should read as the document: %#v", pol)
	}
	if v := byAddr["aws_iam_policy.p"].Attr("empty"); !v.IsUnknown() {
		t.Errorf("jsonencode() without arguments = %#v, want unknown", v)
	}
}
