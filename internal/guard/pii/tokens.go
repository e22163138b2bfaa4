package pii

import (
	"net/netip"
	"strings"
)

// awsKeyPrefixes are the four-letter prefixes of AWS access key IDs (AKIA for long-term keys, ASIA for temporary
// credentials) and of the other unique IDs that share their format.
var awsKeyPrefixes = []string{"AKIA", "ASIA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA", "AGPA", "ABIA", "ACCA"}

// tokens judges runs of letters and digits: IBANs, SWIFT codes, VINs, AWS keys, National Insurance numbers,
// passport, licence and plate numbers; and the runs of hex digits and colons that make MAC and IPv6 addresses.
func (sc *scan) tokens() {
	s := sc.s
	for i := 0; i < len(s); {
		if !alnum(s[i]) {
			i++
			continue
		}
		// A run that starts with a hex digit, not right after an address separator, is where hexAddresses may
		// find a MAC or IPv6 address: noting it here spares that scanner a walk over every byte.
		if ctype[s[i]]&cHex != 0 && (i == 0 || ctype[s[i-1]]&cAddrSep == 0) {
			sc.hexRuns = append(sc.hexRuns, i)
		}
		if ctype[s[i]]&cDigit != 0 {
			sc.digitRuns = append(sc.digitRuns, i) // where addresses looks for house numbers
		}
		j, digits, uppers := i, 0, 0
		for j < len(s) {
			t := ctype[s[j]]
			if t&(cDigit|cUpper|cLower) == 0 {
				break
			}
			if t&cDigit != 0 {
				digits++
			} else if t&cUpper != 0 {
				uppers++
			}
			j++
		}
		// Most runs are lower-case words, which no type below can be; nor can a run of digits alone, since every
		// type token judges has letters (numbers judges those runs), so neither pays for a context lookup.
		if (digits > 0 || uppers >= 2) && digits < j-i && (i == 0 || !tokenJoiner(s[i-1])) && (j == len(s) || !tokenJoiner(s[j])) {
			sc.token(i, j)
		}
		i = j
	}
	sc.secrets()
	sc.hexAddresses()
}

// tokenJoiner reports characters that glue a run to a larger token (a path, an identifier, a key).
func tokenJoiner(c byte) bool { return c == '_' || c == '/' || c == '+' || c == '=' || c == '\\' }

func (sc *scan) token(i, j int) {
	s := sc.s
	t := s[i:j]
	n := len(t)
	letters, digits, uppers := 0, 0, 0
	for k := 0; k < n; k++ {
		switch c := t[k]; {
		case digit(c):
			digits++
		case upper(c):
			letters++
			uppers++
		default:
			letters++
		}
	}
	if digits == 0 {
		// Without digits, only all-capital SWIFT codes, plates and the start of a spaced NINO qualify.
		switch {
		case n == 2 && uppers == 2, (n == 8 || n == 11 || n == 20) && uppers == n:
		case n >= 2 && n <= 4 && uppers == n && sc.all&cPlate != 0:
			sc.plate(i, j, sc.before(i, 5, 48), letters, digits)
			return
		default:
			return
		}
	}
	pre := sc.before(i, 5, 48)

	if n == 20 && uppers+digits == 20 {
		for _, p := range awsKeyPrefixes {
			if strings.HasPrefix(t, p) {
				sc.add(AWSAccessKey, i, j, 0.95)
				break
			}
		}
	}
	if n >= 4 && letter(t[0]) && letter(t[1]) && digit(t[2]) && digit(t[3]) {
		sc.iban(i, j, pre)
	}
	if (n == 8 || n == 11) && uppers >= 6 && uppers+digits == n && allUpper(t[:6]) && isCountry(t[4:6]) {
		score := 0.3
		if digits > 0 {
			score = 0.7
		}
		if pre&cSwift != 0 {
			score = 0.95
		}
		if pre&cOther != 0 && pre&cSwift == 0 {
			score -= 0.3
		}
		sc.add(SWIFTCode, i, j, score)
	}
	if n == 17 && vinShape(t) {
		score := 0.35
		if vinCheck(t) {
			score = 0.92
		}
		if pre&cVIN != 0 {
			score = max(score, 0.88)
		}
		sc.add(VehicleIdentification, i, j, score)
	}
	if n == 9 && ninoValid(t) {
		score := 0.88
		if pre&cNINO != 0 {
			score = 0.96
		}
		sc.add(UKNationalInsurance, i, j, score)
	}
	if n == 2 && uppers == 2 {
		// A spaced NINO: "AB 12 34 56 C".
		if j+11 <= len(s) && (j+11 == len(s) || !alnum(s[j+11])) {
			tail := s[j : j+11]
			if tail[0] == ' ' && tail[3] == ' ' && tail[6] == ' ' && tail[9] == ' ' {
				compact := t + tail[1:3] + tail[4:6] + tail[7:9] + tail[10:11]
				if ninoValid(compact) {
					sc.add(UKNationalInsurance, i, j+11, 0.9)
				}
			}
		}
		return
	}
	if letters == 0 {
		return
	}
	// Passport numbers of the current US format (a letter and eight digits) when a passport word is near.
	if n == 9 && letter(t[0]) && digits == 8 && pre&cPassport != 0 {
		sc.add(USPassport, i, j, 0.9)
	}
	// Driver's licence numbers: a few letters and digits near a licence word.
	if n >= 5 && n <= 16 && digits >= 4 && pre&cDriver != 0 {
		score := 0.85
		if pre&cPlate != 0 {
			score = 0.45
		}
		sc.add(DriverID, i, j, score)
	}
	sc.plate(i, j, pre, letters, digits)
}

func allUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if !upper(s[i]) {
			return false
		}
	}
	return true
}

// iban checks an IBAN written compactly or in the usual groups of four ("GB82 WEST 1234 5698 7654 32").
func (sc *scan) iban(i, j int, pre cue) {
	s := sc.s
	cc := strings.ToUpper(s[i : i+2])
	want, ok := ibanLengths[cc]
	if !ok {
		return
	}
	var b strings.Builder
	b.WriteString(strings.ToUpper(s[i:j]))
	end := j
	for b.Len() < want && end+1 < len(s) && s[end] == ' ' {
		k := end + 1
		for k < len(s) && alnum(s[k]) {
			k++
		}
		if k == end+1 || k-end-1 > 4 {
			break
		}
		b.WriteString(strings.ToUpper(s[end+1 : k]))
		end = k
	}
	if b.Len() != want || end < len(s) && alnum(s[end]) {
		return
	}
	if ibanValid(b.String()) {
		sc.add(IBAN, i, end, 0.96)
	} else if pre&cIBAN != 0 {
		sc.add(IBAN, i, end, 0.45)
	}
}

// plate judges vehicle registration numbers, which only a nearby word identifies, except the current UK format
// (two letters, two digits, three letters).
func (sc *scan) plate(i, j int, pre cue, letters, digits int) {
	s := sc.s
	n := j - i
	if n == 4 && upper(s[i]) && upper(s[i+1]) && digit(s[i+2]) && digit(s[i+3]) && j+4 <= len(s) && s[j] == ' ' &&
		allUpper(s[j+1:j+4]) && (j+4 == len(s) || !alnum(s[j+4])) {
		score := 0.6
		if pre&cPlate != 0 {
			score = 0.9
		}
		sc.add(LicensePlate, i, j+4, score)
		return
	}
	if pre&cPlate == 0 || n < 2 || n > 8 {
		return
	}
	end := j
	// "ABC 1234" and "ABC-1234": two short parts.
	if j+1 < len(s) && (s[j] == ' ' || s[j] == '-') {
		k := j + 1
		for k < len(s) && alnum(s[k]) {
			k++
		}
		if k-j-1 >= 2 && k-j-1 <= 4 && n <= 4 {
			end = k
			for _, c := range []byte(s[j+1 : k]) {
				if digit(c) {
					digits++
				} else {
					letters++
				}
			}
		}
	}
	if letters > 0 && digits > 0 && strings.ToUpper(s[i:end]) == s[i:end] {
		sc.add(LicensePlate, i, end, 0.85)
	}
}

// secrets finds AWS secret access keys: 40 characters of base64's alphabet, mixing cases and digits, next to a
// word such as "secret" or near an access key ID.
func (sc *scan) secrets() {
	s := sc.s
	isKey := func(c byte) bool { return ctype[c]&cKeyChar != 0 }
	for i := 0; i+40 <= len(s); {
		if !isKey(s[i]) {
			i++
			continue
		}
		// A key is a run of exactly 40: if a byte that cannot be in a key lies within the next 40, the run from
		// i (and any other run that starts before that byte) is too short, so jump past it without walking the
		// run. In prose this skips most of the text in a few probes from the far end.
		if p := lastNonKey(s[i : i+40]); p >= 0 {
			i += p + 1
			continue
		}
		j := i
		for j < len(s) && isKey(s[j]) {
			j++
		}
		if j-i == 40 && (j == len(s) || s[j] != '=') {
			t := s[i:j]
			var u, l, d bool
			for k := 0; k < len(t); k++ {
				u = u || upper(t[k])
				l = l || lower(t[k])
				d = d || digit(t[k])
			}
			if u && l && (d || strings.ContainsAny(t, "/+")) {
				score := 0.3
				if sc.before(i, 6, 64)&cSecret != 0 {
					score = 0.92
				} else if sc.nearAccessKey(i) {
					score = 0.85
				}
				sc.add(AWSSecretKey, i, j, score)
			}
		}
		i = j
	}
}

// lastNonKey returns the index of the last byte of t outside the alphabet of secret keys, or -1.
func lastNonKey(t string) int {
	for k := len(t) - 1; k >= 0; k-- {
		if ctype[t[k]]&cKeyChar == 0 {
			return k
		}
	}
	return -1
}

func (sc *scan) nearAccessKey(pos int) bool {
	lo := max(0, pos-200)
	window := sc.s[lo:min(len(sc.s), pos+200)]
	for _, p := range awsKeyPrefixes[:2] {
		if strings.Contains(window, p) {
			return true
		}
	}
	return false
}

func hexByte(c byte) bool { return ctype[c]&cHex != 0 }

// hexAddresses finds MAC addresses (six hex pairs separated by colons or dashes, or Cisco's three dotted groups)
// and IPv6 addresses.
func (sc *scan) hexAddresses() {
	s := sc.s
	nextColon := strings.IndexByte(s, ':') // the first colon at or after i, or -1
	h := hexCandidates{s: s, runs: sc.hexRuns, colon: -1}
	for i := h.next(0); i < len(s); i = h.next(i + 1) {
		if i+17 <= len(s) && (s[i+2] == ':' || s[i+2] == '-') && mac(s[i:i+17]) && (i+17 == len(s) || !alnum(s[i+17]) && s[i+17] != s[i+2]) {
			sc.add(MACAddress, i, i+17, 0.92)
			i += 16
			continue
		}
		if i+14 <= len(s) && s[i+4] == '.' && s[i+9] == '.' && ciscoMAC(s[i:i+14]) && (i+14 == len(s) || !alnum(s[i+14])) {
			sc.add(MACAddress, i, i+14, 0.85)
			i += 13
			continue
		}
		// IPv6: a run of hex digits, colons and dots with at least two colons, within 64 bytes. Without a colon
		// in that reach the walk below cannot count one, so most starts skip it; the next colon is found by a
		// fast search only once i has passed the last one.
		if nextColon >= 0 && nextColon < i {
			if k := strings.IndexByte(s[i:], ':'); k >= 0 {
				nextColon = i + k
			} else {
				nextColon = -1
			}
		}
		if nextColon < 0 || nextColon-i >= 64 {
			continue
		}
		j, colons := i, 0
		for j < len(s) && (hexByte(s[j]) || s[j] == ':' || s[j] == '.') && j-i < 64 {
			if s[j] == ':' {
				colons++
			}
			j++
		}
		for j > i && (s[j-1] == '.' || s[j-1] == ':' && (j-2 < i || s[j-2] != ':')) {
			j-- // sentence punctuation
		}
		if colons >= 2 && (j == len(s) || !alnum(s[j])) {
			if a, err := netip.ParseAddr(s[i:j]); err == nil && a.Is6() && !allDecimalGroups(s[i:j]) {
				score := 0.88
				if sc.before(i, 4, 40)&cIP != 0 {
					score = 0.95
				}
				sc.add(IPAddress, i, j, score)
				i = j - 1
			}
		}
	}
}

// hexCandidates yields, in order, the positions where a MAC or IPv6 address may start: a hex digit or a colon
// that does not continue a token (the byte before is not a letter, digit or address separator). Hex digits are
// letters and digits, so those positions are the starts of runs that tokens noted; colons are found by a fast
// search as they are needed.
type hexCandidates struct {
	s     string
	runs  []int // starts of runs of letters and digits that qualify, ascending
	colon int   // the next qualifying colon at or after the last position asked for, len(s) when none; -1 at first
}

// next returns the first candidate at or after from, or len(s).
func (h *hexCandidates) next(from int) int {
	for len(h.runs) > 0 && h.runs[0] < from {
		h.runs = h.runs[1:]
	}
	if h.colon < from {
		h.colon = nextColonStart(h.s, from)
	}
	if len(h.runs) > 0 {
		return min(h.runs[0], h.colon)
	}
	return h.colon
}

// nextColonStart returns the first colon at or after from that follows no letter, digit or address separator,
// or len(s).
func nextColonStart(s string, from int) int {
	for from < len(s) {
		k := strings.IndexByte(s[from:], ':')
		if k < 0 {
			break
		}
		p := from + k
		if p == 0 || ctype[s[p-1]]&(cDigit|cUpper|cLower|cAddrSep) == 0 {
			return p
		}
		from = p + 1
	}
	return len(s)
}

// allDecimalGroups reports "12:30:45"-like runs, which netip would never accept as IPv6 but which guard against
// clock times that happen to parse (such as "1:2:3:4:5:6:7:8").
func allDecimalGroups(s string) bool {
	if strings.Contains(s, "::") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !digit(s[i]) && s[i] != ':' {
			return false
		}
	}
	return true
}

func mac(t string) bool {
	sep := t[2]
	for k := 0; k < 17; k++ {
		if k%3 == 2 {
			if t[k] != sep {
				return false
			}
		} else if !hexByte(t[k]) {
			return false
		}
	}
	return hasHexLetterOrMixed(t)
}

func ciscoMAC(t string) bool {
	for k := 0; k < 14; k++ {
		if k == 4 || k == 9 {
			continue
		}
		if !hexByte(t[k]) {
			return false
		}
	}
	return hasHexLetterOrMixed(t)
}

// hasHexLetterOrMixed rejects all-digit forms such as 12-34-56-78-90-12, which are more often dates or codes.
func hasHexLetterOrMixed(t string) bool {
	for k := 0; k < len(t); k++ {
		if 'a' <= t[k]|0x20 && t[k]|0x20 <= 'f' {
			return true
		}
	}
	return false
}
