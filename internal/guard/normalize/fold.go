package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fold returns the view that classifiers and word filters read: the canonical view in lower case, with leetspeak
// undone in words that mix letters with look-alike digits and symbols ("h4te", "$h1t"), and words spelled out one
// letter at a time joined up ("k i l l", "k.i.l.l" read "kill"). Offsets still point into the input.
func Fold(s string) *Text { return FoldCanonical(Canonical(s)) }

// FoldCanonical folds a view made by Canonical, so callers that need both views normalise once.
func FoldCanonical(c *Text) *Text {
	if isASCII(c.S) {
		return joinSpelled(foldASCII(c))
	}
	return foldSlow(c)
}

// foldSlow is FoldCanonical for any view, character by character.
func foldSlow(c *Text) *Text {
	s := c.S
	b := newBuilder(len(s))
	// First pass: lower case and leetspeak, word by word.
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			b.byte(' ', c.off(i))
			i++
			continue
		}
		j, ascii := i, true
		for j < len(s) && s[j] != ' ' {
			ascii = ascii && s[j] < utf8.RuneSelf
			j++
		}
		if ascii {
			foldASCIIWord(b, c, i, j)
		} else {
			foldWord(b, c, i, j)
		}
		i = j
	}
	lower := b.text(c.off(len(s)))
	return joinSpelled(lower)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldASCII is the first pass of FoldCanonical for an ASCII view, where folding changes bytes but never their
// number, so the folded view shares the canonical view's offsets. It gives what foldWord gives, word by word.
func foldASCII(c *Text) *Text {
	s := c.S
	buf := make([]byte, len(s))
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			buf[i] = ' '
			i++
			continue
		}
		// Lower-case the word, noting whether it holds any stand-in character at all.
		j, stand := i, byte(0)
		for ; j < len(s) && s[j] != ' '; j++ {
			x := s[j]
			buf[j] = lowerASCII[x]
			stand |= leet[x]
		}
		if stand != 0 && looksLeet(s[i:j]) {
			for k := i; k < j; k++ {
				if leet[s[k]] != 0 && inWord(s, i, j, k) {
					buf[k] = leet[s[k]]
				}
			}
		}
		i = j
	}
	return &Text{S: string(buf), offs: c.offs, ident: c.ident}
}

var lowerASCII = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] = byte(c) + 'a' - 'A'
		}
	}
	return t
}()

// leet maps the digits and symbols that stand in for letters.
var leet = [256]byte{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', '$': 's', '!': 'i', '|': 'l'}

// foldWord writes s[i:j] of the canonical view in lower case, undoing leetspeak when the word looks like an
// obfuscated word rather than a number, a code, a version or an address.
func foldWord(b *builder, c *Text, i, j int) {
	s := c.S
	decode := looksLeet(s[i:j])
	for k := i; k < j; {
		r, size := utf8.DecodeRuneInString(s[k:])
		at := c.off(k)
		if r < utf8.RuneSelf {
			x := byte(r)
			if 'A' <= x && x <= 'Z' {
				x += 'a' - 'A'
			} else if decode && leet[x] != 0 && inWord(s, i, j, k) {
				x = leet[x]
			}
			b.byte(x, at)
		} else {
			b.rune(unicode.ToLower(r), at)
		}
		k += size
	}
}

// foldASCIIWord is foldWord for a word of ASCII bytes, which keep their number: it copies the word and its
// offsets whole and then changes bytes in place.
func foldASCIIWord(b *builder, c *Text, i, j int) {
	s := c.S
	n := len(b.b)
	b.b = append(b.b, s[i:j]...)
	stand := byte(0)
	for k := n; k < len(b.b); k++ {
		x := b.b[k]
		b.b[k] = lowerASCII[x]
		stand |= leet[x]
	}
	if stand != 0 && looksLeet(s[i:j]) {
		for k := i; k < j; k++ {
			if leet[s[k]] != 0 && inWord(s, i, j, k) {
				b.b[n+k-i] = leet[s[k]]
			}
		}
	}
	if c.ident {
		for k := i; k < j; k++ {
			b.offs = append(b.offs, int32(k))
		}
	} else {
		b.offs = append(b.offs, c.offs[i:j]...)
	}
}

// inWord reports whether the symbol at k sits between letters or starts a word followed by letters, so "hello!"
// keeps its exclamation mark while "h!tler" and "$hit" are decoded.
func inWord(s string, i, j, k int) bool {
	prev := k > i && isLetter(s[k-1])
	next := k+1 < j && (isLetter(s[k+1]) || leet[s[k+1]] != 0 && k+2 < j && isLetter(s[k+2]))
	return next || prev && k+1 < j
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// looksLeet decides whether a word mixes letters with stand-ins: at least two letters, at least one stand-in
// that is not merely a trailing number (python3, win10), no digits that stand for nothing (2, 6, 9), and nothing
// that marks an address, a path or a version (".", "/", ":").
func looksLeet(w string) bool {
	end := len(w)
	for end > 0 && strings.IndexByte(".,;:!?)\"'", w[end-1]) >= 0 {
		end--
	}
	trail := end
	for trail > 0 && w[trail-1] >= '0' && w[trail-1] <= '9' {
		trail--
	}
	letters, stand := 0, 0
	for k := 0; k < end; k++ {
		c := w[k]
		switch {
		case isLetter(c):
			letters++
		case c == '.' || c == '/' || c == ':' || c == '2' || c == '6' || c == '9':
			return false
		case c == '@' && k == 0:
			return false // a mention
		case leet[c] != 0 && k < trail:
			stand++
		}
	}
	return letters >= 2 && stand > 0
}

// joinSpelled joins runs of three or more single letters separated by one space or one of . - _ * into a word.
func joinSpelled(t *Text) *Text {
	if !hasSpelled(t.S) {
		return t
	}
	return joinRuns(t)
}

// joinRuns is joinSpelled's copy, made only when there is a run to join.
func joinRuns(t *Text) *Text {
	s := t.S
	b := newBuilder(len(s))
	for i := 0; i < len(s); {
		if n := spelledRun(s, i); n > 0 {
			// Copy the letters of the run, dropping the separators.
			end := i + n
			for k := i; k < end; k++ {
				if isLetter(s[k]) {
					b.byte(s[k], t.off(k))
				}
			}
			i = end
			continue
		}
		b.byte(s[i], t.off(i))
		i++
	}
	return b.text(t.off(len(s)))
}

func isSep(c byte) bool { return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' }

// spelledRun returns the length of a run of at least three single letters starting at i, each separated from the
// next by exactly one separator, with word boundaries on both sides; 0 when there is none.
func spelledRun(s string, i int) int {
	if !isLetter(s[i]) || i > 0 && !isSep(s[i-1]) {
		return 0
	}
	letters, k := 1, i+1
	for k+1 < len(s) && isSep(s[k]) && isLetter(s[k+1]) && (k+2 >= len(s) || isSep(s[k+2])) {
		letters++
		k += 2
	}
	if letters < 3 {
		return 0
	}
	return k - i
}

// hasSpelled reports whether spelledRun finds a run anywhere in s: three single letters, each with a separator
// or an end of the text on both sides.
func hasSpelled(s string) bool {
	for i := 0; i+4 < len(s); i++ {
		// The separator after the first letter is the rarest condition: test it first.
		if spellClass[s[i+1]] == spellSep && spellClass[s[i]] == spellLetter && spellClass[s[i+2]] == spellLetter &&
			spellClass[s[i+3]] == spellSep && spellClass[s[i+4]] == spellLetter &&
			(i == 0 || isSep(s[i-1])) && (i+5 == len(s) || isSep(s[i+5])) {
			return true
		}
	}
	return false
}

const (
	spellOther = iota
	spellLetter
	spellSep
)

// spellClass is isLetter and isSep as one table.
var spellClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case isLetter(byte(c)):
			t[c] = spellLetter
		case isSep(byte(c)):
			t[c] = spellSep
		}
	}
	return t
}()
