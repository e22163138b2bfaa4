package riskrule

import (
	"errors"
	"strings"
	"testing"
)

func set(ids ...string) func(string) bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return func(id string) bool { return m[id] }
}

func TestEval(t *testing.T) {
	tests := []struct {
		cond string
		set  []string
		want bool
	}{
		{"default", nil, true},
		{"  default ", []string{"a"}, true},
		{"a", []string{"a"}, true},
		{"a", nil, false},
		{"a && b", []string{"a"}, false},
		{"a && b", []string{"a", "b"}, true},
		{"a || b", []string{"b"}, true},
		{"a || b", nil, false},
		{"!a", nil, true},
		{"!a", []string{"a"}, false},
		{"!!a", []string{"a"}, true},
		// && binds tighter than ||.
		{"a || b && c", []string{"a"}, true},
		{"a || b && c", []string{"b"}, false},
		{"(a || b) && c", []string{"a"}, false},
		{"(a || b) && c", []string{"a", "c"}, true},
		// ! binds tighter than &&.
		{"!a && b", []string{"b"}, true},
		{"!(a && b)", []string{"a", "b"}, false},
		{"!(a && b)", []string{"a"}, true},
		// Shapes seen in public custom lenses.
		{"(!DDBPERF1_1) || (!DDBPERF1_2)", []string{"DDBPERF1_1", "DDBPERF1_2"}, false},
		{"(!DDBPERF1_1) || (!DDBPERF1_2)", []string{"DDBPERF1_1"}, true},
		{"choice1 && !choice2", []string{"choice1"}, true},
		{"OPS_4_2", []string{"OPS_4_2"}, true},
		{"a\t&&\nb", []string{"a", "b"}, true},
	}
	for _, tt := range tests {
		e, err := Parse(tt.cond)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.cond, err)
			continue
		}
		if got := e.Eval(set(tt.set...)); got != tt.want {
			t.Errorf("Parse(%q).Eval(%v) = %v, want %v", tt.cond, tt.set, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		cond    string
		col     int
		message string
	}{
		{"", 1, "condition ended"},
		{"a &&", 5, "condition ended"},
		{"a & b", 3, `use "&&"`},
		{"a | b", 3, `use "||"`},
		{"(a || b", 8, `expected ")"`},
		{"a b", 3, `unexpected identifier "b"`},
		{"a)", 2, `unexpected ")"`},
		{"a && default", 6, "whole condition"},
		{"a-b", 2, `character "-"`},
		{"a && é", 6, `character "é"`},
		{"&& a", 1, `found "&&"`},
		{"()", 2, `found ")"`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.cond)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want a SyntaxError", tt.cond, err)
			continue
		}
		if se.Col != tt.col || !strings.Contains(se.Msg, tt.message) {
			t.Errorf("Parse(%q) = col %d %q, want col %d containing %q", tt.cond, se.Col, se.Msg, tt.col, tt.message)
		}
	}
}

func TestLimits(t *testing.T) {
	if _, err := Parse(strings.Repeat("a && ", MaxLength)); err == nil {
		t.Error("an over-long condition parsed")
	}
	deep := strings.Repeat("(", MaxDepth+2) + "a" + strings.Repeat(")", MaxDepth+2)
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "nests deeper") {
		t.Errorf("deep nesting: err = %v", err)
	}
	bangs := strings.Repeat("!", MaxDepth+2) + "a"
	if _, err := Parse(bangs); err == nil {
		t.Error("deep negation parsed")
	}
}

func TestIdents(t *testing.T) {
	e := MustParse("b && (a || !b) && c")
	got := strings.Join(Idents(e), ",")
	if got != "b,a,c" {
		t.Errorf("Idents = %s, want b,a,c", got)
	}
	if len(Idents(MustParse("default"))) != 0 {
		t.Error("default has identifiers")
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, c := range []string{"a", "!a", "a && b", "(a || b) && c", "!(a || b)", "a || b && !c", "!(a && b) || c", "default"} {
		e := MustParse(c)
		back, err := Parse(e.String())
		if err != nil {
			t.Fatalf("Parse(%q.String() = %q): %v", c, e.String(), err)
		}
		if back.String() != e.String() {
			t.Errorf("%q: canonical form not stable: %q then %q", c, e.String(), back.String())
		}
		assertSameTruthTable(t, e, back)
	}
}

// assertSameTruthTable checks two expressions agree on every assignment of their identifiers.
func assertSameTruthTable(t *testing.T, a, b Expr) {
	t.Helper()
	ids := Idents(a)
	if len(ids) > 12 {
		ids = ids[:12]
	}
	for mask := 0; mask < 1<<len(ids); mask++ {
		isSet := func(id string) bool {
			for i, x := range ids {
				if x == id {
					return mask&(1<<i) != 0
				}
			}
			return false
		}
		if a.Eval(isSet) != b.Eval(isSet) {
			t.Fatalf("%q and %q disagree for mask %b", a, b, mask)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"default", "a && b", "(!a) || (!b)", "a || b && !(c || d)", "((a))", "a &", "é", "!"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Col < 1 {
				t.Fatalf("Parse(%q): error without a column: %v", src, err)
			}
			return
		}
		// A parsed expression must print to a form that parses back to the same meaning.
		back, err := Parse(e.String())
		if err != nil {
			t.Fatalf("Parse(%q) printed %q, which does not parse: %v", src, e.String(), err)
		}
		if back.String() != e.String() {
			t.Fatalf("canonical form unstable: %q -> %q", e.String(), back.String())
		}
		assertSameTruthTable(t, e, back)
	})
}
