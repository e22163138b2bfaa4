// Package piicorpus generates a labelled corpus for evaluating PII detection: sentences of the kinds people write
// to support desks and assistants, each with entities of every Bedrock type at known offsets. Values are valid
// (card numbers pass Luhn, IBANs mod-97, routing numbers ABA, NHS numbers mod-11, VINs their check digit), and
// sentences vary the context: some name the entity ("my SSN is"), some do not ("charge 4111 ..."), and names
// appear with and without an introduction. Hard negatives are sentences full of numbers that are not PII: order
// and tracking numbers, timestamps, versions, prices, quantities, hashes, and identifiers whose check digit fails.
//
// Every template and list here was written by the walens authors for this purpose.
package piicorpus

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/walens/walens/internal/guard/pii"
)

// Span is a labelled entity.
type Span struct {
	Type       pii.Type
	Start, End int
}

// Example is one labelled text.
type Example struct {
	Text  string
	Spans []Span
	Kind  string // "entity" or "negative"
}

type gen struct {
	r *rand.Rand
	b strings.Builder
	s []Span
}

func (g *gen) lit(s string) { g.b.WriteString(s) }

func (g *gen) ent(t pii.Type, v string) {
	start := g.b.Len()
	g.b.WriteString(v)
	g.s = append(g.s, Span{t, start, g.b.Len()})
}

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

// template writes a sentence: text with {} standing for the entity.
func (g *gen) template(t pii.Type, value, tmpl string) {
	i := strings.Index(tmpl, "{}")
	g.lit(tmpl[:i])
	g.ent(t, value)
	g.lit(tmpl[i+2:])
}

// Generate returns n examples per entity type plus n*4 hard negatives, the same for the same seed.
func Generate(n int, seed uint64) []Example {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0xdeadbeefcafe))}
	var out []Example
	emit := func(kind string) {
		out = append(out, Example{Text: g.b.String(), Spans: g.s, Kind: kind})
		g.b.Reset()
		g.s = nil
	}
	for _, t := range pii.Types {
		for range n {
			if g.r.IntN(3) == 0 {
				g.lit(g.pick(filler...) + " ")
			}
			g.entity(t)
			if g.r.IntN(3) == 0 {
				g.lit(" " + g.pick(filler...))
			}
			emit("entity")
		}
	}
	for range 4 * n {
		g.lit(g.negative())
		emit("negative")
	}
	return out
}

var filler = []string{
	"Hi, thanks for getting back to me.", "I'm writing about my recent order.", "Quick question.",
	"Please update your records.", "Let me know if you need anything else.", "Thanks in advance!",
	"This is urgent.", "Following up on yesterday's call.", "As discussed,", "For the record:",
}

var (
	firstNames = []string{"Jane", "Carlos", "Aisha", "Tomasz", "Mei", "Olu", "Priya", "Lars", "Fatima", "Kenji", "Sofia", "Ahmed", "Grace", "Mateo", "Ingrid", "Kwame", "Elena", "Ravi", "Chloe", "Diego"}
	lastNames  = []string{"Smith", "Garcia", "Khan", "Nowak", "Chen", "Adeyemi", "Patel", "Larsen", "Haddad", "Tanaka", "Rossi", "Hassan", "O'Neill", "Fernandez", "Berg", "Mensah", "Petrova", "Iyer", "Dubois", "Alvarez"}
	streets    = []string{"Maple", "Oak", "Baker", "Elm", "Sunset", "Harbor", "Mill", "Church", "Lincoln", "Cedar", "Park", "Washington", "Highland", "River", "King"}
	suffixes   = []string{"Street", "St", "Avenue", "Ave", "Road", "Rd", "Lane", "Drive", "Boulevard", "Court", "Way", "Place"}
	cities     = []string{"Springfield", "Portland", "Austin", "Denver", "Madison", "Salem", "Fairview", "Riverside", "Georgetown", "Franklin"}
	states     = []string{"IL", "OR", "TX", "CO", "WI", "MA", "CA", "NY", "WA", "GA"}
	domains    = []string{"example.com", "mail.example.org", "corp.example.net", "example.co.uk", "uni.example.edu"}
)

func (g *gen) name() string {
	n := g.pick(firstNames...)
	if g.r.IntN(4) > 0 {
		n += " " + g.pick(lastNames...)
	}
	return n
}

func (g *gen) entity(t pii.Type) {
	switch t {
	case pii.Address:
		a := fmt.Sprintf("%d %s %s", 1+g.r.IntN(9899), g.pick(streets...), g.pick(suffixes...))
		switch g.r.IntN(3) {
		case 1:
			a += fmt.Sprintf(", Apt %d%s", 1+g.r.IntN(40), g.pick("", "B", "C"))
		case 2:
			a += fmt.Sprintf(", %s, %s %s", g.pick(cities...), g.pick(states...), g.digits(5))
		}
		g.template(t, a, g.pick("Please ship it to {}.", "I live at {} now.", "My new address is {}", "Send the invoice to {} please.", "Deliver to {} before noon."))
	case pii.Age:
		g.template(t, fmt.Sprint(18+g.r.IntN(70)), g.pick("I am {} years old.", "My father is {} years old and needs help.", "Patient age: {}", "She is aged {} and lives alone.", "He turned {} years old last week."))
	case pii.AWSAccessKey:
		g.template(t, g.pick("AKIA", "ASIA")+g.base32(16), g.pick("Here is the key {} for the deploy.", "aws_access_key_id = {}", "Our CI uses {} to upload artifacts.", "I accidentally committed {}"))
	case pii.AWSSecretKey:
		g.template(t, g.base64(40), g.pick("aws_secret_access_key = {}", "The secret key is {}", "secret: {}", "AWS secret access key {} was rotated?"))
	case pii.CAHealthNumber:
		g.template(t, fmt.Sprintf("%s-%s-%s", g.digits(4), g.digits(3), g.digits(3)), g.pick("My OHIP health card number is {}.", "Health card: {}", "health number {} on file"))
	case pii.CASocialInsurance:
		d := g.luhnDigits(g.pick("1", "2", "3", "4", "5", "6", "7", "9"), 9)
		sep := g.pick(" ", "-")
		g.template(t, d[:3]+sep+d[3:6]+sep+d[6:], g.pick("My SIN is {}.", "Social insurance number: {}", "SIN {} for the tax form"))
	case pii.CardCVV:
		g.template(t, g.digits(3), g.pick("The CVV is {}.", "cvv: {}", "security code {} on the back"))
	case pii.CardExpiry:
		g.template(t, fmt.Sprintf("%02d/%02d", 1+g.r.IntN(12), 26+g.r.IntN(8)), g.pick("It expires {}.", "exp {}", "Expiry date: {}", "valid thru {}"))
	case pii.CardNumber:
		g.template(t, g.card(), g.pick("My card number is {}.", "Charge {} for the renewal.", "Please use {} instead.", "Visa {} was declined", "Refund it to {} thanks"))
	case pii.DriverID:
		v := g.pick("D", "F", "S", "W") + g.digits(7+g.r.IntN(5))
		if g.r.IntN(2) == 0 {
			v = g.digits(9)
		}
		g.template(t, v, g.pick("My driver's license number is {}.", "Driver license: {}", "DL {} expired"))
	case pii.Email:
		u := strings.ToLower(g.pick(firstNames...)) + g.pick(".", "_", "") + strings.ToLower(strings.ReplaceAll(g.pick(lastNames...), "'", "")) + g.pick("", "42", "+billing")
		g.template(t, u+"@"+g.pick(domains...), g.pick("Email me at {}.", "Contact: {}", "Please reply to {} instead", "{} is my work address"))
	case pii.IBAN:
		g.template(t, g.iban(), g.pick("My IBAN is {}.", "Transfer it to {} please.", "IBAN: {}", "Wire the refund to {}"))
	case pii.IPAddress:
		v := fmt.Sprintf("%d.%d.%d.%d", 1+g.r.IntN(223), g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254))
		if g.r.IntN(4) == 0 {
			v = fmt.Sprintf("2001:db8:%x:%x::%x", g.r.IntN(65536), g.r.IntN(65536), 1+g.r.IntN(65535))
		}
		g.template(t, v, g.pick("The server at {} is down.", "Login attempts came from {}.", "Whitelist {} in the firewall", "My IP is {}"))
	case pii.LicensePlate:
		v := g.pick(fmt.Sprintf("%s %s", g.letters(3), g.digits(4)), fmt.Sprintf("%s%s%s", g.digits(1), g.letters(3), g.digits(3)), fmt.Sprintf("%s-%s", g.letters(3), g.digits(4)))
		g.template(t, v, g.pick("My license plate is {}.", "The car with plate {} blocked the gate.", "Registration number {} was towed"))
	case pii.MACAddress:
		var parts []string
		for range 6 {
			parts = append(parts, fmt.Sprintf("%02X", g.r.IntN(256)))
		}
		sep := g.pick(":", "-")
		v := strings.Join(parts, sep)
		if g.r.IntN(2) == 0 {
			v = strings.ToLower(v)
		}
		g.template(t, v, g.pick("The device MAC is {}.", "Block {} on the router", "mac address: {}"))
	case pii.Name:
		n := g.name()
		g.template(t, n, g.pick("My name is {}.", "Dear {},", "Regards, {}", "Please ask for {} at the desk.", "Mr. {} will call you.",
			"{} called yesterday about the bill.", "I spoke with {} last week.", "Thanks, {}"))
	case pii.Password:
		v := g.pick("hunter", "Summer", "P@ss", "qwerty", "Dragon") + g.digits(2+g.r.IntN(3)) + g.pick("!", "", "#", "$")
		g.template(t, v, g.pick("My password is {}.", "password: {}", "pwd={}", "The new password is {} please change it"))
	case pii.Phone:
		v := g.pick(
			fmt.Sprintf("(%d%s) %d%s-%s", 2+g.r.IntN(8), g.digits(2), 2+g.r.IntN(8), g.digits(2), g.digits(4)),
			fmt.Sprintf("%d%s-%d%s-%s", 2+g.r.IntN(8), g.digits(2), 2+g.r.IntN(8), g.digits(2), g.digits(4)),
			fmt.Sprintf("+1 %d%s %d%s %s", 2+g.r.IntN(8), g.digits(2), 2+g.r.IntN(8), g.digits(2), g.digits(4)),
			fmt.Sprintf("+44 20 %s %s", g.digits(4), g.digits(4)),
			fmt.Sprintf("07%s %s", g.digits(3), g.digits(6)),
			fmt.Sprintf("+49 30 %s %s", g.digits(4), g.digits(4)))
		g.template(t, v, g.pick("Call me at {}.", "My number is {}", "You can reach me on {} after 5pm.", "Phone: {}", "{} is my mobile"))
	case pii.PIN:
		g.template(t, g.digits(4+g.r.IntN(3)), g.pick("My PIN is {}.", "pin: {}", "The ATM PIN {} stopped working"))
	case pii.SWIFTCode:
		cc := g.pick("DE", "GB", "FR", "US", "CH", "NL", "ES", "IT")
		v := g.letters(4) + cc + g.pick(g.letters(1)+g.digits(1), g.digits(1)+g.letters(1), "2L", "33")
		if g.r.IntN(2) == 0 {
			v += g.pick("XXX", g.digits(3), "500")
		}
		g.template(t, v, g.pick("The SWIFT code is {}.", "BIC: {}", "Use SWIFT {} for the wire", "bank code {} please"))
	case pii.UKNHSNumber:
		d := g.nhs()
		g.template(t, d[:3]+" "+d[3:6]+" "+d[6:], g.pick("My NHS number is {}.", "NHS no. {}", "NHS number: {}"))
	case pii.UKNationalInsurance:
		v := g.pick("AB", "CE", "JG", "KL", "PR", "SW", "TY", "WX") + g.digits(6) + g.pick("A", "B", "C", "D")
		if g.r.IntN(2) == 0 {
			v = v[:2] + " " + v[2:4] + " " + v[4:6] + " " + v[6:8] + " " + v[8:]
		}
		g.template(t, v, g.pick("My National Insurance number is {}.", "NI number: {}", "NINO {} on the payslip", "Here it is: {}"))
	case pii.UKUniqueTaxpayerRef:
		g.template(t, g.utr(), g.pick("My UTR is {}.", "Unique Taxpayer Reference: {}", "HMRC says my UTR {} is wrong"))
	case pii.URL:
		v := g.pick("https://", "http://", "www.") + g.pick("example.com", "shop.example.org", "docs.example.net") + g.pick("", "/account/settings", "/orders?id=77", "/help")
		g.template(t, v, g.pick("See {} for details.", "I was on {} when it crashed.", "Link: {}", "Open {} and log in"))
	case pii.Username:
		v := strings.ToLower(g.pick(firstNames...)) + g.pick("_", ".", "") + g.digits(2)
		g.template(t, v, g.pick("My username is {}.", "username: {}", "Login: {}", "user id {} is locked"))
	case pii.USBankAccount:
		g.template(t, g.digits(8+g.r.IntN(9)), g.pick("My account number is {}.", "Checking account {} please", "acct: {}"))
	case pii.USBankRouting:
		g.template(t, g.aba(), g.pick("The routing number is {}.", "ABA {} for direct deposit", "routing: {}"))
	case pii.USIndividualTaxID:
		v := fmt.Sprintf("9%s-%s-%s", g.digits(2), g.pick("70", "78", "80", "88", "90", "92", "94", "99", "50", "65"), g.digits(4))
		g.template(t, v, g.pick("My ITIN is {}.", "Tax ID: {}", "ITIN {} on the W-7"))
	case pii.USPassport:
		v := g.digits(9)
		if g.r.IntN(2) == 0 {
			v = g.letters(1) + g.digits(8)
		}
		g.template(t, v, g.pick("My passport number is {}.", "Passport: {}", "US passport {} expires soon"))
	case pii.USSocialSecurity:
		v := g.ssn()
		tmpl := g.pick("My SSN is {}.", "SSN: {}", "social security number {}", "Please verify {} for me.")
		if g.r.IntN(3) == 0 {
			v = strings.ReplaceAll(v, "-", "")
			tmpl = g.pick("My SSN is {}.", "SSN {}")
		}
		g.template(t, v, tmpl)
	case pii.VehicleIdentification:
		g.template(t, g.vin(), g.pick("The VIN is {}.", "VIN: {}", "Vehicle {} was recalled", "chassis number {}"))
	}
}

func (g *gen) letters(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('A' + g.r.IntN(26)))
	}
	return b.String()
}

func (g *gen) base32(n int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	var b strings.Builder
	for range n {
		b.WriteByte(a[g.r.IntN(len(a))])
	}
	return b.String()
}

func (g *gen) base64(n int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for {
		var b strings.Builder
		for range n {
			b.WriteByte(a[g.r.IntN(len(a))])
		}
		s := b.String()
		if strings.ContainsAny(s, "0123456789") && strings.ToUpper(s) != s && strings.ToLower(s) != s {
			return s
		}
	}
}

// luhnDigits returns n digits starting with prefix whose last digit makes the Luhn check pass.
func (g *gen) luhnDigits(prefix string, n int) string {
	d := prefix + g.digits(n-len(prefix)-1)
	for c := byte('0'); c <= '9'; c++ {
		if luhnOK(d + string(c)) {
			return d + string(c)
		}
	}
	return d + "0"
}

func luhnOK(d string) bool {
	sum, dbl := 0, false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if dbl {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		dbl = !dbl
	}
	return sum%10 == 0
}

func (g *gen) card() string {
	switch g.r.IntN(4) {
	case 0:
		d := g.luhnDigits(g.pick("34", "37"), 15)
		return g.pick(d, d[:4]+" "+d[4:10]+" "+d[10:])
	case 1:
		d := g.luhnDigits(g.pick("51", "52", "53", "54", "55", "2221", "2720"), 16)
		return g.group4(d)
	case 2:
		d := g.luhnDigits("6011", 16)
		return g.group4(d)
	}
	return g.group4(g.luhnDigits("4", 16))
}

func (g *gen) group4(d string) string {
	switch g.r.IntN(3) {
	case 0:
		return d
	case 1:
		return d[:4] + " " + d[4:8] + " " + d[8:12] + " " + d[12:]
	}
	return d[:4] + "-" + d[4:8] + "-" + d[8:12] + "-" + d[12:]
}

func (g *gen) iban() string {
	type country struct {
		cc    string
		shape string // L letter, D digit
	}
	cs := []country{{"GB", "LLLLDDDDDDDDDDDDDD"}, {"DE", "DDDDDDDDDDDDDDDDDD"}, {"FR", "DDDDDDDDDDLLDDDDDDDDDDD"}, {"NL", "LLLLDDDDDDDDDD"}, {"ES", "DDDDDDDDDDDDDDDDDDDD"}}
	c := cs[g.r.IntN(len(cs))]
	var bban strings.Builder
	for _, k := range c.shape {
		if k == 'L' {
			bban.WriteString(g.letters(1))
		} else {
			bban.WriteString(g.digits(1))
		}
	}
	// Check digits: 98 - mod97(BBAN + CC + "00").
	rearranged := bban.String() + c.cc + "00"
	rem := 0
	for i := 0; i < len(rearranged); i++ {
		ch := rearranged[i]
		if ch >= 'A' && ch <= 'Z' {
			rem = (rem*100 + int(ch-'A'+10)) % 97
		} else {
			rem = (rem*10 + int(ch-'0')) % 97
		}
	}
	s := fmt.Sprintf("%s%02d%s", c.cc, 98-rem, bban.String())
	if g.r.IntN(2) == 0 {
		var parts []string
		for i := 0; i < len(s); i += 4 {
			parts = append(parts, s[i:min(i+4, len(s))])
		}
		return strings.Join(parts, " ")
	}
	return s
}

func (g *gen) nhs() string {
	for {
		d := g.digits(9)
		sum := 0
		for i := 0; i < 9; i++ {
			sum += int(d[i]-'0') * (10 - i)
		}
		c := 11 - sum%11
		if c == 11 {
			c = 0
		}
		if c != 10 {
			return d + fmt.Sprint(c)
		}
	}
}

func (g *gen) utr() string {
	w := []int{6, 7, 8, 9, 10, 5, 4, 3, 2}
	d := g.digits(9)
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * w[i]
	}
	c := 11 - sum%11
	switch c {
	case 10:
		c = 1
	case 11:
		c = 2
	}
	v := fmt.Sprint(c) + d
	if g.r.IntN(2) == 0 {
		return v[:5] + " " + v[5:]
	}
	return v
}

func (g *gen) aba() string {
	for {
		d := g.pick("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "21", "22", "26", "31", "32", "61", "71") + g.digits(6)
		s := 3*int(d[0]-'0') + 7*int(d[1]-'0') + int(d[2]-'0') + 3*int(d[3]-'0') + 7*int(d[4]-'0') + int(d[5]-'0') + 3*int(d[6]-'0') + 7*int(d[7]-'0')
		for c := 0; c <= 9; c++ {
			if (s+c)%10 == 0 {
				return d + fmt.Sprint(c)
			}
		}
	}
}

func (g *gen) ssn() string {
	for {
		a := 1 + g.r.IntN(899)
		if a == 666 {
			continue
		}
		return fmt.Sprintf("%03d-%02d-%04d", a, 1+g.r.IntN(99), 1+g.r.IntN(9999))
	}
}

func (g *gen) vin() string {
	const alpha = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
	w := []int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	val := func(c byte) int {
		switch {
		case c >= '0' && c <= '9':
			return int(c - '0')
		case c >= 'A' && c <= 'H':
			return int(c-'A') + 1
		case c >= 'J' && c <= 'R':
			return []int{1, 2, 3, 4, 5, 0, 7, 0, 9}[c-'J']
		}
		return int(c-'S') + 2
	}
	b := []byte(g.pick("1HG", "JH4", "WBA", "5YJ", "1FT", "3VW"))
	for len(b) < 17 {
		b = append(b, alpha[g.r.IntN(len(alpha))])
	}
	for i := 11; i < 17; i++ {
		b[i] = byte('0' + g.r.IntN(10))
	}
	sum := 0
	for i, c := range b {
		if i != 8 {
			sum += val(c) * w[i]
		}
	}
	c := byte('0' + sum%11)
	if sum%11 == 10 {
		c = 'X'
	}
	b[8] = c
	return string(b)
}

// negative writes a sentence with numbers and codes that are not PII.
func (g *gen) negative() string {
	bad := g.luhnDigits("4", 16)
	bad = bad[:15] + string('0'+(bad[15]-'0'+1)%10) // fails Luhn
	return g.pick(
		fmt.Sprintf("Order #%s shipped on 2026-%02d-%02d at %02d:%02d.", g.digits(8), 1+g.r.IntN(12), 1+g.r.IntN(28), g.r.IntN(24), g.r.IntN(60)),
		fmt.Sprintf("Tracking number %s%s, estimated delivery in %d days.", g.letters(2), g.digits(9), 1+g.r.IntN(9)),
		fmt.Sprintf("We upgraded to version %d.%d.%d and build %d.%d.%d.%d broke the tests.", g.r.IntN(5), g.r.IntN(20), g.r.IntN(50), g.r.IntN(10), g.r.IntN(10), g.r.IntN(10), g.r.IntN(100)),
		fmt.Sprintf("The invoice total is $%d,%03d.%02d for %d units.", 1+g.r.IntN(99), g.r.IntN(1000), g.r.IntN(100), 2+g.r.IntN(500)),
		fmt.Sprintf("Invoice %s is due on %02d/%02d/2026.", g.digits(10), 1+g.r.IntN(12), 1+g.r.IntN(28)),
		fmt.Sprintf("The reference number %s was not accepted.", bad),
		fmt.Sprintf("Commit %s fixed ticket %d.", g.hex(40), 1000+g.r.IntN(9000)),
		fmt.Sprintf("Request id %s-%s-%s-%s-%s timed out after %d ms.", g.hex(8), g.hex(4), g.hex(4), g.hex(4), g.hex(12), 100+g.r.IntN(5000)),
		fmt.Sprintf("We had %d visitors and %d,%03d page views in %d.", 100+g.r.IntN(900), 1+g.r.IntN(99), g.r.IntN(1000), 2020+g.r.IntN(7)),
		fmt.Sprintf("Set the timeout to %d seconds and the port to %d.", 5+g.r.IntN(120), 1024+g.r.IntN(60000)),
		fmt.Sprintf("The meeting moved from %d:%02d to %d:%02d pm.", 1+g.r.IntN(11), g.r.IntN(60), 1+g.r.IntN(11), g.r.IntN(60)),
		fmt.Sprintf("Room %d on floor %d, part number %s-%s.", 100+g.r.IntN(900), 1+g.r.IntN(30), g.letters(3), g.digits(5)),
		fmt.Sprintf("Policy number %s covers %d people.", g.digits(12), 1+g.r.IntN(6)),
		fmt.Sprintf("The product SKU %s%s costs %d.%02d EUR.", g.letters(3), g.digits(7), 1+g.r.IntN(500), g.r.IntN(100)),
		fmt.Sprintf("Our team of %d shipped %d features in Q%d %d.", 3+g.r.IntN(30), 5+g.r.IntN(40), 1+g.r.IntN(4), 2023+g.r.IntN(4)),
		fmt.Sprintf("Flight %s%d departs at %02d:%02d from gate %s%d.", g.letters(2), 100+g.r.IntN(900), g.r.IntN(24), g.r.IntN(60), g.letters(1), 1+g.r.IntN(40)),
		fmt.Sprintf("Error code %d occurred %d times between %d and %d.", 400+g.r.IntN(200), 2+g.r.IntN(500), 2000+g.r.IntN(20), 2020+g.r.IntN(6)),
		fmt.Sprintf("The ISBN %s is out of print.", "978"+g.digits(10)),
		fmt.Sprintf("Case %s was closed after %d.%d hours.", g.digits(9), 1+g.r.IntN(72), g.r.IntN(10)),
		fmt.Sprintf("Python %d.%d and Node %d are installed on the build host.", 3, 8+g.r.IntN(6), 16+g.r.IntN(8)),
	)
}

func (g *gen) hex(n int) string {
	const a = "0123456789abcdef"
	var b strings.Builder
	for range n {
		b.WriteByte(a[g.r.IntN(16)])
	}
	return b.String()
}
