package topic

import (
	"math"
	"testing"

	"github.com/walens/walens/bench/guard/dataset"
	"github.com/walens/walens/bench/guard/piicorpus"
	"github.com/walens/walens/internal/guard/lexical"
	"github.com/walens/walens/internal/guard/normalize"
)

// referenceScores is Scores as its comment defines it, on maps, the way it was first written. The inverted index
// must give the same scores (up to the order of floating-point additions, which map iteration never fixed).
func (d *Detector) referenceScores(folded string) []float64 {
	scores := make([]float64, len(d.topics))
	for _, p := range passages(folded) {
		v := lexical.Bag(p, d.idf)
		for k := range v {
			if _, ok := d.idf[k]; !ok {
				v[k] *= d.unseen
			}
		}
		for ti, docs := range d.docs {
			for _, doc := range docs {
				n := 0
				for k := range v {
					if _, ok := doc[k]; ok {
						n++
					}
				}
				if n < min(2, len(doc)) {
					continue
				}
				scores[ti] = math.Max(scores[ti], lexical.Cosine(v, doc))
			}
			if len(v) >= 2 {
				var in, all float64
				for k, w := range v {
					all += w
					if _, ok := d.vocab[ti][k]; ok {
						in += w
					}
				}
				if all != 0 {
					scores[ti] = math.Max(scores[ti], coverageWeight*in/all)
				}
			}
		}
	}
	return scores
}

func checkAgainstReference(t *testing.T, d *Detector, text string) {
	t.Helper()
	f := normalize.Fold(text).S
	got, want := d.Scores(f), d.referenceScores(f)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("%q: topic %d scores %v, the reference %v", text, i, got[i], want[i])
		}
	}
}

func TestScoresMatchReference(t *testing.T) {
	ds := []*Detector{New(adviceTopics, Options{Threshold: 0.25}), New([]Topic{investment}, Options{Threshold: 0.25}),
		New([]Topic{{Name: "the", Definition: "a an"}, {Name: "x"}}, Options{})}
	texts := []string{"", "the", "stocks stocks stocks", "Should I invest my savings in stocks or bonds? Can I sue my landlord?"}
	texts = append(texts, dataset.Benign("b", 3, 1)...)
	for _, ex := range piicorpus.Generate(3, 1) {
		texts = append(texts, ex.Text)
	}
	for _, d := range ds {
		for _, text := range texts {
			checkAgainstReference(t, d, text)
		}
	}
}

func FuzzScores(f *testing.F) {
	for _, s := range []string{"", "stocks", "Should I invest my savings in stocks or bonds?", "how much ibuprofen. can i take 2 2 2"} {
		f.Add(s)
	}
	d := New(adviceTopics, Options{Threshold: 0.25})
	f.Fuzz(func(t *testing.T, text string) {
		checkAgainstReference(t, d, text)
	})
}
