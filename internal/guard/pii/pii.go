// Package pii finds personally identifiable information and secrets in text, for every entity type of Amazon
// Bedrock Guardrails' sensitive-information filter. It runs offline and in one pass per kind of candidate rather
// than one regular expression per type: numbers are grouped once and judged by their shape, check digits and the
// words around them; tokens, addresses on the web, and phrases that introduce names, addresses and credentials
// are each found by a small hand-written scanner.
//
// Each finding carries a score between 0 and 1. Structured identifiers with a valid check digit score high on
// their own; identifiers that are only a number of the right length (a PIN, an account number, a bare nine-digit
// SSN) need a context word such as "PIN" or "routing" nearby, and words that mark other kinds of numbers ("order",
// "invoice", "version") lower the score. Findings at or above Threshold are reported.
package pii

import (
	"cmp"
	"slices"
	"sort"
	"sync"
)

// Type is a Bedrock PII entity type name.
type Type string

// The 31 entity types of Amazon Bedrock Guardrails, with Bedrock's names.
const (
	Address               Type = "ADDRESS"
	Age                   Type = "AGE"
	AWSAccessKey          Type = "AWS_ACCESS_KEY"
	AWSSecretKey          Type = "AWS_SECRET_KEY"
	CAHealthNumber        Type = "CA_HEALTH_NUMBER"
	CASocialInsurance     Type = "CA_SOCIAL_INSURANCE_NUMBER"
	CardCVV               Type = "CREDIT_DEBIT_CARD_CVV"
	CardExpiry            Type = "CREDIT_DEBIT_CARD_EXPIRY"
	CardNumber            Type = "CREDIT_DEBIT_CARD_NUMBER"
	DriverID              Type = "DRIVER_ID"
	Email                 Type = "EMAIL"
	IBAN                  Type = "INTERNATIONAL_BANK_ACCOUNT_NUMBER"
	IPAddress             Type = "IP_ADDRESS"
	LicensePlate          Type = "LICENSE_PLATE"
	MACAddress            Type = "MAC_ADDRESS"
	Name                  Type = "NAME"
	Password              Type = "PASSWORD"
	Phone                 Type = "PHONE"
	PIN                   Type = "PIN"
	SWIFTCode             Type = "SWIFT_CODE"
	UKNHSNumber           Type = "UK_NATIONAL_HEALTH_SERVICE_NUMBER"
	UKNationalInsurance   Type = "UK_NATIONAL_INSURANCE_NUMBER"
	UKUniqueTaxpayerRef   Type = "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER"
	URL                   Type = "URL"
	Username              Type = "USERNAME"
	USBankAccount         Type = "US_BANK_ACCOUNT_NUMBER"
	USBankRouting         Type = "US_BANK_ROUTING_NUMBER"
	USIndividualTaxID     Type = "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER"
	USPassport            Type = "US_PASSPORT_NUMBER"
	USSocialSecurity      Type = "US_SOCIAL_SECURITY_NUMBER"
	VehicleIdentification Type = "VEHICLE_IDENTIFICATION_NUMBER"
)

// Types lists every entity type, in Bedrock's order.
var Types = []Type{
	Address, Age, AWSAccessKey, AWSSecretKey, CAHealthNumber, CASocialInsurance, CardCVV, CardExpiry, CardNumber,
	DriverID, Email, IBAN, IPAddress, LicensePlate, MACAddress, Name, Password, Phone, PIN, SWIFTCode, UKNHSNumber,
	UKNationalInsurance, UKUniqueTaxpayerRef, URL, Username, USBankAccount, USBankRouting, USIndividualTaxID,
	USPassport, USSocialSecurity, VehicleIdentification,
}

// Structured lists the types that have a fixed format, a check digit or a fixed alphabet, as opposed to names,
// addresses, ages and credentials, which depend on the words around them.
var Structured = []Type{
	AWSAccessKey, CardNumber, Email, IBAN, IPAddress, MACAddress, Phone, SWIFTCode, UKNHSNumber, UKNationalInsurance,
	URL, USBankRouting, USIndividualTaxID, USSocialSecurity, VehicleIdentification, CASocialInsurance,
}

// Threshold is the score at which a candidate is reported.
const Threshold = 0.5

// Finding is one entity found in a text.
type Finding struct {
	Type       Type
	Start, End int // byte offsets in the scanned text
	Score      float64
}

// Scanner finds entities of the types it was built for. It holds no state between calls and is safe for
// concurrent use.
type Scanner struct {
	want [len32]bool
}

const len32 = 32

// New returns a scanner for the given types; no types means all of them.
func New(types ...Type) *Scanner {
	s := &Scanner{}
	if len(types) == 0 {
		types = Types
	}
	for _, t := range types {
		if i := slices.Index(Types, t); i >= 0 {
			s.want[i] = true
		}
	}
	return s
}

func (s *Scanner) wants(t Type) bool {
	i := slices.Index(Types, t)
	return i >= 0 && s.want[i]
}

// Scan returns the entities in text, at most one per span: where candidates overlap, the higher score wins, then
// the longer span. Findings are ordered by position.
func (s *Scanner) Scan(text string) []Finding {
	sc := newScan(text)
	sc.numbers()
	sc.tokens() // before people: addresses reads the starts of numbers that the token pass notes
	sc.web()
	sc.people()
	// Count first so that the caller's slice is the only allocation of the result.
	n := 0
	for _, f := range sc.found {
		if f.Score >= Threshold && s.wants(f.Type) {
			n++
		}
	}
	var keep []Finding
	if n > 0 {
		keep = make([]Finding, 0, n)
		for _, f := range sc.found {
			if f.Score >= Threshold && s.wants(f.Type) {
				keep = append(keep, f)
			}
		}
	}
	keep, sc.chosen = resolve(keep, sc.chosen[:0])
	sc.release()
	return keep
}

// resolve drops findings that overlap a better one, in place. It works cluster by cluster (runs of findings that
// overlap each other), so its cost stays proportional to the number of findings on ordinary text. chosen is
// scratch space, returned for reuse.
func resolve(fs, chosen []Finding) ([]Finding, []Finding) {
	if len(fs) < 2 {
		return fs, chosen
	}
	slices.SortFunc(fs, func(a, b Finding) int { return cmp.Compare(a.Start, b.Start) })
	w := 0 // fs[:w] holds the findings kept so far; w never passes the cluster being read
	for i := 0; i < len(fs); {
		j, end := i+1, fs[i].End
		for j < len(fs) && fs[j].Start < end {
			end = max(end, fs[j].End)
			j++
		}
		chosen = best(fs[i:j], chosen[:0])
		w += copy(fs[w:], chosen)
		i = j
	}
	return fs[:w], chosen
}

// best picks non-overlapping findings from a cluster, appended to chosen: highest score first, then the longer
// span.
func best(cluster, chosen []Finding) []Finding {
	if len(cluster) == 1 {
		return append(chosen, cluster[0])
	}
	slices.SortStableFunc(cluster, func(a, b Finding) int {
		if a.Score != b.Score {
			return -cmp.Compare(a.Score, b.Score)
		}
		return cmp.Compare(b.End-b.Start, a.End-a.Start)
	})
	// chosen is kept sorted by Start, never overlapping.
	for _, f := range cluster {
		k := sort.Search(len(chosen), func(i int) bool { return chosen[i].End > f.Start })
		if k < len(chosen) && chosen[k].Start < f.End {
			continue
		}
		chosen = slices.Insert(chosen, k, f)
	}
	return chosen
}

// scan is the state of one Scan call: the text, its words with the context cues they carry, and candidates.
type scan struct {
	s      string
	lc     string // s with ASCII letters in lower case: same length, same offsets
	words  []word
	all    cue // every cue in the text, so scanners can skip work no word asks for
	found  []Finding
	chosen []Finding // resolve's scratch space
	// Starts of runs of letters and digits that the token pass noted for later scanners: those that may begin
	// a MAC or IPv6 address (hexAddresses), and those that begin with a digit (addresses).
	hexRuns, digitRuns []int
	memo               [8]beforeMemo
	numMemo            numberMemo
}

// scans keeps the buffers of finished scans for the next: most of a scan's allocations are its word and
// candidate lists, which reach the same sizes call after call.
var scans = sync.Pool{New: func() any { return new(scan) }}

func newScan(s string) *scan {
	sc := scans.Get().(*scan)
	*sc = scan{s: s, lc: lowerASCII(s), words: sc.words[:0], found: sc.found[:0], chosen: sc.chosen[:0], hexRuns: sc.hexRuns[:0], digitRuns: sc.digitRuns[:0]}
	if cap(sc.words) == 0 {
		sc.words = make([]word, 0, len(s)/4+1)
	}
	sc.words = splitWords(s, sc.lc, sc.words)
	for _, w := range sc.words {
		sc.all |= w.cues
	}
	return sc
}

// release returns the scan's buffers for reuse; nothing of the scan may be used after.
func (sc *scan) release() {
	if cap(sc.words) > 1<<16 || cap(sc.found) > 1<<12 || cap(sc.chosen) > 1<<12 || cap(sc.hexRuns) > 1<<14 || cap(sc.digitRuns) > 1<<14 {
		return // a rare huge input: let its buffers go rather than pin them
	}
	*sc = scan{words: sc.words[:0], found: sc.found[:0], chosen: sc.chosen[:0], hexRuns: sc.hexRuns[:0], digitRuns: sc.digitRuns[:0]}
	scans.Put(sc)
}

func (sc *scan) add(t Type, start, end int, score float64) {
	if score <= 0 || start >= end {
		return
	}
	sc.found = append(sc.found, Finding{Type: t, Start: start, End: end, Score: min(score, 1)})
}
