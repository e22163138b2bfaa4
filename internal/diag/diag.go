// Package diag reports problems found in input files with enough location for a person to fix them: the file,
// the line and column where known, the path of the field inside the document, and a suggestion where one exists.
package diag

import (
	"fmt"
	"sort"
	"strings"
)

// Severity tells whether a problem stops the input from being used.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText makes severities read as words in JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Problem is one thing wrong with an input document.
type Problem struct {
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line,omitempty"`
	Col      int      `json:"column,omitempty"`
	Path     string   `json:"path,omitempty"` // e.g. pillars[0].questions[2].choices[1].id
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"` // e.g. `did you mean "gensec01_bp02"?`
	Severity Severity `json:"severity"`
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
			if p.Col > 0 {
				fmt.Fprintf(&b, ":%d", p.Col)
			}
		}
		b.WriteString(": ")
	} else if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Severity == Warning {
		b.WriteString("warning: ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	if p.Hint != "" {
		b.WriteString(" (")
		b.WriteString(p.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// List is an ordered collection of problems. As an error it reports every problem, one per line, so a person can
// fix them all in one pass instead of one per run.
type List []Problem

func (l List) Error() string {
	lines := make([]string, len(l))
	for i, p := range l {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Errors returns only the problems of severity Error.
func (l List) Errors() List {
	var out List
	for _, p := range l {
		if p.Severity == Error {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns only the problems of severity Warning.
func (l List) Warnings() List {
	var out List
	for _, p := range l {
		if p.Severity == Warning {
			out = append(out, p)
		}
	}
	return out
}

// Err returns the errors in the list as an error, or nil when there are none. Warnings alone are not an error.
func (l List) Err() error {
	if errs := l.Errors(); len(errs) > 0 {
		return errs
	}
	return nil
}

// Sort orders problems by file, line and path so output is stable and reads top to bottom.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Message < b.Message
	})
}

// Locate fills in the file name and, from pos, the line and column of every problem that has a path but no line.
func (l List) Locate(file string, pos Positions) {
	for i := range l {
		if l[i].File == "" {
			l[i].File = file
		}
		if l[i].Line == 0 && pos != nil {
			l[i].Line, l[i].Col = pos.Find(l[i].Path)
		}
	}
}

// Collector gathers problems while a document is checked.
type Collector struct {
	List List
}

// Errorf records an error at path.
func (c *Collector) Errorf(path, format string, args ...any) *Problem {
	c.List = append(c.List, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
	return &c.List[len(c.List)-1]
}

// Warnf records a warning at path.
func (c *Collector) Warnf(path, format string, args ...any) *Problem {
	c.List = append(c.List, Problem{Path: path, Message: fmt.Sprintf(format, args...), Severity: Warning})
	return &c.List[len(c.List)-1]
}

// Suggest records a "did you mean" hint on p when a candidate is close to word. It returns p for chaining.
func (p *Problem) Suggest(word string, candidates []string) *Problem {
	if s := Closest(word, candidates); s != "" {
		p.Hint = fmt.Sprintf("did you mean %q?", s)
	}
	return p
}

// Position is a line and column, both 1-based.
type Position struct{ Line, Col int }

// Positions maps document paths to where their values start.
type Positions map[string]Position

// Find returns the position of path, or of its nearest ancestor that has one.
func (p Positions) Find(path string) (line, col int) {
	for {
		if pos, ok := p[path]; ok {
			return pos.Line, pos.Col
		}
		parent := Parent(path)
		if parent == path {
			return 0, 0
		}
		path = parent
	}
}

// Parent strips the last element from a path: a.b[2].c -> a.b[2] -> a.b -> a -> "".
func Parent(path string) string {
	if path == "" {
		return ""
	}
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

// Key appends a mapping key to a path.
func Key(path, key string) string {
	if needsQuoting(key) {
		key = fmt.Sprintf("%q", key)
		return path + "[" + key + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index appends a sequence index to a path.
func Index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func needsQuoting(key string) bool {
	if key == "" {
		return true
	}
	for _, r := range key {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return true
		}
	}
	return false
}
