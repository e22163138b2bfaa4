package pii

import (
	"sort"
	"strings"
)

// people finds what only phrasing reveals: names after an introduction or a title, street addresses, and
// usernames and passwords given after a label. There is no name list and no statistical model here, so names
// nobody introduces ("Ana Silva called") are missed; docs/guardrails.md states the measured recall.
func (sc *scan) people() {
	sc.credentials()
	sc.names()
	sc.addresses()
}

// wordAt returns the index of the word that starts at pos, or -1.
func (sc *scan) wordAt(pos int) int {
	k := sort.Search(len(sc.words), func(i int) bool { return sc.words[i].start >= pos })
	if k < len(sc.words) && sc.words[k].start == pos {
		return k
	}
	return -1
}

func (sc *scan) lower(k int) string { return sc.lc[sc.words[k].start:sc.words[k].end] }

// credentials: "username: jdoe", "password is hunter2", "pwd=abc123".
func (sc *scan) credentials() {
	s, lc := sc.s, sc.lc
	for k, w := range sc.words {
		lw := lc[w.start:w.end]
		// Every label starts with one of these letters: most words stop at this byte test.
		switch lw[0] {
		case 'u', 'p', 'l', 'h':
		default:
			continue
		}
		var typ Type
		loose := false // whether "is" may introduce the value, not only ":" or "="
		switch lw {
		case "username", "userid", "passwd", "password", "pwd", "passphrase", "login":
			typ, loose = Username, lw == "username" || lw == "userid"
			if strings.HasPrefix(lw, "pass") || lw == "pwd" {
				typ, loose = Password, lw != "pwd"
			}
		case "user", "handle":
			typ = Username
		default:
			continue
		}
		pos := w.end
		// "user name", "user id", "login id", "pass word".
		if k+1 < len(sc.words) && sc.words[k+1].start == pos+1 && s[pos] == ' ' {
			switch sc.lower(k + 1) {
			case "name", "id":
				pos, loose = sc.words[k+1].end, true
			}
		}
		i := pos
		for i < len(s) && s[i] == ' ' {
			i++
		}
		strong, bare := false, false
		switch {
		case i < len(s) && (s[i] == ':' || s[i] == '='):
			i++
			strong = true
		case loose && strings.HasPrefix(sc.lc[i:], "is "):
			i += 3
		case loose && strings.HasPrefix(sc.lc[i:], "was "):
			i += 4
		case loose && typ == Username:
			bare = true // "user id jdoe42 is locked": taken only if the value looks like a handle, below
		default:
			continue
		}
		for i < len(s) && (s[i] == ' ' || s[i] == '"' || s[i] == '\'' || s[i] == '`') {
			i++
		}
		j := i
		for j < len(s) && s[j] > ' ' && s[j] != '"' && s[j] != '\'' && s[j] != '`' && j-i < 128 {
			j++
		}
		for j > i && strings.IndexByte(".,;)", s[j-1]) >= 0 {
			j--
		}
		if j-i < 3 || stopword[sc.lc[i:j]] {
			continue
		}
		if bare && !strings.ContainsAny(s[i:j], "0123456789_.") {
			continue
		}
		score := 0.8
		if strong {
			score = 0.9
		}
		sc.add(typ, i, j, score)
	}
}

// stopword holds words that follow credential labels in ordinary sentences ("the password is wrong").
var stopword = map[string]bool{
	"the": true, "and": true, "for": true, "not": true, "wrong": true, "incorrect": true, "invalid": true,
	"required": true, "missing": true, "empty": true, "too": true, "very": true, "still": true, "being": true,
	"correct": true, "expired": true, "reset": true, "changed": true, "strong": true, "weak": true, "set": true,
	"case-sensitive": true, "stored": true, "hashed": true, "needed": true, "blank": true, "none": true,
	"null": true, "unknown": true, "same": true, "different": true, "your": true, "my": true, "their": true,
	"taken": true, "available": true, "already": true, "locked": true, "disabled": true, "shown": true,
}

// honorifics are titles that precede a name.
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "miss": true, "mx": true, "dr": true, "prof": true, "sir": true,
	"dame": true, "lord": true, "lady": true, "mister": true, "madam": true, "rev": true, "professor": true,
	"doctor": true,
}

// nameIntro maps phrases (as the last one or two lower-case words) that introduce a name to the score a name
// after them gets when it has one word and when it has two or more.
var nameIntro = map[string][2]float64{
	"name is": {0.9, 0.92}, "name:": {0.9, 0.92}, "named": {0.8, 0.88}, "called": {0.7, 0.85},
	"dear": {0.82, 0.88}, "hi": {0.7, 0.8}, "hello": {0.7, 0.8}, "hey": {0.65, 0.78},
	"sincerely": {0.8, 0.88}, "regards": {0.8, 0.88}, "thanks": {0.6, 0.8}, "cheers": {0.7, 0.82},
	"signed": {0.8, 0.88}, "from:": {0.6, 0.8}, "to:": {0.6, 0.8}, "i am": {0.4, 0.72}, "i'm": {0.4, 0.72},
	"im": {0.3, 0.6}, "this is": {0.4, 0.72}, "contact": {0.55, 0.8}, "ask for": {0.7, 0.85},
	"speak to": {0.65, 0.82}, "speak with": {0.65, 0.82}, "talk to": {0.6, 0.8}, "patient": {0.7, 0.85},
	"customer": {0.6, 0.8}, "employee": {0.65, 0.82}, "wife": {0.7, 0.82}, "husband": {0.7, 0.82},
	"son": {0.65, 0.8}, "daughter": {0.7, 0.82}, "mother": {0.65, 0.8}, "father": {0.65, 0.8},
	"brother": {0.65, 0.8}, "sister": {0.65, 0.8}, "friend": {0.6, 0.8}, "colleague": {0.65, 0.82},
	"manager": {0.55, 0.8}, "boss": {0.6, 0.8}, "neighbor": {0.65, 0.8}, "neighbour": {0.65, 0.8},
	"by": {0.3, 0.6}, "with": {0.25, 0.55}, "cc:": {0.6, 0.8}, "attn": {0.75, 0.85}, "attention": {0.6, 0.8},
	"applicant": {0.7, 0.85}, "tenant": {0.7, 0.85}, "client": {0.6, 0.8}, "user": {0.4, 0.6},
	"mr": {0.88, 0.9}, "ms": {0.88, 0.9}, "mrs": {0.88, 0.9}, "miss": {0.8, 0.88}, "mx": {0.85, 0.9},
	"dr": {0.85, 0.9}, "prof": {0.85, 0.9}, "professor": {0.8, 0.88}, "doctor": {0.6, 0.8}, "sir": {0.7, 0.8},
	"dame": {0.8, 0.88}, "lord": {0.6, 0.8}, "lady": {0.6, 0.8}, "mister": {0.85, 0.9}, "madam": {0.6, 0.8},
	"rev": {0.8, 0.88},
}

var nameIntroFilter = filterOf(nameIntro)

// notName holds capitalised words that follow introductions but are not names: pronouns, days, months, titles
// of roles and greetings' fillers.
var notName = map[string]bool{
	"i": true, "the": true, "a": true, "an": true, "this": true, "that": true, "it": true, "we": true, "you": true,
	"he": true, "she": true, "they": true, "my": true, "our": true, "your": true, "his": true, "her": true,
	"their": true, "there": true, "here": true, "all": true, "everyone": true, "team": true, "guys": true,
	"folks": true, "sir": true, "madam": true, "customer": true, "support": true, "admin": true, "user": true,
	"guest": true, "sales": true, "service": true, "help": true, "desk": true, "please": true, "thanks": true,
	"thank": true, "hello": true, "hi": true, "yes": true, "no": true, "ok": true, "okay": true, "not": true,
	"just": true, "also": true, "so": true, "and": true, "but": true, "or": true, "if": true, "when": true,
	"what": true, "how": true, "why": true, "who": true, "where": true, "monday": true, "tuesday": true,
	"wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true, "january": true,
	"february": true, "march": true, "april": true, "may": true, "june": true, "july": true, "august": true,
	"september": true, "october": true, "november": true, "december": true, "today": true, "tomorrow": true,
	"new": true, "very": true, "sorry": true, "glad": true, "happy": true, "writing": true, "looking": true,
	"trying": true, "going": true, "working": true, "interested": true, "wondering": true, "calling": true,
	"unable": true, "able": true, "aware": true, "sure": true, "best": true, "kind": true, "warm": true,
	"dear": true, "mr": true, "mrs": true, "ms": true, "dr": true, "english": true, "french": true,
	"german": true, "spanish": true, "american": true, "british": true, "canadian": true, "in": true,
	"on": true, "at": true, "for": true, "from": true, "to": true, "of": true, "with": true, "by": true,
	"ceo": true, "cto": true, "cfo": true, "hr": true, "it's": true, "let": true, "as": true, "is": true,
	"are": true, "be": true, "am": true, "do": true, "can": true, "will": true, "would": true, "should": true,
	"could": true, "have": true, "has": true, "had": true, "get": true, "got": true, "one": true, "two": true,
	"python": true, "java": true, "aws": true, "amazon": true, "google": true, "microsoft": true, "apple": true,
	"bedrock": true, "claude": true, "chatgpt": true, "gpt": true, "ai": true, "api": true, "sql": true,
	"js": true, "go": true, "rust": true, "linux": true, "windows": true, "excel": true, "word": true,
	"i'm": true, "i've": true, "i'd": true, "i'll": true, "that's": true, "there's": true, "we're": true,
	"you're": true, "let's": true, "here's": true, "what's": true, "following": true, "quick": true,
	"regarding": true, "re": true, "fyi": true, "update": true, "urgent": true,
}

// names finds capitalised words after a title or an introduction.
func (sc *scan) names() {
	// The words and the lower-case text do not change during the scan; local copies keep the loop from
	// reloading them through sc for every word.
	s, lc, words := sc.s, sc.lc, sc.words
	for k, w := range words {
		lw := lc[w.start:w.end]
		end := w.end
		var sc2 [2]float64
		ok := false
		// The filter spares the map lookup for nearly every word; it never rejects a key of nameIntro.
		if end < len(s) && s[end] == ':' {
			// With the colon that follows ("Name:", "From:").
			if p := lc[w.start : end+1]; nameIntroFilter.has(p) {
				sc2, ok = nameIntro[p]
			}
		}
		if !ok && k > 0 && words[k-1].end+1 == w.start && s[w.start-1] == ' ' {
			switch lw {
			case "is", "am", "for", "to", "with":
				if p := lc[words[k-1].start:end]; nameIntroFilter.has(p) {
					sc2, ok = nameIntro[p]
				}
			}
		}
		if !ok && nameIntroFilter.has(lw) {
			sc2, ok = nameIntro[lw]
		}
		if !ok {
			continue
		}
		// Skip the separator: ":", ",", spaces, and the full stop of an abbreviated title ("Mr."). Any other full
		// stop ends the sentence, and a capital after it starts the next one, not a name.
		i := end
		for i < len(s) && (s[i] == ':' || s[i] == ',' || s[i] == ' ' || s[i] == '.' && i == end && honorifics[lw]) && i-end < 4 {
			i++
		}
		first := sc.wordAt(i)
		if first < 0 {
			continue
		}
		n, last := 0, first
		for m := first; m < len(sc.words) && n < 3; m++ {
			w := sc.words[m]
			if m > first && !(w.start == sc.words[m-1].end+1 && (s[w.start-1] == ' ' || s[w.start-1] == '-')) {
				break // the words of a name are joined by one space or a hyphen
			}
			if !nameWord(s[w.start:w.end]) || notName[sc.lower(m)] {
				break
			}
			n++
			last = m
		}
		if n == 0 {
			continue
		}
		score := sc2[0]
		if n > 1 {
			score = sc2[1]
		}
		sc.add(Name, sc.words[first].start, sc.words[last].end, score)
	}
}

// nameWord reports a capitalised word: an upper-case letter followed by lower-case letters ("Smith", "McDonald"),
// or a single initial.
func nameWord(w string) bool {
	if len(w) == 0 || !upper(w[0]) {
		return false
	}
	if len(w) == 1 {
		return true
	}
	lowers := 0
	for i := 1; i < len(w); i++ {
		switch {
		case lower(w[i]):
			lowers++
		case upper(w[i]), w[i] == '\'':
		default:
			return false
		}
	}
	return lowers >= 1 && lowers*2 >= len(w)-1
}

// streetSuffix holds the words that end a street name, in lower case, with abbreviations.
var streetSuffix = map[string]bool{
	"street": true, "st": true, "avenue": true, "ave": true, "av": true, "road": true, "rd": true,
	"boulevard": true, "blvd": true, "lane": true, "ln": true, "drive": true, "dr": true, "court": true, "ct": true,
	"place": true, "pl": true, "square": true, "sq": true, "terrace": true, "ter": true, "way": true,
	"parkway": true, "pkwy": true, "highway": true, "hwy": true, "circle": true, "cir": true, "trail": true,
	"trl": true, "crescent": true, "cres": true, "close": true, "row": true, "alley": true, "plaza": true,
	"grove": true, "gardens": true, "hill": true, "mews": true, "walk": true, "park": true, "green": true,
	"loop": true, "pike": true, "expressway": true, "freeway": true, "route": true, "rte": true, "path": true,
	"point": true, "pt": true, "ridge": true, "run": true, "view": true, "heights": true, "commons": true,
}

var unitWords = map[string]bool{"apt": true, "apartment": true, "suite": true, "ste": true, "unit": true, "floor": true, "fl": true, "room": true, "rm": true, "flat": true, "building": true, "bldg": true}

// usStates are the two-letter postal codes of US states and territories, and Canadian provinces.
const usStates = "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND " +
	"OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AB BC MB NB NL NS NT NU ON PE QC SK YT"

func isState(w string) bool {
	if len(w) != 2 {
		return false
	}
	i := strings.Index(usStates, w)
	return i >= 0 && i%3 == 0
}

// addresses finds street addresses: a house number, up to five words and a street suffix, optionally followed
// by a unit, a city, a state or province and a postal code; and post office boxes.
func (sc *scan) addresses() {
	s := sc.s
	// A house number is a digit that follows no letter or digit: the start of a run that tokens noted. next is
	// where the search resumes, past a number or an address already read.
	next := 0
	for _, i := range sc.digitRuns {
		if i < next {
			continue
		}
		next = i + 1
		if i > 0 && (s[i-1] == '.' || s[i-1] == '-' || s[i-1] == '/' || s[i-1] == ',' && i > 1 && digit(s[i-2])) {
			continue
		}
		j := i
		for j < len(s) && j-i < 6 && (digit(s[j]) || s[j] == '-') {
			j++
		}
		if j < len(s) && upper(s[j]) && (j+1 == len(s) || !alnum(s[j+1])) {
			j++ // 221B
		}
		if j >= len(s) || s[j] != ' ' {
			next = j + 1
			continue
		}
		end := sc.street(j + 1)
		if end > 0 {
			end = sc.addressTail(end)
			score := 0.85
			if sc.before(i, 4, 40)&cOther != 0 {
				score = 0.6
			}
			sc.add(Address, i, end, score)
			next = end + 1
		}
	}
	lower := sc.lc
	if !strings.Contains(lower, "box ") {
		return // every form of post office box below ends in "box ": one search rules them all out
	}
	for _, box := range []string{"p.o. box ", "po box ", "p o box ", "post office box "} {
		for k := 0; k < len(lower); {
			at := strings.Index(lower[k:], box)
			if at < 0 {
				break
			}
			at += k
			j := at + len(box)
			for j < len(s) && digit(s[j]) {
				j++
			}
			if j > at+len(box) {
				sc.add(Address, at, sc.addressTail(j), 0.85)
			}
			k = j
		}
	}
}

// street reads the words of a street name from i and returns where its suffix ends, or 0 when there is none.
func (sc *scan) street(i int) int {
	s := sc.s
	for words := 0; words < 6 && i < len(s); words++ {
		j := i
		for j < len(s) && (alnum(s[j]) || s[j] == '\'') {
			j++
		}
		if j == i {
			return 0
		}
		w := s[i:j]
		lw := sc.lc[i:j] // w is ASCII, so this is strings.ToLower(w) without the copy
		if words > 0 && streetSuffix[lw] && upper(w[0]) {
			if j < len(s) && s[j] == '.' {
				j++
			}
			return j
		}
		// Street names are capitalised words or ordinals (5th, 42nd).
		if !upper(w[0]) && !ordinal(lw) {
			return 0
		}
		if j >= len(s) || s[j] != ' ' {
			return 0
		}
		i = j + 1
	}
	return 0
}

func ordinal(w string) bool {
	n := len(w)
	if n < 3 || !digit(w[0]) {
		return false
	}
	switch w[n-2:] {
	case "st", "nd", "rd", "th":
		for i := 0; i < n-2; i++ {
			if !digit(w[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// addressTail extends an address over a direction, a unit, a city, a state or province and a postal code.
func (sc *scan) addressTail(end int) int {
	s := sc.s
	word := func(k int) (int, string) {
		j := k
		for j < len(s) && letter(s[j]) {
			j++
		}
		return j, s[k:j]
	}
	// " NW" / " SE"
	if k := end + 1; k < len(s) && s[end] == ' ' {
		if j, w := word(k); oneOf(w, "N", "S", "E", "W", "NW", "NE", "SW", "SE") && (j == len(s) || !alnum(s[j])) {
			end = j
		}
	}
	// ", Apt 4B" / " Suite 200" / " #12"
	if k := skipSep(s, end); k < len(s) {
		j, w := word(k)
		if unitWords[strings.ToLower(w)] || s[k] == '#' {
			if j < len(s) && s[j] == '.' {
				j++
			}
			for j < len(s) && (s[j] == ' ' || s[j] == '#') {
				j++
			}
			m := j
			for m < len(s) && alnum(s[m]) {
				m++
			}
			if m > j {
				end = m
			}
		}
	}
	// ", Springfield" (up to three capitalised words that are not a state code)
	if k := skipSep(s, end); k > end && k < len(s) && upper(s[k]) {
		for words := 0; words < 3 && k < len(s) && upper(s[k]); words++ {
			j, w := word(k)
			if isState(w) || !nameWord(w) {
				break
			}
			end = j
			if j+1 < len(s) && s[j] == ' ' && upper(s[j+1]) {
				k = j + 1
				continue
			}
			break
		}
	}
	// ", IL"
	if k := skipSep(s, end); k+2 <= len(s) && isState(s[k:k+2]) && (k+2 == len(s) || !alnum(s[k+2])) {
		end = k + 2
	}
	// " 62704" / " 62704-1234"
	if k := skipSep(s, end); k > end {
		j := k
		for j < len(s) && digit(s[j]) {
			j++
		}
		if j-k == 5 && (j == len(s) || !alnum(s[j])) {
			end = j
			if j+5 <= len(s) && s[j] == '-' && allDigits(s[j+1:j+5]) {
				end = j + 5
			}
		}
	}
	return end
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !digit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

func skipSep(s string, i int) int {
	j := i
	for j < len(s) && j-i < 3 && (s[j] == ',' || s[j] == ' ') {
		j++
	}
	return j
}
