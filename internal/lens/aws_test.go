package lens

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

func fixtures(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join(sharedDir(t), "fixtures", "custom-lenses", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no custom-lens fixtures: %v", err)
	}
	return files
}

func jsonValue(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRoundTripPublicLenses checks import -> export is lossless for real custom lenses, directly and through the
// walens YAML format.
func TestRoundTripPublicLenses(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			orig, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			l, warnings, err := Parse(orig, f, Options{})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if len(warnings) > 0 {
				t.Logf("warnings: %v", warnings)
			}
			out, err := Export(l)
			if err != nil {
				t.Fatalf("export: %v", err)
			}
			if !reflect.DeepEqual(jsonValue(t, orig), jsonValue(t, out)) {
				t.Fatalf("export differs from the imported file:\n%s", firstDiff(jsonValue(t, orig), jsonValue(t, out), "$"))
			}

			// Through walens YAML: write, read back, export again.
			y, err := yaml.Marshal(l)
			if err != nil {
				t.Fatal(err)
			}
			l2, _, err := Parse(y, "roundtrip.yaml", Options{})
			if err != nil {
				t.Fatalf("read back walens YAML: %v", err)
			}
			out2, err := Export(l2)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, out2) {
				t.Fatalf("export after the walens YAML round trip differs:\n%s", firstDiff(jsonValue(t, out), jsonValue(t, out2), "$"))
			}
		})
	}
}

func firstDiff(a, b any, path string) string {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return path + ": type differs"
		}
		for k := range av {
			if _, ok := bv[k]; !ok {
				return path + "." + k + ": missing after round trip"
			}
			if d := firstDiff(av[k], bv[k], path+"."+k); d != "" {
				return d
			}
		}
		for k := range bv {
			if _, ok := av[k]; !ok {
				return path + "." + k + ": added by round trip"
			}
		}
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return path + ": list length differs"
		}
		for i := range av {
			if d := firstDiff(av[i], bv[i], path+"["+string(rune('0'+i%10))+"]"); d != "" {
				return d
			}
		}
	default:
		if !reflect.DeepEqual(a, b) {
			return path + ": " + strings.TrimSpace(jsonString(a)) + " != " + strings.TrimSpace(jsonString(b))
		}
	}
	return ""
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestExportMatchesCommunitySchema validates exports of the public fixtures and of every built-in lens against the
// community JSON Schema of the custom-lens format, which encodes the WA Tool's limits.
func TestExportMatchesCommunitySchema(t *testing.T) {
	schemaPath := filepath.Join(sharedDir(t), "reference", "lenses", "custom-lens.schema.json")
	c := jsonschema.NewCompiler()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	check := func(name string, data []byte) {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: export does not match the custom-lens schema: %v", name, err)
		}
	}
	for _, f := range fixtures(t) {
		l, _, err := LoadFile(f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out, err := Export(l)
		if err != nil {
			t.Fatal(err)
		}
		check(filepath.Base(f), out)
	}
	for _, l := range builtinLenses(t) {
		out, err := Export(l)
		if err != nil {
			t.Fatalf("export %s: %v", l.ID, err)
		}
		check(l.ID, out)
	}
}
