package dataset

import (
	"os"
	"testing"

	"github.com/walens/walens/internal/guard/classify"
)

func TestLoad(t *testing.T) {
	dir, err := Dir()
	if err == nil {
		_, err = os.Stat(dir)
	}
	if err != nil {
		t.Skipf("shared datasets not available (%v); skipping", err)
	}
	items, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[string]int{}
	attacks := 0
	for _, it := range items {
		bySource[it.Source]++
		if it.Labels[classify.PromptAttack] == classify.Positive {
			attacks++
		}
	}
	for _, s := range []string{Deepset, InTheWild, GarakDAN, GarakTAP, SysPrompt, DoNotAnswer, Davidson} {
		if bySource[s] == 0 {
			t.Errorf("no texts from %s", s)
		}
	}
	if attacks < 800 {
		t.Errorf("%d prompt attacks, expected the deepset injections and the jailbreak sets", attacks)
	}
}

func TestSplitAndBenign(t *testing.T) {
	counts := map[Part]int{}
	for _, s := range Benign("a", 20, 1) {
		counts[PartOf(s)]++
		if PartOf(s) != PartOf(s+"  ") {
			t.Fatalf("PartOf depends on spacing: %q", s)
		}
	}
	if counts[Train] == 0 || counts[Val] == 0 || counts[Test] == 0 {
		t.Errorf("split %v", counts)
	}
	// The families share no prompt.
	a := map[string]bool{}
	for _, s := range Benign("a", 20, 1) {
		a[s] = true
	}
	for _, fam := range []string{"b", "c"} {
		for _, s := range Benign(fam, 10, 11) {
			if a[s] {
				t.Errorf("family %s repeats a training prompt: %q", fam, s)
			}
		}
	}
}
