package normalize

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Segment is readable text recovered from an encoded part of the input.
type Segment struct {
	Start, End int    // the encoded span, as byte offsets of the input
	Encoding   string // base64, hex or percent; nested layers are joined with "+", e.g. "hex+base64"
	Text       string // the decoded text
}

// Limits on decoding, so that a crafted input cannot make detection do unbounded work.
const (
	maxSegments = 32
	minEncoded  = 16 // shorter runs are ordinary words and numbers far more often than hidden text
	maxDepth    = 2
)

// Decode finds base64, hex and percent-encoded segments of a canonical view that decode to readable text. A
// segment that itself holds an encoded segment is decoded again, up to two layers. Runs that decode to binary
// (hashes, keys, identifiers) are not segments. At most 32 segments are returned, and their text is never longer
// than the input.
func Decode(c *Text) []Segment {
	var out []Segment
	budget := len(c.S)
	decodeInto(&out, c, 0, "", &budget, 1)
	return out
}

func decodeInto(out *[]Segment, c *Text, base int, prefix string, budget *int, depth int) {
	s := c.S
	for i := 0; i < len(s) && len(*out) < maxSegments; {
		if !encodedChar[s[i]] {
			i++
			continue
		}
		// A run starts here: runs are maximal, so the byte before is not part of one.
		j, percent := i, false
		for j < len(s) && encodedChar[s[j]] {
			percent = percent || s[j] == '%'
			j++
		}
		run := s[i:j]
		// Space-separated hex pairs ("68 65 6c 6c 6f") form one run across the spaces.
		if j-i == 2 {
			if pairs := hexPairsRun(s, i); pairs > j {
				j = pairs
				run = strings.ReplaceAll(s[i:j], " ", "")
			}
		}
		if len(run) >= minEncoded || percent {
			if text, enc := decodeRun(run); text != "" && len(text) <= *budget {
				*budget -= len(text)
				start, end := c.Orig(i, j)
				seg := Segment{Start: base + start, End: base + end, Encoding: prefix + enc, Text: text}
				*out = append(*out, seg)
				if depth < maxDepth {
					inner := Canonical(text)
					// Nested segments point at the outer segment: the input holds nothing narrower.
					before := len(*out)
					decodeInto(out, inner, 0, seg.Encoding+"+", budget, depth+1)
					for k := before; k < len(*out); k++ {
						(*out)[k].Start, (*out)[k].End = seg.Start, seg.End
					}
				}
			}
		}
		i = j
	}
}

// isEncodedChar reports bytes that can appear in base64 (standard or URL-safe), hex and percent-encoding, and in
// the \x escapes of hex dumps.
func isEncodedChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '+' || c == '/' || c == '=' || c == '-' || c == '_' || c == '%' || c == '\\'
}

// encodedChar is isEncodedChar as a table, for the scan over every byte.
var encodedChar = func() (t [256]bool) {
	for c := range t {
		t[c] = isEncodedChar(byte(c))
	}
	return t
}()

// hexPairsRun returns where a run of at least eight space-separated hex byte pairs starting at i ends, or i.
func hexPairsRun(s string, i int) int {
	k, pairs := i, 0
	for k+1 < len(s) && isHex(s[k]) && isHex(s[k+1]) && (k+2 == len(s) || s[k+2] == ' ') {
		pairs++
		k += 2
		if k < len(s) && k+2 < len(s) && isHex(s[k+1]) {
			k++ // the space
			continue
		}
		break
	}
	if pairs < 8 {
		return i
	}
	return k
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f' }

// decodeRun tries the encodings a run could be in and returns readable text and the encoding's name.
func decodeRun(run string) (string, string) {
	switch {
	case strings.Contains(run, "%"):
		if strings.Count(run, "%") >= 3 {
			if t, err := url.PathUnescape(run); err == nil && t != run && readable(t) {
				return t, "percent"
			}
		}
		return "", ""
	case strings.Contains(run, `\x`):
		h := strings.ReplaceAll(run, `\x`, "")
		if t := decodeHex(h); t != "" {
			return t, "hex"
		}
		return "", ""
	}
	if allHex(run) && len(run)%2 == 0 {
		if t := decodeHex(run); t != "" {
			return t, "hex"
		}
	}
	trimmed := strings.TrimRight(run, "=")
	if len(trimmed)%4 == 1 {
		trimmed = trimmed[:len(trimmed)-1]
	}
	enc := base64.RawStdEncoding
	if strings.ContainsAny(trimmed, "-_") {
		if strings.ContainsAny(trimmed, "+/") {
			return "", ""
		}
		enc = base64.RawURLEncoding
	}
	if strings.Contains(trimmed, "=") || strings.Contains(trimmed, `\`) {
		return "", ""
	}
	data, err := enc.DecodeString(trimmed)
	if err != nil || !readable(string(data)) && !layered(string(data)) {
		return "", ""
	}
	return string(data), "base64"
}

// layered reports whether decoded bytes are themselves an encoded run that decodes to text, as when hex is wrapped
// in base64. Each layer is shorter than the last, so the recursion ends.
func layered(s string) bool {
	if len(s) < minEncoded {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isEncodedChar(s[i]) {
			return false
		}
	}
	t, _ := decodeRun(s)
	return t != ""
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

func decodeHex(h string) string {
	data, err := hex.DecodeString(h)
	if err != nil || !readable(string(data)) {
		return ""
	}
	return string(data)
}

// readable reports whether decoded bytes look like text someone wrote: valid UTF-8, no control characters other
// than line breaks and tabs, mostly letters, digits, spaces and punctuation, and at least four letters.
func readable(s string) bool {
	if !utf8.ValidString(s) || len(s) < 4 {
		return false
	}
	letters, good, total := 0, 0, 0
	for _, r := range s {
		total++
		switch {
		case unicode.IsLetter(r):
			letters++
			good++
		case unicode.IsDigit(r), r == ' ', unicode.IsPunct(r), unicode.IsSymbol(r) && r < 0x2000:
			good++
		case r == '\n' || r == '\t' || r == '\r':
			good++
		case unicode.IsControl(r), r == utf8.RuneError:
			return false
		}
	}
	return letters >= 4 && good*10 >= total*9 && letters*2 >= total
}
