package yamldoc

import (
	"strings"
	"testing"

	"github.com/walens/walens/internal/diag"
)

type inner struct {
	ImprovementPlan string `yaml:"improvementPlan"`
	Count           int    `yaml:"count"`
}

type outer struct {
	Name  string           `yaml:"name"`
	Items []inner          `yaml:"items"`
	ByKey map[string]inner `yaml:"byKey"`
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // substrings of the problem list, one per expected problem
	}{
		{"ok", "name: a\nitems:\n  - improvementPlan: x\n", nil},
		{"unknown field with suggestion", "name: a\nitems:\n  - improvmentPlan: x\n",
			[]string{`line 3: items[0].improvmentPlan: unknown field "improvmentPlan" (did you mean "improvementPlan"?)`}},
		{"unknown in map value", "byKey:\n  k1:\n    cont: 3\n", []string{`line 3: byKey.k1.cont: unknown field "cont" (did you mean "count"?)`}},
		{"two unknown fields", "nme: a\nitemz: []\n", []string{`line 1: nme`, `line 2: itemz`}},
		{"type mismatch", "name: a\nitems:\n  - count: lots\n", []string{"line 3: expected a number but found a string (lots)"}},
		{"list for string", "name: [a, b]\n", []string{"line 1: expected a string but found a list"}},
		{"syntax", "name: a\n  bad: indent\n", []string{"line 2: invalid YAML"}},
		{"duplicate key", "name: a\nname: b\n", []string{`line 2: mapping key "name" already defined at line 1`}},
		{"empty", "", []string{"the document is empty"}},
		{"comment only", "# nothing\n", []string{"the document is empty"}},
		{"two documents", "name: a\n---\nname: b\n", []string{"line 2: found a second YAML document"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v outer
			_, err := Decode([]byte(tt.doc), &v)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			list, ok := err.(diag.List)
			if !ok {
				t.Fatalf("error is %T, want diag.List", err)
			}
			if len(list) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(list), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.Contains(list[i].String(), w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, list[i].String(), w)
				}
			}
		})
	}
}

func TestPositions(t *testing.T) {
	doc, err := Parse([]byte("name: a\nitems:\n  - improvementPlan: x\n    count: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if line, _ := doc.Pos.Find("items[0].count"); line != 4 {
		t.Errorf("items[0].count at line %d, want 4", line)
	}
	if line, _ := doc.Pos.Find("items[0].missing"); line != 3 {
		t.Errorf("fallback to parent: line %d, want 3", line)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add("name: a\nitems:\n  - improvementPlan: x\n")
	f.Add("byKey: {a: {count: 1}}\n")
	f.Add("a: &x [*x]\n")
	f.Fuzz(func(t *testing.T, src string) {
		var v outer
		_, _ = Decode([]byte(src), &v) // must not panic or hang
	})
}
