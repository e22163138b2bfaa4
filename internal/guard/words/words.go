// Package words matches word filters: a guardrail's own words and phrases, and the managed PROFANITY list. Both
// sides are folded the same way (see normalize.Fold), so "H4TE", "ｈａｔｅ" and "h a t e" match "hate", and
// matching is on whole words: "class" does not match "ass".
package words

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/walens/walens/internal/guard/normalize"
)

// MaxPhraseWords bounds the words of one phrase, which bounds the work per position of the text.
const MaxPhraseWords = 8

// Match is a phrase found in a text.
type Match struct {
	ID         int // the index of the phrase in the list the matcher was built from
	Start, End int // byte offsets in the original text
}

// Matcher finds whole-word phrases. It is safe for concurrent use.
type Matcher struct {
	// nodes is keyed by the hash of a word sequence: the phrases that are exactly that sequence, and whether a
	// longer phrase starts with it (so a match can continue).
	nodes   map[uint64]*node
	longest int
	// filter has bit h%filterBits set for the hash h of every node, so that the words of ordinary text, which
	// start no phrase, cost a bit test instead of a map lookup.
	filter []uint64
}

const filterBits = 1 << 16

func (m *Matcher) mayHave(h uint64) bool {
	b := h % filterBits
	return m.filter[b/64]&(1<<(b%64)) != 0
}

type node struct {
	phrases []phrase
	prefix  bool
}

type phrase struct {
	id    int
	words []string
}

func (m *Matcher) node(h uint64) *node {
	n := m.nodes[h]
	if n == nil {
		n = &node{}
		m.nodes[h] = n
	}
	return n
}

// New builds a matcher for phrases. Phrases with no words (only punctuation) are ignored; phrases longer than
// MaxPhraseWords words keep their first MaxPhraseWords.
func New(phrases []string) *Matcher {
	m := &Matcher{nodes: map[uint64]*node{}}
	for id, p := range phrases {
		folded := normalize.Fold(p).S
		ws := tokens(folded)
		if len(ws) == 0 {
			continue
		}
		if len(ws) > MaxPhraseWords {
			ws = ws[:MaxPhraseWords]
		}
		words := make([]string, len(ws))
		for i, w := range ws {
			words[i] = w.text(folded)
		}
		h := hashSeed
		for i, w := range words {
			h = extend(h, w)
			if i < len(words)-1 {
				m.node(h).prefix = true
			}
		}
		n := m.node(h)
		n.phrases = append(n.phrases, phrase{id, words})
		m.longest = max(m.longest, len(words))
	}
	m.filter = make([]uint64, filterBits/64)
	for h := range m.nodes {
		b := h % filterBits
		m.filter[b/64] |= 1 << (b % 64)
	}
	return m
}

// Len returns the number of phrases the matcher holds.
func (m *Matcher) Len() int {
	n := 0
	for _, x := range m.nodes {
		n += len(x.phrases)
	}
	return n
}

// Find returns the phrases in a folded view, with spans of the original text. Overlapping matches are all
// returned; each phrase is reported at most once per text unless all is set.
func (m *Matcher) Find(t *normalize.Text, all bool) []Match {
	return m.FindWords(t, Split(t), all)
}

// Words are the words of a folded view, split once for several matchers.
type Words []token

// Split splits a folded view into words.
func Split(t *normalize.Text) Words { return tokens(t.S) }

// FindWords is Find on words already split from t.
func (m *Matcher) FindWords(t *normalize.Text, ws Words, all bool) []Match {
	if m == nil || len(m.nodes) == 0 {
		return nil
	}
	var out []Match
	var seen map[int]bool
	words := make([]string, 0, m.longest)
	for i := range ws {
		words = words[:0]
		h := hashSeed
		for n := 1; n <= m.longest && i+n <= len(ws); n++ {
			w := ws[i+n-1].text(t.S)
			words = append(words, w)
			h = extend(h, w)
			if !m.mayHave(h) {
				break
			}
			x := m.nodes[h]
			if x == nil {
				break
			}
			for _, p := range x.phrases {
				if !equal(p.words, words) || !all && seen[p.id] {
					continue
				}
				if seen == nil {
					seen = map[int]bool{}
				}
				seen[p.id] = true
				s, e := t.Orig(int(ws[i].start), int(ws[i+n-1].end))
				out = append(out, Match{ID: p.id, Start: s, End: e})
			}
			if !x.prefix {
				break
			}
		}
	}
	return out
}

// token is a word of a folded view, by its byte offsets (views are at most a few MiB).
type token struct{ start, end int32 }

func (w token) text(s string) string { return s[w.start:w.end] }

// tokens splits folded text into words: runs of ASCII letters and digits and of non-ASCII characters.
func tokens(s string) []token {
	// Count first, so the list is one allocation of the right size.
	n := 0
	for i := 0; i < len(s); i++ {
		if wordBytes[s[i]] && (i == 0 || !wordBytes[s[i-1]]) {
			n++
		}
	}
	out := make([]token, 0, n)
	for i := 0; i < len(s); {
		if !wordByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && wordByte(s[j]) {
			j++
		}
		out = append(out, token{int32(i), int32(j)})
		i = j
	}
	return out
}

func wordByte(c byte) bool { return wordBytes[c] }

var wordBytes = func() (t [256]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80
	}
	return t
}()

const hashSeed = uint64(14695981039346656037)

// extend adds a word to the FNV-1a hash of a word sequence, with a separator no word contains.
func extend(h uint64, w string) uint64 {
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	h ^= 0xff
	h *= 1099511628211
	return h
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

//go:embed profanity.txt
var profanityFile string

// Profanity returns the managed PROFANITY list (see README.md for its sources) and a matcher for it, built once.
var Profanity = sync.OnceValues(func() ([]string, *Matcher) {
	var list []string
	for _, line := range strings.Split(profanityFile, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			list = append(list, line)
		}
	}
	return list, New(list)
})
