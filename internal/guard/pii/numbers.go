package pii

import (
	"strings"
)

// A group is a run of digits with the separators that appear inside formatted numbers ("555-123-4567",
// "(555)", "+44", "12/27", "192.168.0.1"). Groups separated by single spaces form a run; every contiguous part
// of a run of up to maxGroups groups is a candidate, so "my SSN 123 45 6789 and 2 kids" still yields
// "123 45 6789".
type group struct{ start, end int }

const (
	maxGroups    = 6
	maxRunGroups = 64 // longer runs (tables of numbers) are cut, which keeps the work per run bounded
)

func (sc *scan) numbers() {
	s := sc.s
	var run []group
	for i := 0; i < len(s); {
		g, ok := nextGroup(s, i)
		if !ok {
			break
		}
		if len(run) > 0 && (g.start != run[len(run)-1].end+1 || s[run[len(run)-1].end] != ' ' || len(run) == maxRunGroups) {
			sc.numberRun(run)
			run = run[:0]
		}
		run = append(run, g)
		i = g.end
	}
	sc.numberRun(run)
}

// nextGroup finds the next group at or after i whose edges are word boundaries.
func nextGroup(s string, i int) (group, bool) {
	for ; i < len(s); i++ {
		c := s[i]
		if ctype[c]&cNumStart == 0 {
			continue // one table test passes over the bytes that cannot start a group
		}
		start := i
		switch {
		case digit(c):
		case (c == '+' || c == '(') && i+1 < len(s) && digit(s[i+1]):
		default:
			continue
		}
		if start > 0 {
			p := s[start-1]
			if alnum(p) || p == '_' || p == '$' || currency(s[:start]) || (p == '.' || p == '-' || p == '/' || p == ':') && start > 1 && alnum(s[start-2]) {
				// Inside a word, an amount or a dotted or dashed token: skip to the end of it.
				for i < len(s) && (alnum(s[i]) || s[i] == '.' || s[i] == '-' || s[i] == '/' || s[i] == ',') {
					i++
				}
				continue
			}
		}
		j := start + 1
		open := c == '('
		for j < len(s) {
			d := s[j]
			switch {
			case digit(d):
				j++
				continue
			case d == ')' && open:
				open = false
				j++
				if j < len(s) && digit(s[j]) {
					continue
				}
			case (d == '-' || d == '.' || d == '/') && j+1 < len(s) && (digit(s[j+1]) || s[j+1] == '('):
				j++
				continue
			}
			break
		}
		if open && s[start] == '(' {
			start++ // an unclosed "(" belongs to the sentence, not the number
		}
		if j < len(s) && (alnum(s[j]) || s[j] == '_') {
			// The number runs into letters: a code such as 12th or 4x4, not a number on its own.
			for j < len(s) && (alnum(s[j]) || s[j] == '_') {
				j++
			}
			i = j - 1
			continue
		}
		if j < len(s) && s[j] == ',' && j+1 < len(s) && digit(s[j+1]) {
			// 1,234,567: an amount.
			for j < len(s) && (digit(s[j]) || s[j] == ',' || s[j] == '.') {
				j++
			}
			i = j - 1
			continue
		}
		return group{start, j}, true
	}
	return group{}, false
}

func currency(before string) bool {
	return strings.HasSuffix(before, "€") || strings.HasSuffix(before, "£") || strings.HasSuffix(before, "¥")
}

func (sc *scan) numberRun(run []group) {
	for a := range run {
		for b := a; b < len(run) && b < a+maxGroups; b++ {
			sc.number(run[a].start, run[b].end)
		}
	}
}

// shape describes a formatted number by its digit-run lengths and separators: "(555) 123-4567" is "(3) 3-4".
// It writes the digits to d and the shape to b and returns their lengths; the caller owns both arrays, so that
// judging a number copies nothing to the heap.
func shape(raw string, d, b *[64]byte) (nd, nb int) {
	for i := 0; i < len(raw) && nd < len(d) && nb < len(b)-2; {
		if !digit(raw[i]) {
			b[nb] = raw[i]
			nb++
			i++
			continue
		}
		j := i
		for j < len(raw) && digit(raw[j]) && nd < len(d) {
			d[nd] = raw[j]
			nd++
			j++
		}
		n := j - i
		if n >= 10 {
			b[nb] = byte('0' + n/10%10)
			nb++
		}
		b[nb] = byte('0' + n%10)
		nb++
		i = j
	}
	return nd, nb
}

func oneOf(s string, set ...string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// number judges one candidate span of digit groups.
func (sc *scan) number(start, end int) {
	raw := sc.s[start:end]
	if end-start > 40 {
		return // longer than any formatted identifier
	}
	var d, sh string
	if allDigits(raw) {
		d, sh = raw, itoa(len(raw)) // what shape gives, without copying
	} else {
		var dbuf, bbuf [64]byte
		nd, nb := shape(raw, &dbuf, &bbuf)
		if nd > 19 {
			return
		}
		// Neither string outlives this call, so the compiler keeps these short copies on the stack.
		d, sh = string(dbuf[:nd]), string(bbuf[:nb])
	}
	n := len(d)
	if n == 0 || n > 19 {
		return
	}
	pre, near := sc.numberContext(start)
	// Words that name other kinds of numbers count only right before the number ("order number 4111...",
	// "invoice 415-555-0132"), and not when a word for the type itself is there too.
	other := near&cOther != 0
	penalty := func(own cue) float64 {
		if other && pre&own == 0 {
			return 0.45
		}
		return 0
	}
	bare := sh == itoa(n)
	dashedOrSpaced := !strings.ContainsAny(sh, "./()+")

	// IPv4 addresses, and CIDR blocks whose address part is taken.
	if strings.Count(sh, ".") == 3 {
		addr := raw
		if k := strings.IndexByte(addr, '/'); k > 0 {
			addr = addr[:k]
		}
		if ipv4(addr) {
			score := 0.85
			if pre&cIP != 0 {
				score = 0.95
			}
			if pre&cVersion != 0 || start > 0 && sc.s[start-1] == 'v' {
				score = 0.2
			}
			sc.add(IPAddress, start, start+len(addr), score)
		}
		return
	}

	// Card numbers: 13-19 digits, plain or in groups separated by spaces or dashes, passing Luhn.
	if n >= 13 && dashedOrSpaced && luhn(d) {
		score := 0.55
		if cardIssuer(d) {
			score = 0.9
		}
		if pre&(cCard|cCVV|cExpiry) != 0 {
			score = max(score+0.1, 0.85)
		} else if near&cAccount != 0 {
			score -= 0.1 // "checking account 4111...": an account number that happens to pass Luhn
		}
		sc.add(CardNumber, start, end, score-penalty(cCard|cCVV|cExpiry))
	}

	switch n {
	case 9:
		sc.nineDigits(start, end, d, sh, pre, bare, penalty)
	case 10:
		sc.tenDigits(start, end, d, sh, pre, bare, penalty)
	case 11:
		if oneOf(sh, "1-3-3-4", "1 (3) 3-4", "+1 3 3 4", "+1 (3) 3-4", "1 3 3 4", "+1-3-3-4", "+1.3.3.4", "1.3.3.4", "+1 3-3-4", "1 3-3-4", "+1(3)3-4", "+1 (3) 3 4") && nanp(d[1:]) {
			sc.add(Phone, start, end, 0.85-penalty(cPhone))
		}
		if d[0] == '0' && oneOf(sh, "5 6", "4 3 4", "3 4 4", "5 3 3", "4 4 3", "3 3 5") {
			sc.add(Phone, start, end, 0.75-penalty(cPhone))
		}
	}

	// International numbers written with a leading + (or 00) and grouped digits.
	if (sh[0] == '+' || strings.HasPrefix(raw, "00") && len(raw) > 2 && raw[2] != '0' && n >= 11 && !bare) && n >= 8 && n <= 15 && strings.ContainsAny(sh, " -.()") {
		score := 0.8
		if pre&cPhone != 0 {
			score = 0.9
		}
		sc.add(Phone, start, end, score-penalty(cPhone))
	}
	// Other formatted numbers of phone length, and 7-digit local numbers, when a phone word is near.
	if pre&cPhone != 0 && n >= 7 && n <= 15 && (!bare || n >= 10) {
		sc.add(Phone, start, end, 0.8)
	}
	// National numbers with a trunk 0 in three or more groups (French, German, Dutch... formats).
	if d[0] == '0' && n >= 10 && n <= 12 && strings.Count(sh, " ")+strings.Count(sh, ".")+strings.Count(sh, "-") >= 2 && !strings.ContainsAny(sh, "/") {
		sc.add(Phone, start, end, 0.65-penalty(cPhone))
	}

	// Bank accounts: 8-17 digits near an account word.
	if n >= 8 && n <= 17 && (near&cAccount != 0 || pre&cAccount != 0 && pre&cRouting == 0) && (bare || dashedOrSpaced) {
		sc.add(USBankAccount, start, end, 0.85)
	}
	// E.164: a + and 10-15 digits with no separators.
	if sh[0] == '+' && bare2(sh) && n >= 10 && n <= 15 {
		sc.add(Phone, start, end, 0.8-penalty(cPhone))
	}
	// Driver's licence numbers: digits near a licence word that is not about a plate.
	if n >= 7 && n <= 14 && pre&cDriver != 0 && (bare || dashedOrSpaced) {
		score := 0.85
		if pre&cPlate != 0 {
			score = 0.45
		}
		sc.add(DriverID, start, end, score)
	}
	if n >= 6 && n <= 9 && bare && pre&cPassport != 0 {
		sc.add(USPassport, start, end, 0.9)
	}
	// Short codes that only context identifies.
	if bare && n >= 4 && n <= 6 && near&cPIN != 0 {
		sc.add(PIN, start, end, 0.9)
	}
	if bare && (n == 3 || n == 4) && near&cCVV != 0 {
		sc.add(CardCVV, start, end, 0.9)
	}
	if oneOf(sh, "2/2", "2/4", "1/2", "1/4", "2-2", "2-4", "2.2") {
		sc.expiry(start, end, raw, pre)
	}
	if bare && n <= 3 {
		sc.age(start, end, atoi(d), pre)
	}
}

// bare2 reports a shape that is a + and one digit run: "+12".
func bare2(sh string) bool {
	return len(sh) <= 3 && strings.Trim(sh[1:], "0123456789") == ""
}

// nanp reports a ten-digit North American number: area code and exchange do not start with 0 or 1.
func nanp(d string) bool {
	return len(d) == 10 && d[0] >= '2' && d[3] >= '2'
}

func (sc *scan) nineDigits(start, end int, d, sh string, pre cue, bare bool, penalty func(cue) float64) {
	if oneOf(sh, "3-2-4", "3 2 4") {
		switch {
		case itinValid(d):
			score := 0.85
			if pre&(cITIN|cSSN) != 0 {
				score = 0.95
			}
			sc.add(USIndividualTaxID, start, end, score-penalty(cITIN|cSSN))
		case ssnValid(d):
			score := 0.85
			if pre&cSSN != 0 {
				score = 0.95
			}
			sc.add(USSocialSecurity, start, end, score-penalty(cSSN))
		}
	}
	if oneOf(sh, "3-3-3", "3 3 3") && sinValid(d) {
		score := 0.6
		if pre&cSIN != 0 {
			score = 0.95
		}
		sc.add(CASocialInsurance, start, end, score-penalty(cSIN))
	}
	if !bare {
		return
	}
	if ssnValid(d) && pre&cSSN != 0 {
		sc.add(USSocialSecurity, start, end, 0.9)
	}
	if itinValid(d) && pre&cITIN != 0 {
		sc.add(USIndividualTaxID, start, end, 0.9)
	}
	if abaValid(d) {
		score := 0.3
		if pre&cRouting != 0 {
			score = 0.92
		}
		sc.add(USBankRouting, start, end, score)
	}
	if sinValid(d) && pre&cSIN != 0 {
		sc.add(CASocialInsurance, start, end, 0.9)
	}
}

func (sc *scan) tenDigits(start, end int, d, sh string, pre cue, bare bool, penalty func(cue) float64) {
	spaced334 := oneOf(sh, "3 3 4", "3-3-4")
	if nhsValid(d) && (spaced334 || bare) {
		score := 0.3
		if pre&cNHS != 0 {
			score = 0.95
		}
		sc.add(UKNHSNumber, start, end, score)
	}
	if pre&cUTR != 0 && (bare || oneOf(sh, "5 5")) {
		score := 0.88
		if utrValid(d) {
			score = 0.93
		}
		sc.add(UKUniqueTaxpayerRef, start, end, score)
	}
	if oneOf(sh, "4-3-3", "4 3 3", "10") {
		score := 0.0
		if pre&cCAHealth != 0 {
			score = 0.9
		}
		sc.add(CAHealthNumber, start, end, score)
	}
	if nanp(d) && oneOf(sh, "(3) 3-4", "(3)3-4", "3-3-4", "3.3.4", "3 3 4", "(3) 3 4", "(3)-3-4", "(3) 3.4") {
		score := 0.8
		if pre&cPhone != 0 {
			score = 0.9
		}
		sc.add(Phone, start, end, score-penalty(cPhone))
	}
	if d[0] == '0' && oneOf(sh, "3 3 4", "4 3 3", "3 4 3", "2 4 4", "4 6", "3 7", "5 5") {
		sc.add(Phone, start, end, 0.7-penalty(cPhone))
	}
}

// expiry judges a month/year pair such as 09/27 or 9/2027.
func (sc *scan) expiry(start, end int, raw string, pre cue) {
	k := strings.IndexAny(raw, "/-. ")
	month := atoi(strings.TrimSpace(raw[:k]))
	year := strings.TrimSpace(strings.TrimLeft(raw[k:], "/-. "))
	if month < 1 || month > 12 || len(year) != 2 && len(year) != 4 {
		return
	}
	if len(year) == 4 && (atoi(year) < 1990 || atoi(year) > 2099) {
		return
	}
	score := 0.4
	if pre&cExpiry != 0 {
		score = 0.92
	} else if pre&(cCard|cCVV) != 0 {
		score = 0.75
	}
	if pre&cDateish != 0 && pre&cExpiry == 0 {
		score -= 0.2
	}
	sc.add(CardExpiry, start, end, score)
}

// age judges a small number by the words around it: "34 years old", "aged 34", "age: 34".
func (sc *scan) age(start, end, v int, pre cue) {
	if v > 120 {
		return
	}
	var buf [3]string
	next := sc.wordsAfter(end, buf[:0])
	score := 0.0
	switch {
	case len(next) >= 2 && oneOf(next[0], "years", "year", "yrs", "yr") && next[1] == "old":
		score = 0.92
	case len(next) >= 1 && oneOf(next[0], "yo", "yrs", "y"):
		score = 0.75
	case sc.before(start, 2, 16)&cAge != 0:
		score = 0.88
	}
	sc.add(Age, start, end, score)
}

func ipv4(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || len(p) > 1 && p[0] == '0' || atoi(p) > 255 {
			return false
		}
		for i := 0; i < len(p); i++ {
			if !digit(p[i]) {
				return false
			}
		}
	}
	return true
}

func itoa(n int) string {
	if n >= 0 && n < len(smallInts) {
		return smallInts[n]
	}
	return formatInt(n)
}

func formatInt(n int) string {
	if n >= 10 {
		return string([]byte{byte('0' + n/10), byte('0' + n%10)})
	}
	return string([]byte{byte('0' + n)})
}

// smallInts holds itoa's answers for the lengths numbers have, so judging a number allocates nothing.
var smallInts = func() (t [100]string) {
	for n := range t {
		t[n] = formatInt(n)
	}
	return t
}()
