// Package normalize undoes the tricks people use to slip text past filters, before any detector looks at it:
// compatibility forms (full-width digits, ligatures, circled letters), accents and other combining marks,
// invisible characters (zero-width, bidirectional controls, soft hyphens), Unicode tag characters that smuggle
// ASCII, letters borrowed from other scripts that look Latin, leetspeak, letters spelled out with spaces, and
// base64, hex or percent-encoded segments.
//
// Every view keeps a map from its bytes back to the input's, so a detector that finds something in a view can
// point at (and anonymise) the original span.
package normalize

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text is a normalised view of an input: the view's string and, for each of its bytes, the offset in the input of
// the character it came from.
type Text struct {
	S    string
	offs []int32 // len(S)+1 entries; offs[len(S)] is the length of the input. Unused when ident is set.
	// ident says that byte i of S came from byte i of the input, for every i: the common case of plain ASCII
	// text, which then needs no offset map at all.
	ident bool
}

// off is the offset in the input of the character byte i of the view came from (i may be len(S)).
func (t *Text) off(i int) int {
	if t.ident {
		return i
	}
	return int(t.offs[i])
}

// Orig maps a span [start, end) of the view back to a span of the input. The end is extended to the end of the
// input character the last view byte came from.
func (t *Text) Orig(start, end int) (int, int) {
	if t.ident {
		start = clamp(start, 0, len(t.S))
		return start, clamp(end, start, len(t.S))
	}
	if len(t.offs) == 0 {
		return start, end
	}
	start = clamp(start, 0, len(t.S))
	end = clamp(end, start, len(t.S))
	os := int(t.offs[start])
	if end == start {
		return os, os
	}
	// The input character holding the last byte ends where the next different offset starts.
	last := t.offs[end-1]
	oe := int(t.offs[len(t.S)])
	for i := end; i <= len(t.S); i++ {
		if t.offs[i] != last {
			oe = int(t.offs[i])
			break
		}
	}
	return os, oe
}

func clamp(v, lo, hi int) int {
	return min(max(v, lo), hi)
}

// builder accumulates a view with its offset map.
type builder struct {
	b    []byte
	offs []int32
}

func newBuilder(n int) *builder {
	return &builder{b: make([]byte, 0, n), offs: make([]int32, 0, n+1)}
}

func (b *builder) byte(c byte, at int) {
	b.b = append(b.b, c)
	b.offs = append(b.offs, int32(at))
}

// ascii appends a run of the input that stays as it is: byte k of run came from offset at+k.
func (b *builder) ascii(run string, at int) {
	b.b = append(b.b, run...)
	n := len(b.offs)
	b.offs = slices.Grow(b.offs, len(run))[:n+len(run)]
	for k := range len(run) {
		b.offs[n+k] = int32(at + k)
	}
}

func (b *builder) rune(r rune, at int) {
	if r < utf8.RuneSelf {
		b.byte(byte(r), at)
		return
	}
	n := len(b.b)
	b.b = utf8.AppendRune(b.b, r)
	for range len(b.b) - n {
		b.offs = append(b.offs, int32(at))
	}
}

func (b *builder) text(end int) *Text {
	b.offs = append(b.offs, int32(end))
	return &Text{S: string(b.b), offs: b.offs}
}

// Canonical returns the view every detector starts from. It keeps letter case (IBANs, SWIFT codes and access
// keys are upper case) and replaces: compatibility characters with their plain forms (NFKD), so full-width "４"
// reads as "4" and "ﬁ" as "fi"; combining marks and invisible format characters with nothing; Unicode tag
// characters with the ASCII they hide; any space character with a plain space; and letters of other scripts that
// look Latin with the Latin letter. Invalid UTF-8 bytes become U+FFFD.
func Canonical(s string) *Text {
	// Most text is printable ASCII, perhaps with line breaks and tabs: nothing to replace but those, and every
	// byte stays where it was, so the input itself is the view.
	spaces := false
	for i := 0; i < len(s); i++ {
		switch asciiClass[s[i]] {
		case asciiPrintable:
		case asciiSpace:
			spaces = true
		default:
			return canonicalSlow(s)
		}
	}
	if !spaces {
		return &Text{S: s, ident: true}
	}
	b := []byte(s)
	for i, c := range b {
		if asciiClass[c] == asciiSpace {
			b[i] = ' '
		}
	}
	return &Text{S: string(b), ident: true}
}

// The classes of bytes for Canonical's fast path: anything else (control characters, non-ASCII) takes the full
// path.
const (
	asciiOther = iota
	asciiPrintable
	asciiSpace // a white-space control character, which becomes a plain space
)

var asciiClass = func() (t [256]uint8) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = asciiPrintable
	}
	for _, c := range "\t\n\r\v\f" {
		t[c] = asciiSpace
	}
	return t
}()

// canonicalSlow is Canonical for text with non-ASCII or control characters.
func canonicalSlow(s string) *Text {
	b := newBuilder(len(s))
	var buf [4 * utf8.UTFMax]byte
	for i := 0; i < len(s); {
		c := s[i]
		if asciiClass[c] == asciiPrintable {
			// Runs of printable ASCII between the characters that need work are copied whole.
			j := i + 1
			for j < len(s) && asciiClass[s[j]] == asciiPrintable {
				j++
			}
			b.ascii(s[i:j], i)
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			switch {
			case c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
				b.byte(' ', i)
			case c < 0x20 || c == 0x7f:
				// Other control characters carry nothing a reader sees.
			default:
				b.byte(c, i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.rune(utf8.RuneError, i)
			i++
			continue
		}
		canonicalRune(b, r, i, buf[:0])
		i += size
	}
	return b.text(len(s))
}

func canonicalRune(b *builder, r rune, at int, scratch []byte) {
	switch {
	case r >= 0xE0020 && r <= 0xE007E:
		// Tag characters are invisible but spell ASCII ("ASCII smuggling"): read them as what they spell.
		b.byte(byte(r-0xE0000), at)
		return
	case invisible(r):
		return
	case unicode.IsSpace(r):
		b.byte(' ', at)
		return
	}
	if l, ok := confusable[r]; ok {
		b.byte(l, at)
		return
	}
	if !norm.NFKD.IsNormalString(string(r)) {
		d := norm.NFKD.AppendString(scratch, string(r))
		for len(d) > 0 {
			x, n := utf8.DecodeRune(d)
			d = d[n:]
			switch {
			case unicode.Is(unicode.Mn, x) || unicode.Is(unicode.Me, x) || invisible(x):
			case unicode.IsSpace(x):
				b.byte(' ', at)
			default:
				if l, ok := confusable[x]; ok {
					b.byte(l, at)
				} else {
					b.rune(x, at)
				}
			}
		}
		return
	}
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) {
		return
	}
	b.rune(r, at)
}

// invisible reports characters that render as nothing: format characters (zero-width spaces and joiners,
// bidirectional controls, the BOM, soft hyphens), variation selectors and the combining grapheme joiner.
func invisible(r rune) bool {
	switch {
	case r == 0x034F, r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0:
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF:
		return true
	case r >= 0xE0000 && r <= 0xE007F:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// confusable maps letters of other scripts that look like Latin letters to those letters. The table covers the
// Cyrillic, Greek and Armenian look-alikes used to dodge filters, plus a few symbols; it is not Unicode's full
// confusables list, which maps many characters to sequences and would change ordinary non-Latin text far more.
var confusable = map[rune]byte{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ԁ': 'd', 'ɡ': 'g', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w',
	'А': 'A', 'В': 'B', 'Е': 'E', 'Ё': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T',
	'У': 'Y', 'Х': 'X', 'Ѕ': 'S', 'І': 'I', 'Ї': 'I', 'Ј': 'J', 'Ԁ': 'D', 'Һ': 'H', 'Ԛ': 'Q', 'Ԝ': 'W',
	// Greek
	'α': 'a', 'ο': 'o', 'ρ': 'p', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ε': 'e',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P',
	'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
	// Armenian and others
	'օ': 'o', 'ս': 'u', 'ց': 'g', 'հ': 'h', 'ո': 'n', 'ı': 'i', 'ȷ': 'j', 'ℓ': 'l', 'ⅼ': 'l',
}
