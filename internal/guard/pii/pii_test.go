package pii

import (
	"fmt"
	"strings"
	"testing"
)

// find returns the findings of text as "TYPE:match" strings.
func find(text string) []string {
	var out []string
	for _, f := range New().Scan(text) {
		out = append(out, fmt.Sprintf("%s:%s", f.Type, text[f.Start:f.End]))
	}
	return out
}

func TestScan(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		// Cards: Luhn and issuer ranges, grouped or not; order numbers are not cards.
		{"Charge my card 4111 1111 1111 1111 please", []string{"CREDIT_DEBIT_CARD_NUMBER:4111 1111 1111 1111"}},
		{"visa 4012888888881881, exp 09/27, cvv 123", []string{"CREDIT_DEBIT_CARD_NUMBER:4012888888881881", "CREDIT_DEBIT_CARD_EXPIRY:09/27", "CREDIT_DEBIT_CARD_CVV:123"}},
		{"amex 3782-822463-10005", []string{"CREDIT_DEBIT_CARD_NUMBER:3782-822463-10005"}},
		{"order number 4111111111111112 shipped", nil},
		{"card 4111 1111 1111 1112", nil},
		// US identifiers.
		{"SSN 123-45-6789.", []string{"US_SOCIAL_SECURITY_NUMBER:123-45-6789"}},
		{"my ssn is 123456789", []string{"US_SOCIAL_SECURITY_NUMBER:123456789"}},
		{"id 000-12-3456 and 666-12-3456", nil},
		{"ITIN 912-70-1234", []string{"US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER:912-70-1234"}},
		{"routing number 021000021 account 123456789012", []string{"US_BANK_ROUTING_NUMBER:021000021", "US_BANK_ACCOUNT_NUMBER:123456789012"}},
		{"passport number 123456789", []string{"US_PASSPORT_NUMBER:123456789"}},
		{"passport: A12345678", []string{"US_PASSPORT_NUMBER:A12345678"}},
		{"driver's license D1234567 issued", []string{"DRIVER_ID:D1234567"}},
		// Phones.
		{"call me at (415) 555-0132 today", []string{"PHONE:(415) 555-0132"}},
		{"+44 20 7946 0958", []string{"PHONE:+44 20 7946 0958"}},
		{"mobile 07700 900123", []string{"PHONE:07700 900123"}},
		{"phone 415.555.0132", []string{"PHONE:415.555.0132"}},
		{"invoice 415-555-0132 is due", nil},
		// UK and Canada.
		{"NHS number 943 476 5919", []string{"UK_NATIONAL_HEALTH_SERVICE_NUMBER:943 476 5919"}},
		{"NI number AB 12 34 56 C", []string{"UK_NATIONAL_INSURANCE_NUMBER:AB 12 34 56 C"}},
		{"nino QQ123456C", nil},
		{"my UTR is 1234567890", []string{"UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER:1234567890"}},
		{"SIN 130 692 544", []string{"CA_SOCIAL_INSURANCE_NUMBER:130 692 544"}},
		{"SIN 130 692 545", nil},
		{"OHIP health card 1234-567-890", []string{"CA_HEALTH_NUMBER:1234-567-890"}},
		// Banking codes.
		{"IBAN GB82 WEST 1234 5698 7654 32 thanks", []string{"INTERNATIONAL_BANK_ACCOUNT_NUMBER:GB82 WEST 1234 5698 7654 32"}},
		{"iban DE89370400440532013000", []string{"INTERNATIONAL_BANK_ACCOUNT_NUMBER:DE89370400440532013000"}},
		{"iban DE89370400440532013001", nil},
		{"SWIFT code DEUTDEFF500", []string{"SWIFT_CODE:DEUTDEFF500"}},
		{"BIC: NWBKGB2L", []string{"SWIFT_CODE:NWBKGB2L"}},
		{"the BUSINESS plan", nil},
		// Keys and network.
		{"AKIAIOSFODNN7EXAMPLE", []string{"AWS_ACCESS_KEY:AKIAIOSFODNN7EXAMPLE"}},
		{"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", []string{"AWS_SECRET_KEY:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}},
		{"server 192.168.1.20 is down", []string{"IP_ADDRESS:192.168.1.20"}},
		{"version 1.2.3.4 released", nil},
		{"addr 2001:db8::8a2e:370:7334 ok", []string{"IP_ADDRESS:2001:db8::8a2e:370:7334"}},
		{"meeting at 10:30:00 today", nil},
		{"MAC 00:1A:2B:3C:4D:5E", []string{"MAC_ADDRESS:00:1A:2B:3C:4D:5E"}},
		{"VIN 1HGCM82633A004352", []string{"VEHICLE_IDENTIFICATION_NUMBER:1HGCM82633A004352"}},
		{"plate number ABC 1234", []string{"LICENSE_PLATE:ABC 1234"}},
		// Web.
		{"mail jane.doe+x@example.co.uk now", []string{"EMAIL:jane.doe+x@example.co.uk"}},
		{"see https://example.com/a?b=c).", []string{"URL:https://example.com/a?b=c"}},
		{"visit www.example.org today", []string{"URL:www.example.org"}},
		{"open README.md and main.go, e.g. now", nil},
		// People and credentials.
		{"My name is Jane Smith and I need help", []string{"NAME:Jane Smith"}},
		{"Dear Mr. O'Brien,", []string{"NAME:O'Brien"}},
		{"I am happy", nil},
		{"username: jdoe42 password: hunter2!", []string{"USERNAME:jdoe42", "PASSWORD:hunter2!"}},
		{"the password is wrong", nil},
		{"PIN 4821", []string{"PIN:4821"}},
		{"she is 34 years old", []string{"AGE:34"}},
		{"3 years ago", nil},
		{"Ship to 1600 Pennsylvania Avenue NW, Washington, DC 20500 today", []string{"ADDRESS:1600 Pennsylvania Avenue NW, Washington, DC 20500"}},
		{"I live at 42 Baker Street, Apt 4B, Springfield, IL 62704.", []string{"ADDRESS:42 Baker Street, Apt 4B, Springfield, IL 62704"}},
		{"PO Box 1234", []string{"ADDRESS:PO Box 1234"}},
		// Hard negatives.
		{"Order #12345678 placed on 2024-01-15 at 10:30, total $1,234.56", nil},
		{"We have 25 users and 3,000 requests per second", nil},
	}
	for _, tt := range tests {
		got := find(tt.text)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Scan(%q)\n got  %q\n want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{"card 4111 1111 1111 1111", "00", "+1 (415) 555-0132", "GB82 WEST 1234 5698 7654 32",
		"a@b.co", "http://x", "1:2::3", "Dear Mr. A", "12 Main St, Springfield, IL 62704", "AB 12 34 56 C", "www.",
		"password: x", "(((", "1.2.3.4/24", "0-0-0", "PO Box 1"} {
		f.Add(s)
	}
	sc := New()
	f.Fuzz(func(t *testing.T, text string) {
		last := -1
		for _, fd := range sc.Scan(text) {
			if fd.Start < 0 || fd.End > len(text) || fd.Start >= fd.End {
				t.Fatalf("finding %+v out of range for %q", fd, text)
			}
			if fd.Start < last {
				t.Fatalf("findings overlap or are out of order in %q", text)
			}
			last = fd.End
			if fd.Score < Threshold || fd.Score > 1 {
				t.Fatalf("score %v out of range", fd.Score)
			}
		}
	})
}

// TestPathological feeds inputs that would make a careless scanner quadratic. The test asserts nothing about time
// (the machine is shared); the benchmark and the CI time limit catch a regression, and the race detector run
// makes one obvious.
func TestPathological(t *testing.T) {
	const n = 200_000
	inputs := map[string]string{
		"digits":      strings.Repeat("1", n),
		"spaced":      strings.Repeat("1 ", n/2),
		"dots":        strings.Repeat("1.", n/2),
		"at signs":    strings.Repeat("a@", n/2),
		"schemes":     strings.Repeat("http://", n/7),
		"dotted host": strings.Repeat("a.", n/2) + "com",
		"colons":      strings.Repeat("a:", n/2),
		"capitals":    strings.Repeat("Dear John ", n/10),
		"addresses":   strings.Repeat("12 Main Street ", n/15),
		"parens":      strings.Repeat("(1) ", n/4),
		"hex pairs":   strings.Repeat("aa:", n/3),
		"keys":        strings.Repeat("AKIAIOSFODNN7EXAMPLE ", n/21),
	}
	sc := New()
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) { sc.Scan(in) })
	}
}

// TestLowerASCII checks the eight-bytes-at-a-time lower-casing against the byte table, for every byte value in
// every position of a word and for text of every length up to a few words.
func TestLowerASCII(t *testing.T) {
	var all []byte
	for c := range 256 {
		all = append(all, byte(c))
	}
	for off := range 8 {
		s := strings.Repeat("x", off) + string(all) + "Hello, WORLD é Ü"
		for n := 0; n <= len(s); n += 1 + n/16 {
			got := lowerASCII(s[:n])
			for i := 0; i < n; i++ {
				if got[i] != lowerByte[s[i]] {
					t.Fatalf("lowerASCII(%q)[%d] = %#x, want %#x", s[:n], i, got[i], lowerByte[s[i]])
				}
			}
			if len(got) != n {
				t.Fatalf("lowerASCII of %d bytes gave %d", n, len(got))
			}
		}
	}
}
