package diag

import (
	"encoding/json"
	"testing"
)

func TestJSONPositions(t *testing.T) {
	doc := []byte(`{
  "name": "x",
  "pillars": [
    {"id": "sec",
     "questions": [ {"id": "q1"}, {"id": "q2", "choices": []} ]
    }
  ],
  "weird key": 1
}`)
	pos := JSONPositions(doc)
	tests := []struct {
		path      string
		line, col int
	}{
		{"", 1, 1},
		{"name", 2, 11},
		{"pillars", 3, 14},
		{"pillars[0]", 4, 5},
		{"pillars[0].id", 4, 12},
		{"pillars[0].questions[0].id", 5, 28},
		{"pillars[0].questions[1]", 5, 35},
		{"pillars[0].questions[1].choices", 5, 59},
		{`["weird key"]`, 8, 16},
		// Unknown paths fall back to the nearest ancestor.
		{"pillars[0].questions[1].choices[4].title", 5, 59},
	}
	for _, tt := range tests {
		line, col := pos.Find(tt.path)
		if line != tt.line || col != tt.col {
			t.Errorf("Find(%q) = %d:%d, want %d:%d", tt.path, line, col, tt.line, tt.col)
		}
	}
}

func TestJSONError(t *testing.T) {
	doc := []byte("{\n  \"a\": [1,\n  2,,]\n}")
	var v any
	err := json.Unmarshal(doc, &v)
	p := JSONError(doc, err)
	if p.Line != 3 {
		t.Errorf("syntax error line = %d, want 3 (%v)", p.Line, p)
	}
	var s struct{ A string }
	err = json.Unmarshal([]byte("{\n\"A\": 5}"), &s)
	p = JSONError([]byte("{\n\"A\": 5}"), err)
	if p.Line != 2 || p.Path != "A" {
		t.Errorf("type error = %+v", p)
	}
}

func TestClosest(t *testing.T) {
	cands := []string{"gensec01_bp01", "gensec01_bp02", "gensec02_bp01", "improvementPlan", "helpfulResource"}
	tests := map[string]string{
		"gensec01_bp2":   "gensec01_bp02",
		"gensec01_bp2x":  "gensec01_bp02",
		"GENSEC01_BP02":  "gensec01_bp02",
		"improvmentPlan": "improvementPlan",
		"zzz":            "",
		"helpful":        "helpfulResource",
		"gensec0":        "",
	}
	for in, want := range tests {
		if got := Closest(in, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{File: "walens.yaml", Line: 12, Col: 5, Path: "answers.x", Message: "unknown question", Hint: `did you mean "y"?`}
	want := `walens.yaml:12:5: answers.x: unknown question (did you mean "y"?)`
	if p.String() != want {
		t.Errorf("got %s\nwant %s", p.String(), want)
	}
	w := Problem{Message: "m", Severity: Warning}
	if w.String() != "warning: m" {
		t.Errorf("warning = %q", w.String())
	}
	l := List{w}
	if l.Err() != nil {
		t.Error("warnings alone are an error")
	}
}

func TestParent(t *testing.T) {
	for in, want := range map[string]string{"a.b[2].c": "a.b[2]", "a.b[2]": "a.b", "a": "", "": "", `a["x y"]`: "a"} {
		if got := Parent(in); got != want {
			t.Errorf("Parent(%q) = %q, want %q", in, got, want)
		}
	}
}
