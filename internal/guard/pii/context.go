package pii

import (
	"encoding/binary"
	"sort"
	"strings"
)

// cue is a set of context kinds a word (or a two-word phrase ending at it) signals.
type cue uint64

const (
	cCard cue = 1 << iota
	cCVV
	cExpiry
	cSSN
	cITIN
	cRouting
	cAccount
	cSIN
	cPhone
	cNHS
	cUTR
	cCAHealth
	cPIN
	cAge
	cPassport
	cDriver
	cPlate
	cSwift
	cIBAN
	cVIN
	cSecret
	cIP
	cNINO
	cOther   // words that name other kinds of numbers: order, invoice, ticket, version...
	cVersion // version, build, release: dotted numbers are versions, not addresses
	cDateish // dates and times: "on", "at", months, "am", "pm"
)

// cues maps lower-case words and two-word phrases to what they signal. The lists are the walens authors' own;
// they were tuned on the generated corpus in bench/guard and checked against the public Presidio sample.
var cues = map[string]cue{
	"card": cCard, "credit": cCard, "debit": cCard, "visa": cCard, "mastercard": cCard, "amex": cCard,
	"american express": cCard, "cc": cCard, "pan": cCard, "payment": cCard, "maestro": cCard, "discover card": cCard,

	"cvv": cCVV, "cvv2": cCVV, "cvc": cCVV, "cvc2": cCVV, "cid": cCVV, "csc": cCVV, "security code": cCVV,
	"card verification": cCVV, "verification value": cCVV,

	"exp": cExpiry, "expiry": cExpiry, "expires": cExpiry, "expiration": cExpiry, "expiring": cExpiry,
	"thru": cExpiry, "valid through": cExpiry, "expire": cExpiry,

	"ssn": cSSN, "social security": cSSN, "ss#": cSSN,

	"itin": cITIN, "taxpayer identification": cITIN, "tax id": cITIN, "tin": cITIN,

	"routing": cRouting, "aba": cRouting, "rtn": cRouting, "transit number": cRouting, "routing number": cRouting,

	"account": cAccount, "acct": cAccount, "checking": cAccount, "savings": cAccount,

	"sin": cSIN, "social insurance": cSIN, "nas": cSIN,

	"phone": cPhone, "telephone": cPhone, "tel": cPhone, "mobile": cPhone, "cell": cPhone, "cellphone": cPhone,
	"call": cPhone, "fax": cPhone, "contact": cPhone, "whatsapp": cPhone, "sms": cPhone, "reach": cPhone,
	"dial": cPhone, "hotline": cPhone, "ring": cPhone, "text me": cPhone, "landline": cPhone, "phone number": cPhone,

	"nhs": cNHS, "health service": cNHS,

	"utr": cUTR, "unique taxpayer": cUTR, "taxpayer reference": cUTR, "hmrc": cUTR, "self assessment": cUTR,

	"ohip": cCAHealth, "health card": cCAHealth, "health number": cCAHealth, "hcn": cCAHealth, "ramq": cCAHealth,
	"care card": cCAHealth, "health insurance": cCAHealth, "phn": cCAHealth,

	"pin": cPIN, "pin code": cPIN, "atm": cPIN, "passcode": cPIN,

	"age": cAge, "aged": cAge, "ages": cAge,

	"passport": cPassport,

	"driver": cDriver, "drivers": cDriver, "driver's": cDriver, "driving": cDriver, "dl": cDriver, "license number": cDriver,
	"licence number": cDriver, "driver license": cDriver, "licence": cDriver, "license": cDriver,

	"plate": cPlate, "plates": cPlate, "registration": cPlate, "reg": cPlate, "number plate": cPlate,
	"license plate": cPlate, "licence plate": cPlate, "registered": cPlate,

	"swift": cSwift, "bic": cSwift, "swift code": cSwift,

	"iban": cIBAN,

	"vin": cVIN, "vehicle": cVIN, "chassis": cVIN,

	"secret": cSecret, "secretaccesskey": cSecret, "secret key": cSecret, "secret access": cSecret,

	"ip": cIP, "ipv4": cIP, "ipv6": cIP, "host": cIP, "server": cIP, "gateway": cIP, "subnet": cIP, "dns": cIP,

	"national insurance": cNINO, "nino": cNINO, "ni number": cNINO,

	"order": cOther, "invoice": cOther, "ticket": cOther, "tracking": cOther, "confirmation": cOther,
	"reference": cOther, "ref": cOther, "serial": cOther, "sku": cOther, "isbn": cOther, "model": cOther,
	"part": cOther, "item": cOther, "case": cOther, "transaction": cOther, "booking": cOther, "po": cOther,
	"batch": cOther, "lot": cOther, "page": cOther, "chapter": cOther, "room": cOther, "flight": cOther,
	"issue": cOther, "pr": cOther, "commit": cOther, "error": cOther, "build": cOther | cVersion,
	"version": cOther | cVersion, "release": cOther | cVersion, "v": cVersion, "ver": cVersion,
	"firmware": cVersion, "kernel": cVersion, "product": cOther, "shipment": cOther, "parcel": cOther,
	"claim": cOther, "policy": cOther, "employee": cOther, "customer": cOther, "member": cOther,
	"job": cOther, "request": cOther, "incident": cOther, "bug": cOther, "row": cOther, "step": cOther,
	"total": cOther, "amount": cOther, "price": cOther, "usd": cOther, "eur": cOther, "gbp": cOther,
	"dollars": cOther, "units": cOther, "bytes": cOther, "kb": cOther, "mb": cOther, "gb": cOther, "ms": cOther,
	"seconds": cOther, "minutes": cOther, "rows": cOther, "users": cOther, "items": cOther,
	"orders": cOther, "port": cOther, "pid": cOther, "uid": cOther, "timestamp": cOther | cDateish,

	"on": cDateish, "at": cDateish, "date": cDateish, "dated": cDateish, "since": cDateish, "until": cDateish,
	"january": cDateish, "february": cDateish, "march": cDateish, "april": cDateish, "may": cDateish,
	"june": cDateish, "july": cDateish, "august": cDateish, "september": cDateish, "october": cDateish,
	"november": cDateish, "december": cDateish, "am": cDateish, "pm": cDateish, "utc": cDateish,
}

// keyFilter answers "might this word be a key of the map?" from its length and first two letters, so the scan
// pays for a map lookup only on the few words that could be cues. It has no false negatives.
type keyFilter [(24*27*27 + 63) / 64]uint64

func filterIndex(k string) int {
	l := min(len(k), 23)
	c0, c1 := 26, 26
	if len(k) > 0 {
		c0 = int(letterIndex[k[0]])
	}
	if len(k) > 1 {
		c1 = int(letterIndex[k[1]])
	}
	return (l*27+c0)*27 + c1
}

// letterIndex numbers the lower-case letters 0-25; every other byte is 26.
var letterIndex = func() (t [256]uint8) {
	for c := range t {
		t[c] = 26
		if 'a' <= c && c <= 'z' {
			t[c] = uint8(c - 'a')
		}
	}
	return t
}()

func (f *keyFilter) add(k string) { i := filterIndex(k); f[i/64] |= 1 << (i % 64) }

func (f *keyFilter) has(k string) bool { i := filterIndex(k); return f[i/64]&(1<<(i%64)) != 0 }

func filterOf[V any](m map[string]V) *keyFilter {
	f := &keyFilter{}
	for k := range m {
		f.add(k)
	}
	return f
}

// cueFilter is computed once from cues and never changed.
var cueFilter = filterOf(cues)

// word is a run of letters (and the few symbols cue words contain) with the cues it carries.
type word struct {
	start, end int
	cues       cue
}

// splitWords finds the words of s (runs of letters and digits that start with a letter, with inner apostrophes)
// and the cues each signals, alone or with the word before it, appending them to out. lc is s in lower case.
func splitWords(s, lc string, out []word) []word {
	for i := 0; i < len(s); {
		if !letter(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && (alnum(s[j]) || s[j] == '#' || s[j] == '\'' && j+1 < len(s) && letter(s[j+1])) {
			j++
		}
		w := word{start: i, end: j}
		if k := lc[i:j]; cueFilter.has(k) {
			w.cues = cues[k]
		}
		if n := len(out); n > 0 && out[n-1].end+1 == i && s[i-1] == ' ' {
			// The phrase of the previous word and this one, e.g. "social security".
			if k := lc[out[n-1].start:j]; cueFilter.has(k) {
				w.cues |= cues[k]
			}
		}
		out = append(out, w)
		i = j
	}
	return out
}

// before returns the cues of up to n words that end before pos, start within reach bytes of it and are in the
// same sentence: "...about my recent order. Charge 4111 ..." does not make the card number an order number.
func (sc *scan) before(pos, n, reach int) cue {
	// The candidates of a run of digit groups share their start, and each asks about its context twice: keep
	// the last answer per question.
	m := &sc.memo[(n*3+reach)%len(sc.memo)]
	if m.set && m.pos == pos && m.n == n && m.reach == reach {
		return m.c
	}
	c := sc.cuesBefore(pos, n, reach)
	*m = beforeMemo{pos: pos, n: n, reach: reach, c: c, set: true}
	return c
}

type beforeMemo struct {
	pos, n, reach int
	c             cue
	set           bool
}

// numberContext is before(pos, 6, 64) and before(pos, 3, 32) in one walk, the two questions number asks: the
// nearer question's words are a prefix of the farther one's, since each word back is further away.
func (sc *scan) numberContext(pos int) (pre, near cue) {
	if m := &sc.numMemo; m.set && m.pos == pos {
		return m.pre, m.near
	}
	k := sort.Search(len(sc.words), func(i int) bool { return sc.words[i].end > pos })
	limit := pos
	for i := k - 1; i >= 0 && i >= k-6; i-- {
		dist := pos - sc.words[i].start
		if dist > 64 || sentenceBreak(sc.s[sc.words[i].end:limit], sc.words[i].end-sc.words[i].start) {
			break
		}
		pre |= sc.words[i].cues
		if i >= k-3 && dist <= 32 {
			near |= sc.words[i].cues
		}
		limit = sc.words[i].start
	}
	sc.numMemo = numberMemo{pos: pos, pre: pre, near: near, set: true}
	return pre, near
}

type numberMemo struct {
	pos       int
	pre, near cue
	set       bool
}

func (sc *scan) cuesBefore(pos, n, reach int) cue {
	k := sort.Search(len(sc.words), func(i int) bool { return sc.words[i].end > pos })
	var c cue
	limit := pos
	for i := k - 1; i >= 0 && i >= k-n; i-- {
		if pos-sc.words[i].start > reach || sentenceBreak(sc.s[sc.words[i].end:limit], sc.words[i].end-sc.words[i].start) {
			break
		}
		c |= sc.words[i].cues
		limit = sc.words[i].start
	}
	return c
}

// sentenceBreak reports whether the gap after a word of wordLen bytes ends a sentence: a full stop, question or
// exclamation mark followed by a space, or a line break. A full stop right after a short word is read as an
// abbreviation ("NHS no. 943...", "Tel. 020...").
func sentenceBreak(gap string, wordLen int) bool {
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '\n':
			return true
		case '.':
			if i+1 < len(gap) && gap[i+1] == ' ' && !(i == 0 && wordLen <= 4) {
				return true
			}
		case '!', '?':
			if i+1 < len(gap) && gap[i+1] == ' ' {
				return true
			}
		}
	}
	return false
}

// wordsAfter appends to out the lower-cased words that follow pos, up to cap(out) of them, skipping only spaces
// and hyphens.
func (sc *scan) wordsAfter(pos int, out []string) []string {
	n := cap(out)
	k := sort.Search(len(sc.words), func(i int) bool { return sc.words[i].start >= pos })
	last := pos
	for i := k; i < len(sc.words) && len(out) < n; i++ {
		w := sc.words[i]
		for p := last; p < w.start; p++ {
			if c := sc.s[p]; c != ' ' && c != '-' {
				return out
			}
		}
		out = append(out, sc.lc[w.start:w.end])
		last = w.end
	}
	return out
}

func lowerASCII(s string) string {
	// Eight bytes at a time, into a builder, which hands its buffer over as the string rather than copying it
	// again: the copy of every scanned byte is the largest single step of setting up a scan.
	var b strings.Builder
	b.Grow(len(s))
	var w [8]byte
	i := 0
	for ; i+8 <= len(s); i += 8 {
		binary.LittleEndian.PutUint64(w[:], lowerASCII8(binary.LittleEndian.Uint64([]byte(s[i:i+8]))))
		b.Write(w[:])
	}
	for ; i < len(s); i++ {
		b.WriteByte(lowerByte[s[i]])
	}
	return b.String()
}

// lowerASCII8 lower-cases the ASCII capitals among eight bytes at once, leaving every other byte as it is. For
// each byte below 0x80, adding 0x3f to its low seven bits sets bit 7 when it is at least 'A', and adding 0x25
// sets it when it is above 'Z'; neither sum carries into the next byte. A capital gets 0x20 (bit 7 >> 2).
func lowerASCII8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	low := x &^ highs
	atLeastA := low + ones*(0x80-'A')
	aboveZ := low + ones*(0x80-'Z'-1)
	capital := atLeastA &^ aboveZ &^ x & highs
	return x | capital>>2
}

// lowerByte lower-cases ASCII letters and leaves every other byte, including those of multi-byte characters.
var lowerByte = func() (t [256]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] = byte(c) | 0x20
		}
	}
	return t
}()
