package interview

import (
	"strings"
	"testing"

	"github.com/walens/walens/internal/lens"
)

func question() *lens.Question {
	return &lens.Question{ID: "q01", Choices: []lens.Choice{
		{ID: "q01_a"}, {ID: "q01_b"}, {ID: "q01_c"}, {ID: "q01_d"}, {ID: "q01_no"},
	}}
}

func TestParse(t *testing.T) {
	tests := []struct {
		line     string
		act      action
		selected string
		na       string
		notes    string
		napplic  bool
		reason   string
		err      string
	}{
		{line: "1,3-4", selected: "q01_a,q01_c,q01_d"},
		{line: " 2  4 ", selected: "q01_b,q01_d"},
		{line: "1 na:2-3 # rotated keys", selected: "q01_a", na: "q01_b,q01_c", notes: "rotated keys"},
		{line: "NA:4", na: "q01_d"},
		{line: "0", selected: "q01_no"},
		{line: "n", napplic: true, reason: "OUT_OF_SCOPE"},
		{line: "n business_priorities # later", napplic: true, reason: "BUSINESS_PRIORITIES", notes: "later"},
		{line: "", act: actSkip},
		{line: "s", act: actSkip},
		{line: "Q", act: actQuit},
		{line: "?", act: actHelp},
		{line: "0,1", err: "cannot be combined"},
		{line: "5", err: "out of range"},
		{line: "3-1", err: "out of range"},
		{line: "x", err: "not a choice number"},
		{line: "1,1", err: "given twice"},
		{line: "na:0", err: "no \"None of these\""},
		{line: "n SOMETIMES", err: "reason must be one of"},
		{line: "n a b", err: `write "n" or "n REASON"`},
		{line: "# only notes", err: "need an answer"},
	}
	for _, tt := range tests {
		act, a, err := parse(tt.line, question())
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parse(%q) err = %v, want %q", tt.line, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parse(%q): %v", tt.line, err)
			continue
		}
		if act != tt.act {
			t.Errorf("parse(%q) action = %v, want %v", tt.line, act, tt.act)
		}
		if act != actAnswer {
			continue
		}
		var na []string
		for _, id := range []string{"q01_a", "q01_b", "q01_c", "q01_d"} {
			if _, ok := a.Choices[id]; ok {
				na = append(na, id)
			}
		}
		napplic := a.Applicable != nil && !*a.Applicable
		if strings.Join(a.Selected, ",") != tt.selected || strings.Join(na, ",") != tt.na || a.Notes != tt.notes || napplic != tt.napplic || string(a.Reason) != tt.reason {
			t.Errorf("parse(%q) = %+v", tt.line, a)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1,3-4", "na:2 # x", "n OTHER", "0", "99-100", "-1", "1--2"} {
		f.Add(s)
	}
	q := question()
	f.Fuzz(func(t *testing.T, line string) {
		act, a, err := parse(line, q)
		if err != nil || act != actAnswer {
			return
		}
		// Whatever parses names only real choices, each once.
		seen := map[string]bool{}
		for _, id := range a.Selected {
			if q.Choice(id) == nil || seen[id] {
				t.Fatalf("parse(%q) selected %q", line, id)
			}
			seen[id] = true
		}
		for id := range a.Choices {
			if q.Choice(id) == nil || seen[id] {
				t.Fatalf("parse(%q) marked %q", line, id)
			}
			seen[id] = true
		}
	})
}
