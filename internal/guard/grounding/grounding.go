// Package grounding scores a model's answer against the source it should be grounded in and the query it should
// answer, for the contextual grounding policy. A Judge (a model reached through the gateway's providers) can do
// it; the built-in Lexical judge counts how much of the answer's content, and all of its numbers, the source
// contains, and how much of the query the answer addresses. Lexical scoring catches invented figures and names and
// answers about something else; it cannot tell a paraphrase from a contradiction ("is" against "is not"), so
// docs/guardrails.md reports its accuracy on a synthetic set and recommends a judge where grounding matters.
package grounding

import (
	"context"
	"math"

	"github.com/walens/walens/internal/guard/lexical"
)

// Request is what a judge scores.
type Request struct {
	Source   string // the grounding source (retrieved passages)
	Query    string // the user's question
	Response string // the model's answer
}

// Scores are between 0 and 1; higher is better grounded and more relevant, as in Bedrock.
type Scores struct {
	Grounding float64
	Relevance float64
}

// Judge scores grounding and relevance. The gateway's model providers implement it with a judge prompt.
type Judge interface {
	Score(ctx context.Context, r Request) (Scores, error)
}

// Lexical is the built-in judge. The zero value is ready to use.
type Lexical struct{}

// Score implements Judge.
func (Lexical) Score(_ context.Context, r Request) (Scores, error) {
	src := lexical.Terms(r.Source)
	resp := lexical.Terms(r.Response)
	query := lexical.Terms(r.Query)
	return Scores{Grounding: groundingScore(src, resp, query), Relevance: relevanceScore(query, resp, src)}, nil
}

// groundingScore: the share of the answer's content words found in the source (or the query, which the answer
// may echo), with numbers weighing three times as much as words and each number absent from the source cutting
// the score by a quarter; bigrams found in the source add support for word order.
func groundingScore(src, resp, query []lexical.Term) float64 {
	if len(resp) == 0 {
		return 1
	}
	known := map[string]bool{}
	for _, t := range src {
		known[t.Stem] = true
	}
	for _, t := range query {
		known[t.Stem] = true
	}
	pairs := map[[2]string]bool{}
	for i := 1; i < len(src); i++ {
		pairs[[2]string{src[i-1].Stem, src[i].Stem}] = true
	}
	var have, total float64
	penalty := 1.0
	for _, t := range resp {
		w := 1.0
		if t.Number {
			w = 3
		}
		total += w
		if known[t.Stem] {
			have += w
		} else if t.Number {
			penalty *= 0.75
		}
	}
	unigram := have / total
	bigram := unigram
	if len(resp) > 1 {
		n := 0
		for i := 1; i < len(resp); i++ {
			if pairs[[2]string{resp[i-1].Stem, resp[i].Stem}] {
				n++
			}
		}
		bigram = float64(n) / float64(len(resp)-1)
	}
	return clamp01((0.7*unigram + 0.3*bigram) * penalty)
}

// relevanceScore: the square root of the share of the query's content words the answer uses, so that a short
// direct answer ("It costs $129.") is not punished for not repeating the whole question, while an answer that
// shares no word with the question scores 0.
func relevanceScore(query, resp, _ []lexical.Term) float64 {
	if len(query) == 0 || len(resp) == 0 {
		return 1
	}
	inResp := map[string]bool{}
	for _, t := range resp {
		inResp[t.Stem] = true
	}
	covered := 0
	for _, t := range query {
		if inResp[t.Stem] {
			covered++
		}
	}
	return clamp01(math.Sqrt(float64(covered) / float64(len(query))))
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }
