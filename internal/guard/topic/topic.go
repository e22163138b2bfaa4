// Package topic detects denied topics: text that is about something a guardrail's topic policy forbids, judged by
// its similarity to each topic's definition and example phrases. With an Embedder (an embedding model reached
// through the gateway's providers) similarity is the cosine of embeddings; without one, a lexical matcher
// compares content words, sentence by sentence. The lexical matcher only sees shared words: it catches requests
// phrased like the examples and misses paraphrases, so topics need good examples, and an embedding model where
// recall matters (docs/guardrails.md has the measured numbers).
package topic

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/walens/walens/internal/guard/lexical"
)

// Embedder turns texts into vectors. The gateway's embedding providers implement it.
type Embedder interface {
	// Embed returns one vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Topic is a denied topic.
type Topic struct {
	Name       string
	Definition string
	Examples   []string
}

// Options configure a detector.
type Options struct {
	// Threshold is the lexical similarity at which text matches a topic.
	Threshold float64
	// Embedder, when set, replaces the lexical matcher; EmbeddingThreshold is then the cosine similarity at which
	// text matches.
	Embedder           Embedder
	EmbeddingThreshold float64
}

// Match is a topic the text is about, with the similarity that decided it.
type Match struct {
	Topic int
	Score float64
}

// Detector scores texts against a fixed set of topics. It is safe for concurrent use.
type Detector struct {
	topics []Topic
	opts   Options
	idf    map[string]float64
	unseen float64            // the weight of a word no topic document uses
	docs   [][]lexical.Vector // per topic: name, definition and each example
	vocab  []lexical.Vector   // per topic: every word of its documents
	index  *index             // docs and vocab as an inverted index, for Scores

	mu   sync.Mutex
	embs [][][]float32 // per topic, per document; computed on first use
}

// New prepares a detector.
func New(topics []Topic, opts Options) *Detector {
	d := &Detector{topics: topics, opts: opts}
	var all [][]lexical.Term
	for _, t := range topics {
		for _, doc := range documents(t) {
			all = append(all, lexical.Terms(doc))
		}
	}
	// Inverse document frequency over the topics' own documents: a word every topic uses says less.
	df := map[string]float64{}
	for _, terms := range all {
		seen := map[string]bool{}
		for _, t := range terms {
			if !seen[t.Stem] {
				df[t.Stem]++
				seen[t.Stem] = true
			}
		}
	}
	d.idf = map[string]float64{}
	n := float64(len(all))
	for k, v := range df {
		d.idf[k] = 1 + math.Log((n+1)/(v+1))
	}
	// A word no topic uses is as informative as the rarest topic word: the text is about something else.
	d.unseen = 1 + math.Log(n+1)
	for _, t := range topics {
		var vs []lexical.Vector
		vocab := lexical.Vector{}
		for _, doc := range documents(t) {
			terms := lexical.Terms(doc)
			vs = append(vs, lexical.Bag(terms, d.idf))
			for _, x := range terms {
				vocab[x.Stem] = 1
			}
		}
		d.docs = append(d.docs, vs)
		d.vocab = append(d.vocab, vocab)
	}
	d.index = newIndex(d.idf, d.unseen, d.docs, d.vocab)
	return d
}

func documents(t Topic) []string {
	return append([]string{t.Name, t.Definition}, t.Examples...)
}

// Passages cut folded text into the pieces a topic is matched against: sentences, joined until they hold a few
// content words and cut when they hold too many, plus the whole text when it is short.
func passages(folded string) [][]lexical.Term {
	terms := lexical.FoldedTerms(folded)
	var out [][]lexical.Term
	for _, r := range passageRanges(folded, terms, nil) {
		out = append(out, terms[r[0]:r[1]])
	}
	return out
}

// passageRanges appends to out the passages of folded text as ranges of its terms.
func passageRanges(folded string, terms []lexical.Term, out [][2]int) [][2]int {
	if len(terms) == 0 {
		return out
	}
	if len(terms) <= 60 {
		out = append(out, [2]int{0, len(terms)})
	}
	start := 0
	for i, t := range terms {
		end := i+1 == len(terms)
		boundary := end || sentenceBreak(folded, t.End, terms[i+1].End)
		if n := i + 1 - start; boundary && n >= 4 || n >= 40 || end {
			if !(len(terms) <= 60 && start == 0 && end) {
				out = append(out, [2]int{start, i + 1})
			}
			start = i + 1
		}
	}
	return out
}

// sentenceBreak reports whether sentence punctuation lies between two word ends.
func sentenceBreak(s string, from, to int) bool {
	for i := from; i < to && i < len(s); i++ {
		switch s[i] {
		case '.', '!', '?', ';', '\n':
			return true
		}
	}
	return false
}

// Detect returns the topics the folded text is about. With an embedder, an embedding failure is returned as an
// error together with the lexical result, so callers can log it and still decide.
func (d *Detector) Detect(ctx context.Context, folded string) ([]Match, error) {
	if len(d.topics) == 0 {
		return nil, nil
	}
	if d.opts.Embedder != nil {
		m, err := d.detectEmbedding(ctx, folded)
		if err == nil {
			return m, nil
		}
		return d.detectLexical(folded), fmt.Errorf("denied topics: embedding model failed, used the lexical matcher: %w", err)
	}
	return d.detectLexical(folded), nil
}

// coverageWeight scales the vocabulary coverage of a passage so that covering all its words counts as a strong
// match and covering half of them as a borderline one.
const coverageWeight = 0.6

// Scores returns the lexical similarity of the folded text to each topic. Two measures are taken per passage and
// the higher counts: the cosine similarity with one of the topic's documents that shares at least two words with
// it (one, when the document has one), and the weighted share of the passage's words that the topic's documents
// use, for passages of two words or more.
func (d *Detector) Scores(folded string) []float64 {
	return d.index.scores(folded)
}

func (d *Detector) detectLexical(folded string) []Match {
	var out []Match
	for ti, s := range d.Scores(folded) {
		if s >= d.opts.Threshold {
			out = append(out, Match{Topic: ti, Score: s})
		}
	}
	return out
}

func (d *Detector) topicEmbeddings(ctx context.Context) ([][][]float32, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.embs != nil {
		return d.embs, nil
	}
	var texts []string
	for _, t := range d.topics {
		texts = append(texts, documents(t)...)
	}
	vs, err := d.opts.Embedder.Embed(ctx, texts)
	if err != nil {
		return nil, err // not cached: the next request tries again
	}
	if len(vs) != len(texts) {
		return nil, fmt.Errorf("embedder returned %d vectors for %d texts", len(vs), len(texts))
	}
	embs := make([][][]float32, len(d.topics))
	k := 0
	for ti, t := range d.topics {
		n := len(documents(t))
		embs[ti] = vs[k : k+n]
		k += n
	}
	d.embs = embs
	return embs, nil
}

func (d *Detector) detectEmbedding(ctx context.Context, folded string) ([]Match, error) {
	embs, err := d.topicEmbeddings(ctx)
	if err != nil {
		return nil, err
	}
	var texts []string
	for _, p := range passages(folded) {
		if len(p) > 0 {
			texts = append(texts, passageText(folded, p))
		}
	}
	if len(texts) == 0 {
		return nil, nil
	}
	vs, err := d.opts.Embedder.Embed(ctx, texts)
	if err != nil {
		return nil, err
	}
	if len(vs) != len(texts) {
		return nil, errors.New("embedder returned the wrong number of vectors")
	}
	var out []Match
	for ti, docs := range embs {
		best := 0.0
		for _, v := range vs {
			for _, doc := range docs {
				best = math.Max(best, cosine32(v, doc))
			}
		}
		if best >= d.opts.EmbeddingThreshold {
			out = append(out, Match{Topic: ti, Score: best})
		}
	}
	return out, nil
}

// passageText recovers the text of a passage: from the end of the word before its first term to its last term.
func passageText(folded string, p []lexical.Term) string {
	end := p[len(p)-1].End
	// Walk back from the first term to the previous sentence break.
	i := min(max(p[0].End-len(p[0].Stem), 0), len(folded))
	for ; i > 0; i-- {
		if c := folded[i-1]; c == '.' || c == '!' || c == '?' || c == ';' || c == '\n' {
			break
		}
	}
	return folded[i:end]
}

func cosine32(a, b []float32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		x, y := float64(a[i]), float64(b[i])
		dot += x * y
		na += x * x
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
