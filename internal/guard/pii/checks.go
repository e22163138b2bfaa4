package pii

import "strings"

// The check-digit and structure rules below are public facts of each numbering scheme; they let the detector
// tell an identifier from an arbitrary number of the same length.

// luhn reports whether a digit string passes the Luhn (mod 10) check used by card numbers and Canadian SINs.
func luhn(d string) bool {
	if len(d) < 2 {
		return false
	}
	sum, double := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

// cardIssuer reports whether a card number's prefix and length belong to a known issuer range: Visa, Mastercard,
// American Express, Discover, JCB, Diners Club, UnionPay, Maestro and Mir.
func cardIssuer(d string) bool {
	n := len(d)
	p := func(k int) int { return atoi(d[:k]) }
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19
	case p(2) >= 51 && p(2) <= 55, p(4) >= 2221 && p(4) <= 2720:
		return n == 16
	case p(2) == 34 || p(2) == 37:
		return n == 15
	case p(4) == 6011, p(2) == 65, p(3) >= 644 && p(3) <= 649:
		return n >= 16 && n <= 19
	case p(4) >= 3528 && p(4) <= 3589:
		return n >= 16 && n <= 19
	case p(3) >= 300 && p(3) <= 305, p(2) == 36, p(2) == 38, p(2) == 39:
		return n >= 14 && n <= 19
	case p(2) == 62:
		return n >= 16 && n <= 19
	case p(2) == 50, p(2) >= 56 && p(2) <= 69:
		return n >= 12 && n <= 19
	case p(4) >= 2200 && p(4) <= 2204:
		return n >= 16 && n <= 19
	}
	return false
}

func atoi(d string) int {
	n := 0
	for i := 0; i < len(d); i++ {
		n = n*10 + int(d[i]-'0')
	}
	return n
}

// ssnValid applies the Social Security Administration's rules: no area 000, 666 or 900-999, no group 00, no
// serial 0000.
func ssnValid(d string) bool {
	area, group, serial := atoi(d[:3]), atoi(d[3:5]), atoi(d[5:])
	return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

// itinValid reports the IRS's ITIN structure: a leading 9 and a middle group of 50-65, 70-88, 90-92 or 94-99.
func itinValid(d string) bool {
	if d[0] != '9' {
		return false
	}
	g := atoi(d[3:5])
	return g >= 50 && g <= 65 || g >= 70 && g <= 88 || g >= 90 && g <= 92 || g >= 94 && g <= 99
}

// abaValid applies the ABA routing number checksum (weights 3, 7, 1) and the Federal Reserve prefix ranges.
func abaValid(d string) bool {
	p := atoi(d[:2])
	if !(p <= 12 || p >= 21 && p <= 32 || p >= 61 && p <= 72 || p == 80) {
		return false
	}
	w := [3]int{3, 7, 1}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * w[i%3]
	}
	return sum%10 == 0
}

// nhsValid applies the NHS number's mod-11 check digit (weights 10 down to 2).
func nhsValid(d string) bool {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(d[9]-'0')
}

// sinValid: a Canadian Social Insurance Number is nine digits that pass Luhn; 0 and 8 are not used as first digits.
func sinValid(d string) bool {
	return d[0] != '0' && d[0] != '8' && luhn(d)
}

// utrValid applies HMRC's check for a ten-digit Unique Taxpayer Reference: the first digit checks the other nine.
func utrValid(d string) bool {
	w := [9]int{6, 7, 8, 9, 10, 5, 4, 3, 2}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i+1]-'0') * w[i]
	}
	check := 11 - sum%11
	switch check {
	case 10:
		check = 1
	case 11:
		check = 2
	}
	return check == int(d[0]-'0')
}

// ibanLengths holds the IBAN length of each country that issues them.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28,
	"CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
	"FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
	"IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
	"LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
	"NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24,
	"SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24,
	"XK": 20,
}

// ibanValid checks an upper-case IBAN without spaces: the country's length and mod 97 = 1 after moving the first
// four characters to the end and reading letters as 10-35.
func ibanValid(s string) bool {
	if n, ok := ibanLengths[s[:2]]; !ok || n != len(s) {
		return false
	}
	rem := 0
	for i := 0; i < len(s); i++ {
		c := s[(i+4)%len(s)]
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// vinValue is the transliteration of VIN characters for the check digit; I, O and Q are not used.
func vinValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'H':
		return int(c-'A') + 1
	case c >= 'J' && c <= 'R':
		return [...]int{1, 2, 3, 4, 5, 0, 7, 0, 9}[c-'J']
	case c >= 'S' && c <= 'Z':
		return int(c-'S') + 2
	}
	return -1
}

// vinCheck validates the ninth character of a 17-character VIN (North American rule; weights 8 7 6 5 4 3 2 10 0
// 9 8 7 6 5 4 3 2, sum mod 11, 10 written as X).
func vinCheck(s string) bool {
	w := [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		v := vinValue(s[i])
		if v < 0 || s[i] == 'O' || s[i] == 'Q' || s[i] == 'I' {
			return false
		}
		sum += v * w[i]
	}
	want := byte('0' + sum%11)
	if sum%11 == 10 {
		want = 'X'
	}
	return s[8] == want
}

// vinShape reports 17 characters from the VIN alphabet (digits and upper-case letters other than I, O and Q),
// with both letters and digits.
func vinShape(s string) bool {
	if len(s) != 17 {
		return false
	}
	letters, digits := 0, 0
	for i := 0; i < 17; i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q':
			letters++
		default:
			return false
		}
	}
	return letters > 0 && digits >= 5
}

// ninoValid checks a UK National Insurance number without spaces: two prefix letters (D, F, I, Q, U and V never
// used; O not second; BG, GB, NK, KN, TN, NT and ZZ not allocated), six digits, a suffix A-D.
func ninoValid(s string) bool {
	if len(s) != 9 {
		return false
	}
	a, b := s[0], s[1]
	if !upper(a) || !upper(b) || strings.IndexByte("DFIQUV", a) >= 0 || strings.IndexByte("DFIQUVO", b) >= 0 {
		return false
	}
	switch s[:2] {
	case "BG", "GB", "NK", "KN", "TN", "NT", "ZZ":
		return false
	}
	for i := 2; i < 8; i++ {
		if !digit(s[i]) {
			return false
		}
	}
	return s[8] >= 'A' && s[8] <= 'D'
}

// countryCodes lists ISO 3166-1 alpha-2 codes, which SWIFT codes carry in positions 5-6.
const countryCodes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
	"JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
	"MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
	"RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
	"TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"

func isCountry(cc string) bool {
	if len(cc) != 2 {
		return false
	}
	i := strings.Index(countryCodes, cc)
	return i >= 0 && i%3 == 0
}

// Character classes, looked up in a table: the scanners test every byte several times.
const (
	cDigit = 1 << iota
	cUpper
	cLower
	cHex
	cAddrSep // ':', '.' and '-', which join the groups of MAC and IPv6 addresses
	cKeyChar // letters, digits, '/' and '+': the alphabet of AWS secret keys
	cColon
	cNumStart // digits, '+' and '(': the bytes a group of digits can start with
)

var ctype = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit | cHex
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = cUpper
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cLower
	}
	for _, c := range "abcdefABCDEF" {
		t[c] |= cHex
	}
	for _, c := range ":.-" {
		t[c] |= cAddrSep
	}
	for c := range t {
		if t[c]&(cDigit|cUpper|cLower) != 0 || c == '/' || c == '+' {
			t[c] |= cKeyChar
		}
	}
	t[':'] |= cColon
	for _, c := range "0123456789+(" {
		t[c] |= cNumStart
	}
	return t
}()

func digit(c byte) bool  { return ctype[c]&cDigit != 0 }
func upper(c byte) bool  { return ctype[c]&cUpper != 0 }
func lower(c byte) bool  { return ctype[c]&cLower != 0 }
func letter(c byte) bool { return ctype[c]&(cUpper|cLower) != 0 }
func alnum(c byte) bool  { return ctype[c]&(cDigit|cUpper|cLower) != 0 }
