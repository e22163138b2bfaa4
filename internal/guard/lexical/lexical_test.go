package lexical

import (
	"math"
	"testing"
)

func TestTerms(t *testing.T) {
	got := Terms("Please tell me: how do INVESTMENTS in 1,250.50 funds work?")
	want := []string{"inves", "1250.50", "fund", "work"}
	if len(got) != len(want) {
		t.Fatalf("Terms = %+v", got)
	}
	for i, w := range want {
		if got[i].Stem != w {
			t.Errorf("term %d = %q, want %q", i, got[i].Stem, w)
		}
	}
	if !got[1].Number {
		t.Error("1,250.50 is a number")
	}
	for _, pair := range [][2]string{{"investing", "investment"}, {"diagnosis", "diagnosed"}, {"loans", "loan"}} {
		if Stem(pair[0]) != Stem(pair[1]) {
			t.Errorf("Stem(%q) != Stem(%q)", pair[0], pair[1])
		}
	}
}

func TestCosine(t *testing.T) {
	a := Bag(Terms("stocks and bonds"), nil)
	if c := Cosine(a, a); math.Abs(c-1) > 1e-9 {
		t.Errorf("self cosine %v", c)
	}
	if c := Cosine(a, Bag(Terms("pasta recipe"), nil)); c != 0 {
		t.Errorf("unrelated cosine %v", c)
	}
	if c := Cosine(a, Vector{}); c != 0 {
		t.Errorf("empty cosine %v", c)
	}
}
