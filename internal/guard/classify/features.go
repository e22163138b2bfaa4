// Package classify holds the learned detectors of walens guardrails: one logistic-regression classifier per
// category (PROMPT_ATTACK and the content categories HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT) over hashed
// word and character n-grams of the folded text, the trainer that produces them (run by go run
// ./bench/guard/train), and the compact model format embedded in the binary.
//
// The models are small on purpose: a quarter of a megabyte, pure Go, about a millisecond or less per kilobyte.
// They trail large fine-tuned transformer classifiers, most on paraphrased attacks and on categories with little
// public training data; docs/guardrails.md publishes the measured numbers.
package classify

import (
	"math"
)

// Hash seeds keep the feature families apart in the shared hash space.
const (
	seedWord   = 0x9e3779b1
	seedBigram = 0x85ebca77
	seedChar   = 0xc2b2ae3d
)

// Features are the hashed features of one text: each entry is a hash whose low bits pick a bucket and whose top
// bit picks a sign, so that colliding features cancel out on average instead of adding up.
type Features struct {
	Hashes []uint32
}

// minNormFeatures is the feature count below which a text is treated as having this many: a text of one or two
// words gives the model too little evidence to be sure of anything, and without the floor a single word's weight
// would decide its score alone.
const minNormFeatures = 24

// Norm is the weight of each feature occurrence: one over the square root of the number of features (at least
// minNormFeatures), which makes scores comparable across text lengths.
func (f *Features) Norm() float64 {
	if len(f.Hashes) == 0 {
		return 0
	}
	return 1 / math.Sqrt(float64(max(len(f.Hashes), minNormFeatures)))
}

// maxWordChars bounds the character n-grams taken from one word: longer runs are identifiers, hashes or
// encoded blobs, whose n-grams say little and cost much.
const maxWordChars = 24

// Extract computes the features of a folded text (see normalize.Fold): word unigrams and bigrams, and character
// 3-, 4- and 5-grams of each word with its boundaries marked. It reuses f's storage.
func (f *Features) Extract(text string) {
	h := f.Hashes[:0]
	var buf [maxWordChars]byte
	var prev uint32
	havePrev := false
	for i := 0; i < len(text); {
		if !wordByte(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && wordByte(text[j]) {
			j++
		}
		w := digitShape(text[i:j], &buf)
		wh := fnv(seedWord, w)
		h = append(h, wh)
		if havePrev {
			h = append(h, mix(seedBigram^prev, wh))
		}
		prev, havePrev = wh, true
		if len(w) <= maxWordChars {
			h = charGrams(h, w)
		}
		// A bigram does not reach across sentence punctuation.
		if j < len(text) && text[j] != ' ' && text[j] != '\'' && text[j] != '-' {
			havePrev = false
		}
		i = j
	}
	f.Hashes = h
}

// digitShape writes every digit of a word as 0, so that numbers contribute their shape ("000-0000", "v0.0")
// rather than their value: the datasets hold too few numbers for their values to mean anything, and without this
// a phone number or a price lands on whatever weights its digits happen to hash to.
func digitShape(w string, buf *[maxWordChars]byte) string {
	has := false
	for i := 0; i < len(w); i++ {
		if '1' <= w[i] && w[i] <= '9' {
			has = true
			break
		}
	}
	if !has || len(w) > maxWordChars {
		return w
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if '1' <= c && c <= '9' {
			c = '0'
		}
		buf[i] = c
	}
	return string(buf[:len(w)])
}

// wordByte reports the bytes words are made of: ASCII letters and digits, and every byte of a multi-byte
// character (the folded text keeps non-Latin letters as they are).
func wordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c >= 0x80
}

// charGrams appends the 3-, 4- and 5-grams of "<word>".
func charGrams(h []uint32, w string) []uint32 {
	var buf [maxWordChars + 2]byte
	buf[0] = '<'
	copy(buf[1:], w)
	buf[len(w)+1] = '>'
	b := buf[:len(w)+2]
	for n := 3; n <= 5; n++ {
		for i := 0; i+n <= len(b); i++ {
			h = append(h, fnvBytes(seedChar+uint32(n), b[i:i+n]))
		}
	}
	return h
}

// fnv is 32-bit FNV-1a with a seed folded into the offset basis. It is deterministic across runs and platforms,
// which the committed weights depend on.
func fnv(seed uint32, s string) uint32 {
	h := 2166136261 ^ seed
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return finalize(h)
}

func fnvBytes(seed uint32, s []byte) uint32 {
	h := 2166136261 ^ seed
	for _, c := range s {
		h ^= uint32(c)
		h *= 16777619
	}
	return finalize(h)
}

func mix(a, b uint32) uint32 {
	h := a*0x85ebca6b ^ b
	return finalize(h)
}

// finalize spreads FNV's weak low bits over the whole word (murmur3's finaliser), since buckets are low bits.
func finalize(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}
