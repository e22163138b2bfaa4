package evidence

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/yamldoc"
)

// Suppression says why a finding is not counted.
type Suppression struct {
	Kind    string `json:"kind"` // inSource (a comment) or external (the suppression list)
	Reason  string `json:"reason"`
	Expires string `json:"expires,omitempty"`
	Pos     Pos    `json:"pos"` // the comment, or the list entry
}

// Directive is a "walens:ignore" comment found in a scanned file.
type Directive struct {
	Pos    Pos
	Rules  []string
	Reason string
	Until  time.Time // zero: no expiry
	// Target is the line the comment applies to: its own line when it trails code, else the next line with code.
	Target int
}

const directiveWord = "walens:ignore"

// ruleIDRE is what a rule ID looks like: WL-SM-001.
var ruleIDRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// ParseDirective reads a suppression comment from one line of source. It returns ok false when the line holds no
// directive, and an error when it holds a malformed one. The syntax is
//
//	# walens:ignore RULE-ID[,RULE-ID...] [until=YYYY-MM-DD] reason
//
// with #, // or /* as the comment leader.
func ParseDirective(line string) (d Directive, trailing, ok bool, err error) {
	i := strings.Index(line, directiveWord)
	if i < 0 {
		return d, false, false, nil
	}
	before := strings.TrimRight(line[:i], " \t")
	var leader string
	for _, l := range []string{"#", "//", "/*"} {
		if strings.HasSuffix(before, l) {
			leader = l
			break
		}
	}
	if leader == "" {
		return d, false, false, nil // "walens:ignore" in a string or in prose, not a directive
	}
	trailing = strings.TrimSpace(strings.TrimSuffix(before, leader)) != ""
	rest := line[i+len(directiveWord):]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return d, false, false, nil // walens:ignored, walens:ignore-something
	}
	rest = strings.TrimSpace(rest)
	if leader == "/*" {
		rest = strings.TrimSpace(strings.TrimSuffix(rest, "*/"))
	}
	if !utf8Valid(rest) {
		return d, trailing, true, fmt.Errorf("suppression comment is not valid UTF-8")
	}
	ids, rest, _ := strings.Cut(rest, " ")
	if ids == "" {
		return d, trailing, true, fmt.Errorf("suppression comment names no rule: write %s RULE-ID reason", directiveWord)
	}
	for _, id := range strings.Split(ids, ",") {
		id = strings.TrimSpace(id)
		if !ruleIDRE.MatchString(id) {
			return d, trailing, true, fmt.Errorf("suppression comment: %q is not a rule ID (like WL-SM-001)", id)
		}
		d.Rules = append(d.Rules, id)
	}
	rest = strings.TrimSpace(rest)
	if v, ok := strings.CutPrefix(rest, "until="); ok {
		date, after, _ := strings.Cut(v, " ")
		t, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return d, trailing, true, fmt.Errorf("suppression comment: until=%q is not a date like 2027-01-31", date)
		}
		d.Until = t
		rest = strings.TrimSpace(after)
	}
	d.Reason = rest
	if d.Reason == "" {
		return d, trailing, true, fmt.Errorf("suppression comment for %s gives no reason; say why after the rule ID", ids)
	}
	return d, trailing, true, nil
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// ScanDirectives finds the suppression comments in a file. Malformed ones are returned as warnings: they do not
// suppress anything, and the scan goes on.
func ScanDirectives(file string, data []byte) ([]Directive, diag.List) {
	if !bytes.Contains(data, []byte(directiveWord)) {
		return nil, nil
	}
	var out []Directive
	var problems diag.List
	lines := bytes.Split(data, []byte("\n"))
	for i, raw := range lines {
		if !bytes.Contains(raw, []byte(directiveWord)) {
			continue
		}
		d, trailing, ok, err := ParseDirective(string(raw))
		if !ok {
			continue
		}
		if err != nil {
			problems = append(problems, diag.Problem{File: file, Line: i + 1, Message: err.Error(), Severity: diag.Warning})
			continue
		}
		d.Pos = Pos{File: file, Line: i + 1}
		d.Target = i + 1
		if !trailing {
			d.Target = nextCodeLine(lines, i+1)
		}
		out = append(out, d)
	}
	return out, problems
}

// nextCodeLine returns the 1-based number of the first line from index i on that is neither blank nor a comment.
func nextCodeLine(lines [][]byte, i int) int {
	for ; i < len(lines); i++ {
		t := bytes.TrimSpace(lines[i])
		if len(t) == 0 || t[0] == '#' || bytes.HasPrefix(t, []byte("//")) || bytes.HasPrefix(t, []byte("/*")) {
			continue
		}
		return i + 1
	}
	return len(lines) + 1
}

// SuppressionFormat is the format line of a suppression list.
const SuppressionFormat = "walens-suppressions/v1"

// SuppressionList is a file of suppressions kept apart from the code, each with a reason and an expiry date.
type SuppressionList struct {
	Format       string            `yaml:"format"`
	Suppressions []ListSuppression `yaml:"suppressions"`

	path string
	pos  diag.Positions
}

// ListSuppression is one entry of a suppression list.
type ListSuppression struct {
	Rule     string `yaml:"rule"`
	Resource string `yaml:"resource,omitempty"` // glob over resource addresses; empty matches all
	File     string `yaml:"file,omitempty"`     // glob over file paths, ** for any depth; empty matches all
	Reason   string `yaml:"reason"`
	Expires  string `yaml:"expires"` // YYYY-MM-DD; the suppression stops applying after this day

	until time.Time
}

// maxSuppressionBytes bounds a suppression list.
const maxSuppressionBytes = 1 << 20

// LoadSuppressions reads and checks a suppression list. Every problem is reported at once with its line.
func LoadSuppressions(path string) (*SuppressionList, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("read suppression list: %w", err)
	}
	if st.Size() > maxSuppressionBytes {
		return nil, fmt.Errorf("suppression list %s is %d bytes; the limit is %d", path, st.Size(), maxSuppressionBytes)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read suppression list: %w", err)
	}
	return ParseSuppressions(data, path)
}

// ParseSuppressions is LoadSuppressions for data in memory.
func ParseSuppressions(data []byte, path string) (*SuppressionList, error) {
	l := &SuppressionList{path: path}
	doc, err := yamldoc.DecodeFile(data, path, l)
	if err != nil {
		return nil, err
	}
	l.pos = doc.Pos
	var c diag.Collector
	if l.Format != SuppressionFormat {
		c.Errorf("format", "format must be %s", SuppressionFormat)
	}
	for i := range l.Suppressions {
		s := &l.Suppressions[i]
		p := diag.Index("suppressions", i)
		if !ruleIDRE.MatchString(s.Rule) {
			c.Errorf(diag.Key(p, "rule"), "rule %q is not a rule ID (like WL-SM-001)", s.Rule)
		}
		if strings.TrimSpace(s.Reason) == "" {
			c.Errorf(diag.Key(p, "reason"), "every suppression needs a reason")
		}
		if s.Expires == "" {
			c.Errorf(diag.Key(p, "expires"), "every suppression needs an expiry date (YYYY-MM-DD)")
		} else if t, err := time.Parse(time.DateOnly, s.Expires); err != nil {
			c.Errorf(diag.Key(p, "expires"), "expires %q is not a date like 2027-01-31", s.Expires)
		} else {
			s.until = t
		}
		for _, g := range []struct{ field, pattern string }{{"resource", s.Resource}, {"file", s.File}} {
			if g.pattern != "" && !doublestar.ValidatePattern(g.pattern) {
				c.Errorf(diag.Key(p, g.field), "%q is not a valid glob pattern", g.pattern)
			}
		}
	}
	c.List.Locate(path, doc.Pos)
	if err := c.List.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// entryPos is where entry i of the list is written.
func (l *SuppressionList) entryPos(i int) Pos {
	line, col := l.pos.Find(diag.Index("suppressions", i))
	return Pos{File: l.path, Line: line, Col: col}
}

// expired reports whether a suppression that runs until the end of day until has run out at now.
func expired(until, now time.Time) bool {
	return !until.IsZero() && !now.Before(until.AddDate(0, 0, 1))
}

// applySuppressions marks failures and unknowns covered by a comment or a list entry, and warns about expired,
// unused and unknown-rule suppressions. Passes need no excuse and are left alone.
func applySuppressions(findings []Finding, directives []Directive, list *SuppressionList, rules map[string]*Rule, now time.Time) diag.List {
	var warnings diag.List
	warn := func(p Pos, format string, args ...any) {
		warnings = append(warnings, diag.Problem{File: p.File, Line: p.Line, Col: p.Col, Message: fmt.Sprintf(format, args...), Severity: diag.Warning})
	}
	known := func(p Pos, ids ...string) bool {
		ok := true
		for _, id := range ids {
			if rules[id] == nil {
				warn(p, "suppression names rule %s, which walens does not have%s", id, suggestRule(id, rules))
				ok = false
			}
		}
		return ok
	}

	// Live suppressions, by index, so that use can be recorded.
	byFile := map[string][]int{}
	dirUsed := make([]bool, len(directives))
	for i, d := range directives {
		if !known(d.Pos, d.Rules...) {
			dirUsed[i] = true // reported already; do not also call it unused
		}
		if expired(d.Until, now) {
			warn(d.Pos, "suppression of %s expired on %s; its findings count again", strings.Join(d.Rules, ","), d.Until.Format(time.DateOnly))
			continue
		}
		byFile[d.Pos.File] = append(byFile[d.Pos.File], i)
	}
	var live []int
	var entryUsed []bool
	if list != nil {
		entryUsed = make([]bool, len(list.Suppressions))
		for i, s := range list.Suppressions {
			if !known(list.entryPos(i), s.Rule) {
				entryUsed[i] = true
			}
			if expired(s.until, now) {
				warn(list.entryPos(i), "suppression of %s expired on %s; its findings count again", s.Rule, s.Expires)
				continue
			}
			live = append(live, i)
		}
	}

	for fi := range findings {
		f := &findings[fi]
		if f.Status == Pass {
			continue
		}
		for _, i := range byFile[f.Pos.File] {
			d := directives[i]
			if !slices.Contains(d.Rules, f.Rule) {
				continue
			}
			if d.Target == f.Pos.Line || (f.ResourcePos.File == d.Pos.File && d.Target == f.ResourcePos.Line) {
				f.Suppressed = &Suppression{Kind: "inSource", Reason: d.Reason, Pos: d.Pos}
				if !d.Until.IsZero() {
					f.Suppressed.Expires = d.Until.Format(time.DateOnly)
				}
				dirUsed[i] = true
				break
			}
		}
		if f.Suppressed != nil {
			continue
		}
		for _, i := range live {
			s := list.Suppressions[i]
			if s.Rule != f.Rule || !globMatch(s.Resource, f.Resource) || !globMatch(s.File, f.Pos.File) {
				continue
			}
			f.Suppressed = &Suppression{Kind: "external", Reason: s.Reason, Expires: s.Expires, Pos: list.entryPos(i)}
			entryUsed[i] = true
			break
		}
	}

	for i, d := range directives {
		if !dirUsed[i] && !expired(d.Until, now) {
			warn(d.Pos, "suppression of %s matches no failing or unknown finding; remove it if the problem is fixed", strings.Join(d.Rules, ","))
		}
	}
	for _, i := range live {
		if !entryUsed[i] {
			warn(list.entryPos(i), "suppression of %s matches no failing or unknown finding; remove it if the problem is fixed", list.Suppressions[i].Rule)
		}
	}
	return warnings
}

// globMatch matches a doublestar pattern; an empty pattern matches everything.
func globMatch(pattern, name string) bool {
	if pattern == "" {
		return true
	}
	ok, _ := doublestar.Match(pattern, name)
	return ok
}

func suggestRule(id string, rules map[string]*Rule) string {
	ids := make([]string, 0, len(rules))
	for k := range rules {
		ids = append(ids, k)
	}
	sort.Strings(ids) // Closest breaks ties by order; map order would make the suggestion random
	if s := diag.Closest(id, ids); s != "" {
		return fmt.Sprintf(" (did you mean %s?)", s)
	}
	return ""
}
