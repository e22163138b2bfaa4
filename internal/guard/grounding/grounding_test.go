package grounding

import (
	"context"
	"testing"
)

func TestLexical(t *testing.T) {
	src := "The Orbit grinder costs $59, has an 18-month warranty and ships within 4 business days."
	q := "How long is the warranty on the Orbit grinder?"
	tests := []struct {
		resp               string
		grounded, relevant bool
	}{
		{"The Orbit grinder has an 18-month warranty.", true, true},
		{"The Orbit grinder has a 36-month warranty.", false, true},
		{"It ships within 4 business days.", true, false},
		{"It comes with free installation and a lifetime guarantee.", false, false},
	}
	for _, tt := range tests {
		s, err := Lexical{}.Score(context.Background(), Request{Source: src, Query: q, Response: tt.resp})
		if err != nil {
			t.Fatal(err)
		}
		if (s.Grounding >= 0.6) != tt.grounded || (s.Relevance >= 0.3) != tt.relevant {
			t.Errorf("%q: grounding %.2f relevance %.2f, want grounded %v relevant %v", tt.resp, s.Grounding, s.Relevance, tt.grounded, tt.relevant)
		}
	}
}
