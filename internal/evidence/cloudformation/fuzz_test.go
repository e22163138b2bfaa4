package cloudformation

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/walens/walens/internal/evidence"
)

// seedTemplates adds the test templates with the given extensions to a fuzz corpus.
func seedTemplates(f *testing.F, exts ...string) {
	paths, err := filepath.Glob(filepath.Join("testdata", "templates", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		for _, ext := range exts {
			if strings.HasSuffix(p, ext) {
				data, err := os.ReadFile(p)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data)
			}
		}
	}
}

// checkLoad loads data as a template and checks what every input must give: no panic, a bounded time, resources
// that are complete and can be written as JSON, and problems that name the file.
func checkLoad(t *testing.T, file string, data []byte) {
	start := time.Now()
	out := &evidence.Loaded{}
	loadTemplate(context.Background(), file, data, &evidence.Options{Region: "eu-west-1"}, out)
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("loading took %v", d)
	}
	for _, p := range out.Problems {
		if p.File != file || p.Message == "" {
			t.Fatalf("problem without file or message: %+v", p)
		}
	}
	for _, r := range out.Resources {
		if r.Type == "" || r.SourceType == "" || r.Address == "" || r.Attrs == nil || r.Region == nil || r.Unit != file {
			t.Fatalf("incomplete resource: %+v", r)
		}
	}
	if _, err := json.Marshal(out.Resources); err != nil {
		t.Fatalf("resources do not marshal: %v", err)
	}
}

// FuzzIntrinsics runs arbitrary YAML through parsing and evaluation.
func FuzzIntrinsics(f *testing.F) {
	seedTemplates(f, ".yaml", ".yml")
	for _, s := range []string{
		"Resources:\n  A:\n    Type: Custom::A\n    Properties:\n      P: !Sub \"${AWS::Region}-${B.Arn}-${!x}\"\n  B:\n    Type: AWS::S3::Bucket\n",
		"Resources:\n  A:\n    Type: Custom::A\n    Properties:\n      P: &a [x, *a]\n",
		"Conditions:\n  C: !Not [!Condition C]\nResources:\n  A:\n    Type: Custom::A\n    Condition: C\n",
		"Resources:\n  A:\n    Type: Custom::A\n    Properties:\n      P: !Select [0, !Split [\",\", !Join [\",\", [a, !GetAtt A.B]]]]\n",
		"Mappings:\n  M:\n    a: {b: [1, 2]}\nResources:\n  A:\n    Type: Custom::A\n    Properties:\n      P: !FindInMap [M, a, b]\n      Q: <<: {x: 1}\n",
		"Resources:\n  A:\n    Type: AWS::Bedrock::Agent\n    Properties:\n      Tags: !If [X, {a: b}, [{Key: k, Value: v}]]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLoad(t, "f.yaml", data)
	})
}

// FuzzJSONTemplate runs arbitrary JSON through parsing and evaluation.
func FuzzJSONTemplate(f *testing.F) {
	seedTemplates(f, ".json", ".template")
	for _, s := range []string{
		`{"Resources": {"A": {"Type": "Custom::A", "Properties": {"P": {"Fn::Sub": ["${x}", {"x": {"Ref": "AWS::NoValue"}}]}}}}}`,
		`{"Resources": {"A": {"Type": "Custom::A", "Properties": {"Fn::If": ["C", {}, {"Ref": "AWS::NoValue"}]}}}}`,
		`{"Parameters": {"P": {"Type": "List<String>", "Default": "a,b"}}, "Resources": {"A": {"Type": "Custom::A", "Properties": {"P": {"Fn::Select": ["1", {"Ref": "P"}]}}}}}`,
		`{"Resources": []}`,
		`[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLoad(t, "f.json", data)
	})
}
