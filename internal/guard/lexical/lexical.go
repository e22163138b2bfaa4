// Package lexical turns text into content words for the lexical fallbacks of walens guardrails (denied topics
// without an embedding model, contextual grounding without a judge model): folded words without stop words,
// reduced to a crude stem so that "refunds" and "refunding" meet "refund".
package lexical

import (
	"math"
	"strings"

	"github.com/walens/walens/internal/guard/normalize"
)

// Term is a content word and where its word ends in the folded text (for cutting text into passages).
type Term struct {
	Stem   string
	Number bool // a number: facts that must match exactly
	End    int
}

// Terms returns the content words of a text, folding it first.
func Terms(text string) []Term {
	return FoldedTerms(normalize.Fold(text).S)
}

// FoldedTerms returns the content words of an already folded text.
func FoldedTerms(s string) []Term { return AppendFoldedTerms(nil, s) }

// AppendFoldedTerms appends the content words of an already folded text to out.
func AppendFoldedTerms(out []Term, s string) []Term {
	for i := 0; i < len(s); {
		if !wordByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && (wordByte(s[j]) || (s[j] == '.' || s[j] == ',') && j+1 < len(s) && isDigit(s[j+1]) && j > i && isDigit(s[j-1])) {
			j++
		}
		w := s[i:j]
		switch {
		case isDigit(w[0]):
			out = append(out, Term{Stem: strings.ReplaceAll(w, ",", ""), Number: true, End: j})
		case len(w) < 2 || stop[w]:
		default:
			out = append(out, Term{Stem: Stem(w), End: j})
		}
		i = j
	}
	return out
}

func wordByte(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80 }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// Stem reduces a word to its first five characters, after dropping a plural s from shorter words. Truncation is
// the crudest stemmer there is, and for matching short texts it works about as well as the careful ones: it maps
// "invest", "investing" and "investment" together, and "diagnosis" with "diagnosed", at the price of a few false
// friends ("present" and "presence").
func Stem(w string) string {
	n := 0
	for i := range w {
		if n == 5 {
			return w[:i]
		}
		n++
	}
	if len(w) > 3 && w[len(w)-1] == 's' && w[len(w)-2] != 's' {
		return w[:len(w)-1]
	}
	return w
}

// stop holds function words and the chatty words of requests ("please", "tell me"), which say nothing about a
// topic. The list is the walens authors' own.
var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all also am an and any are aren as at be because
been before being below between both but by can cannot could couldn did didn do does doesn doing don down during
each either else ever every few for from further get gets getting give given gives go goes going got had hadn has
hasn have haven having he her here hers herself him himself his how however i if in into is isn it its itself just
let like ll make makes many may me might mine more most much must my myself need needs no nor not now of off often on
once one only or other ought our ours ourselves out over own please re really right s same say says shall she should
shouldn show so some something such t tell than thank thanks that the their theirs them themselves then there these
they thing things this those though through to too under until up upon us use used using ve very want wants was
wasn way we well were weren what when where whether which while who whom whose why will with within without won
would wouldn yes yet you your yours yourself yourselves hi hello hey ok okay sure kind know help hmm also anyone
someone somebody anything everything nothing d m o y ll im ive id youre dont cant wont isnt`) {
		m[w] = true
	}
	return m
}()

// Vector is a bag of stems with weights.
type Vector map[string]float64

// Bag counts stems with sublinear term frequency (1 + log tf) times the weight idf gives each stem (1 when idf
// is nil or has no entry).
func Bag(terms []Term, idf map[string]float64) Vector {
	tf := map[string]float64{}
	for _, t := range terms {
		tf[t.Stem]++
	}
	v := make(Vector, len(tf))
	for k, n := range tf {
		w := 1.0
		if x, ok := idf[k]; ok {
			w = x
		}
		v[k] = (1 + math.Log(n)) * w
	}
	return v
}

// Cosine is the cosine similarity of two vectors.
func Cosine(a, b Vector) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var dot, na, nb float64
	for k, x := range a {
		dot += x * b[k]
		na += x * x
	}
	for _, y := range b {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
