package topic

import (
	"math"
	"sync"

	"github.com/walens/walens/internal/guard/lexical"
)

// index holds the topics' document vectors as an inverted index over numbered stems, so that scoring a passage
// costs one lookup per word and a few additions per document sharing it, instead of a map walk per document.
// It computes what the map-based definition in Scores' comment says: the same cosine similarities, shared-word
// counts and vocabulary coverage.
type index struct {
	ids      map[string]int32 // every stem of a topic document
	weight   []float64        // idf per stem id
	unseen   float64          // the weight of a stem no document uses
	postings [][]posting      // per stem id: the documents that use it, with its weight there
	topicsOf [][]int32        // per stem id: the topics whose vocabulary holds it
	docs     []docInfo        // every document of every topic, topic by topic
	nTopics  int

	scratch sync.Pool // *scratch
}

type posting struct {
	doc    int32
	weight float64
}

type docInfo struct {
	topic int
	norm2 float64 // the sum of its squared weights
	words int     // distinct stems
}

// scratch is the per-call state of scores, reused across calls.
type scratch struct {
	terms  []lexical.Term
	ranges [][2]int
	ids    []int32          // per term: its stem id; ids past len(weight) are stems no document uses
	local  map[string]int32 // stems no document uses, numbered for this call
	tf     []int32          // per stem id, within the current passage
	seen   []int32          // the stem ids of the current passage
	dot    []float64        // per document
	shared []int32          // per document
	in     []float64        // per topic: the passage weight its vocabulary covers
}

func newIndex(idf map[string]float64, unseen float64, docs [][]lexical.Vector, vocab []lexical.Vector) *index {
	x := &index{ids: map[string]int32{}, unseen: unseen, nTopics: len(docs)}
	id := func(stem string) int32 {
		k, ok := x.ids[stem]
		if !ok {
			k = int32(len(x.weight))
			x.ids[stem] = k
			x.weight = append(x.weight, idf[stem])
			x.postings = append(x.postings, nil)
			x.topicsOf = append(x.topicsOf, nil)
		}
		return k
	}
	for ti, vs := range docs {
		for _, v := range vs {
			g := int32(len(x.docs))
			var norm2 float64
			for stem, w := range v {
				k := id(stem)
				x.postings[k] = append(x.postings[k], posting{g, w})
				norm2 += w * w
			}
			x.docs = append(x.docs, docInfo{topic: ti, norm2: norm2, words: len(v)})
		}
		for stem := range vocab[ti] {
			k := id(stem)
			x.topicsOf[k] = append(x.topicsOf[k], int32(ti))
		}
	}
	return x
}

func (x *index) scores(folded string) []float64 {
	nTopics := x.nTopics
	scores := make([]float64, nTopics)
	sc, _ := x.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{local: map[string]int32{}}
	}
	defer x.scratch.Put(sc)
	sc.terms = lexical.AppendFoldedTerms(sc.terms[:0], folded)
	sc.ranges = passageRanges(folded, sc.terms, sc.ranges[:0])
	if len(sc.ranges) == 0 {
		return scores
	}
	// Number the stems once for all passages.
	clear(sc.local)
	known := int32(len(x.weight))
	sc.ids = sc.ids[:0]
	for _, t := range sc.terms {
		k, ok := x.ids[t.Stem]
		if !ok {
			if k, ok = sc.local[t.Stem]; !ok {
				k = known + int32(len(sc.local))
				sc.local[t.Stem] = k
			}
		}
		sc.ids = append(sc.ids, k)
	}
	sc.tf = grow(sc.tf, int(known)+len(sc.local))
	sc.dot = grow(sc.dot, len(x.docs))
	sc.shared = grow(sc.shared, len(x.docs))
	sc.in = grow(sc.in, nTopics)

	for _, r := range sc.ranges {
		// The passage's bag of stems: sublinear term frequency times idf, or the unseen weight.
		sc.seen = sc.seen[:0]
		for _, k := range sc.ids[r[0]:r[1]] {
			if sc.tf[k] == 0 {
				sc.seen = append(sc.seen, k)
			}
			sc.tf[k]++
		}
		clear(sc.dot)
		clear(sc.shared)
		clear(sc.in)
		var norm2, total float64
		for _, k := range sc.seen {
			w := 1.0 // 1 + log(1)
			if sc.tf[k] > 1 {
				w = 1 + math.Log(float64(sc.tf[k]))
			}
			sc.tf[k] = 0
			if k >= known {
				w *= x.unseen
			} else {
				w *= x.weight[k]
				for _, p := range x.postings[k] {
					sc.dot[p.doc] += w * p.weight
					sc.shared[p.doc]++
				}
				for _, ti := range x.topicsOf[k] {
					sc.in[ti] += w
				}
			}
			norm2 += w * w
			total += w
		}
		for g, doc := range x.docs {
			if int(sc.shared[g]) < min(2, doc.words) {
				continue
			}
			cos := 0.0
			if norm2 != 0 && doc.norm2 != 0 {
				cos = sc.dot[g] / math.Sqrt(norm2*doc.norm2)
			}
			scores[doc.topic] = math.Max(scores[doc.topic], cos)
		}
		if len(sc.seen) >= 2 {
			for ti := range nTopics {
				cov := 0.0
				if total != 0 {
					cov = sc.in[ti] / total
				}
				scores[ti] = math.Max(scores[ti], coverageWeight*cov)
			}
		}
	}
	return scores
}

// grow returns s with n zero elements, reusing its storage when it can.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}
