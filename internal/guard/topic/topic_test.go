package topic

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/walens/walens/internal/guard/normalize"
)

var investment = Topic{Name: "Investment advice", Definition: "Recommendations about which stocks, funds or cryptocurrencies to buy or sell.",
	Examples: []string{"Which stocks should I buy this year?", "Is bitcoin a good investment?"}}

func TestLexical(t *testing.T) {
	d := New([]Topic{investment}, Options{Threshold: 0.25})
	tests := []struct {
		text string
		want bool
	}{
		{"Which tech stocks should I buy right now?", true},
		{"Thanks for the help. By the way, is bitcoin a good investment for my savings?", true},
		{"I want to buy a new laptop for work", false},
		{"How do I reset my password?", false},
		{"", false},
	}
	for _, tt := range tests {
		ms, err := d.Detect(context.Background(), normalize.Fold(tt.text).S)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(ms) > 0; got != tt.want {
			t.Errorf("%q: matched %v (scores %v), want %v", tt.text, got, d.Scores(normalize.Fold(tt.text).S), tt.want)
		}
	}
}

// fakeEmbedder maps texts to vectors by a keyword, which is enough to test the plumbing.
type fakeEmbedder struct {
	calls int
	fail  bool
}

func (f *fakeEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	f.calls++
	if f.fail {
		return nil, errors.New("provider down")
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := []float32{0.1, 1}
		if f := normalize.Fold(t).S; strings.Contains(f, "stock") || strings.Contains(f, "invest") || strings.Contains(f, "shares") {
			v = []float32{1, 0.1}
		}
		out[i] = v
	}
	return out, nil
}

func TestEmbedding(t *testing.T) {
	emb := &fakeEmbedder{}
	d := New([]Topic{investment}, Options{Threshold: 0.25, Embedder: emb, EmbeddingThreshold: 0.9})
	ms, err := d.Detect(context.Background(), "should i put my savings into shares")
	if err != nil || len(ms) != 1 {
		t.Fatalf("embedding match: %v %v", ms, err)
	}
	if ms, _ := d.Detect(context.Background(), "what time is it"); len(ms) != 0 {
		t.Errorf("unrelated text matched: %v", ms)
	}
	if emb.calls != 3 {
		t.Errorf("topic documents should be embedded once: %d calls", emb.calls)
	}
	// A failing provider degrades to the lexical matcher and says so.
	d = New([]Topic{investment}, Options{Threshold: 0.25, Embedder: &fakeEmbedder{fail: true}, EmbeddingThreshold: 0.9})
	ms, err = d.Detect(context.Background(), normalize.Fold("Which stocks should I buy this year?").S)
	if err == nil || len(ms) != 1 {
		t.Errorf("fallback: %v %v", ms, err)
	}
}
