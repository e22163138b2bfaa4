package pii

import "strings"

// web finds e-mail addresses and URLs.
func (sc *scan) web() {
	s := sc.s
	for k := strings.IndexByte(s, '@'); k >= 0; {
		sc.email(k)
		next := strings.IndexByte(s[k+1:], '@')
		if next < 0 {
			break
		}
		k += 1 + next
	}
	for k := 0; k < len(s); {
		i := strings.Index(s[k:], "://")
		if i < 0 {
			break
		}
		k = max(k+i+3, sc.schemeURL(k+i))
	}
	for k := 0; k < len(s); {
		i := strings.Index(s[k:], "www.")
		if i < 0 {
			break
		}
		at := k + i
		k = at + 4
		if at == 0 || !alnum(s[at-1]) && s[at-1] != '/' && s[at-1] != '.' && s[at-1] != '@' {
			end := urlEnd(s, at)
			sc.add(URL, at, end, 0.9)
			k = max(k, end)
		}
	}
	sc.domains()
}

func emailLocal(c byte) bool {
	return alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\''
}

func domainChar(c byte) bool { return alnum(c) || c == '.' || c == '-' }

func (sc *scan) email(at int) {
	s := sc.s
	i := at
	for i > 0 && at-i < 64 && emailLocal(s[i-1]) {
		i--
	}
	for i < at && (s[i] == '.' || s[i] == '\'') {
		i++
	}
	j := at + 1
	for j < len(s) && j-at < 255 && domainChar(s[j]) {
		j++
	}
	for j > at+1 && (s[j-1] == '.' || s[j-1] == '-') {
		j--
	}
	if i == at || j == at+1 {
		return
	}
	domain := s[at+1 : j]
	dot := strings.LastIndexByte(domain, '.')
	if dot <= 0 || strings.Contains(domain, "..") {
		return
	}
	tld := domain[dot+1:]
	if len(tld) < 2 {
		return
	}
	for k := 0; k < len(tld); k++ {
		if !letter(tld[k]) {
			return
		}
	}
	sc.add(Email, i, j, 0.96)
}

// schemeURL takes a URL whose "://" is at k and returns where it ends (k when there is none).
func (sc *scan) schemeURL(k int) int {
	s := sc.s
	i := k
	for i > 0 && k-i < 10 && letter(s[i-1]) {
		i--
	}
	scheme := strings.ToLower(s[i:k])
	switch scheme {
	case "http", "https", "ftp", "ftps", "sftp", "ws", "wss", "file", "git", "ssh":
	default:
		return k
	}
	if i > 0 && alnum(s[i-1]) {
		return k
	}
	end := urlEnd(s, k+3)
	if end > k+3 {
		sc.add(URL, i, end, 0.93)
	}
	return end
}

// urlEnd returns where a URL starting at i ends: at white space or a character that never appears unquoted in
// one, less trailing punctuation that belongs to the sentence (a closing parenthesis counts only when the URL
// opened one).
func urlEnd(s string, i int) int {
	j := i
	for j < len(s) && s[j] > ' ' && strings.IndexByte("<>\"'`{}|\\^", s[j]) < 0 && j-i < 2048 {
		j++
	}
	for j > i {
		c := s[j-1]
		if strings.IndexByte(".,;:!?", c) >= 0 || c == ')' && strings.Count(s[i:j], "(") < strings.Count(s[i:j], ")") || c == ']' {
			j--
			continue
		}
		break
	}
	return j
}

// topLevel lists the generic top-level domains common enough to read a bare "name.tld" as a web address.
var topLevel = map[string]bool{
	"com": true, "org": true, "net": true, "edu": true, "gov": true, "io": true, "info": true, "biz": true,
	"dev": true, "app": true, "online": true, "site": true, "store": true, "tech": true, "cloud": true,
	"shop": true, "blog": true, "xyz": true,
}

// domains finds bare domain names such as example.com or shop.example.co.uk/path, where the last label is a common
// generic domain or a country code under a second-level one (".com.br", ".co.uk"). File names (report.md,
// main.go) and abbreviations (e.g.) do not qualify.
func (sc *scan) domains() {
	s := sc.s
	for k := 0; k < len(s); k++ {
		if s[k] != '.' {
			// Every candidate is found from a dot, so jump to the next one with a fast search.
			d := strings.IndexByte(s[k:], '.')
			if d < 0 {
				break
			}
			k += d
		}
		if k == 0 || !alnum(s[k-1]) || k+2 >= len(s) || !letter(s[k+1]) {
			continue
		}
		// Find the whole host around this dot.
		i := k
		for i > 0 && (alnum(s[i-1]) || s[i-1] == '-' || s[i-1] == '.') {
			i--
		}
		if i > 0 && (s[i-1] == '@' || s[i-1] == '/' || s[i-1] == ':') {
			k = hostEnd(s, k)
			continue // part of an e-mail address or a URL
		}
		j := hostEnd(s, k)
		// A host is ASCII, so the scan's lower-case copy holds it lower-cased already; its labels are read in
		// place rather than split into a new slice.
		host := sc.lc[i:j]
		dot := strings.LastIndexByte(host, '.')
		last := host[dot+1:]
		ok := topLevel[last]
		if !ok && len(last) == 2 && dot > 0 {
			if prev := strings.LastIndexByte(host[:dot], '.'); prev >= 0 {
				switch host[prev+1 : dot] {
				case "com", "co", "org", "net", "gov", "ac", "edu":
					ok = true
				}
			}
		}
		first, _, _ := strings.Cut(host, ".")
		if ok && len(first) >= 2 {
			end := j
			if j < len(s) && s[j] == '/' {
				end = urlEnd(s, j)
			}
			sc.add(URL, i, end, 0.72)
		}
		k = j
	}
}

func hostEnd(s string, k int) int {
	j := k
	for j < len(s) && (alnum(s[j]) || s[j] == '-' || s[j] == '.' && j+1 < len(s) && alnum(s[j+1])) {
		j++
	}
	return j
}
