package evidence

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/walens/walens/internal/diag"
)

// Scanner walks paths, loads infrastructure code through its sources and runs its rules.
type Scanner struct {
	Sources []Source
	Rules   []*Rule
	Options Options
	// Progress, when set, is called after each unit of work with the number done and the total.
	Progress func(done, total int)
}

// Report is the outcome of a scan.
type Report struct {
	Roots     []string
	Files     int            // files read
	BySource  map[string]int // files read per source
	Units     int
	Resources []*Resource
	Findings  []Finding // sorted by file, line, rule
	// Problems are files that could not be read or parsed (errors) and files skipped by policy (warnings).
	Problems diag.List
	Rules    []*Rule
	// Partial is true when some input could not be read or parsed, so the results may miss findings.
	Partial bool
	Elapsed time.Duration
}

// skippedDirs are never scanned: version control, and caches of downloaded modules and packages that are not the
// user's code.
var skippedDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, ".terraform": true, ".terragrunt-cache": true, "node_modules": true, "cdk.out": true}

// peekExt lists the extensions whose files may or may not be infrastructure code, so the scanner reads their
// first bytes to ask the sources.
var peekExt = map[string]bool{".json": true, ".yaml": true, ".yml": true, ".template": true}

// Scan runs the scanner over files and directories.
func (s *Scanner) Scan(ctx context.Context, roots []string) (*Report, error) {
	start := time.Now()
	opts := &s.Options
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	for _, p := range opts.Exclude {
		if !doublestar.ValidatePattern(p) {
			return nil, fmt.Errorf("exclude pattern %q is not a valid glob", p)
		}
	}
	rep := &Report{Roots: roots, BySource: map[string]int{}, Rules: s.Rules}
	opts.BaseDirs = nil
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			continue
		}
		if st, err := os.Stat(abs); err == nil && !st.IsDir() {
			abs = filepath.Dir(abs)
		}
		opts.BaseDirs = append(opts.BaseDirs, abs)
	}

	// Walk and hand each file to the first source that claims it.
	w := &walker{opts: opts}
	for _, root := range roots {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w.walkRoot(root)
	}
	rep.Problems = append(rep.Problems, w.problems...)
	claimed := make([][]string, len(s.Sources))
	for _, f := range w.files {
		var head []byte
		if peekExt[strings.ToLower(filepath.Ext(f))] {
			var p *diag.Problem
			head, p = readHead(f, opts)
			if p != nil {
				rep.Problems = append(rep.Problems, *p)
				continue
			}
		}
		for i, src := range s.Sources {
			if src.Match(f, head) {
				claimed[i] = append(claimed[i], f)
				break
			}
		}
	}
	var units []Unit
	var unitSource []string
	for i, src := range s.Sources {
		for _, u := range src.Units(claimed[i], opts) {
			units = append(units, u)
			unitSource = append(unitSource, src.Name())
		}
	}
	rep.Units = len(units)

	// Load units in parallel. Each worker keeps only what a unit yields; file contents are dropped as soon as the
	// unit is parsed.
	loaded := make([]*Loaded, len(units))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				l := units[i].Load(ctx)
				if l == nil {
					l = &Loaded{}
				}
				loaded[i] = l
				if s.Progress != nil {
					mu.Lock()
					done++
					s.Progress(done, len(units))
					mu.Unlock()
				}
			}
		}()
	}
	for i := range units {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	var directives []Directive
	seenFile := map[string]bool{}
	for i, l := range loaded {
		rep.Resources = append(rep.Resources, l.Resources...)
		rep.Problems = append(rep.Problems, l.Problems...)
		directives = append(directives, l.Directives...)
		for _, f := range l.Files {
			if !seenFile[f] {
				seenFile[f] = true
				rep.Files++
				rep.BySource[unitSource[i]]++
			}
		}
	}

	rep.Findings = s.runRules(NewGraph(rep.Resources))
	byID := make(map[string]*Rule, len(s.Rules))
	for _, r := range s.Rules {
		byID[r.ID] = r
	}
	rep.Problems = append(rep.Problems, applySuppressions(rep.Findings, directives, opts.Suppressions, byID, opts.Now)...)
	rep.Problems.Sort()
	rep.Partial = len(rep.Problems.Errors()) > 0
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// runRules runs every rule over the graph, in parallel across rules, and returns the findings in a stable order.
func (s *Scanner) runRules(g *Graph) []Finding {
	results := make([][]Finding, len(s.Rules))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for i, rule := range s.Rules {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			c := &Check{Rule: rule, Options: &s.Options, Graph: g}
			if rule.Check != nil {
				for _, r := range g.OfType(rule.Types...) {
					rule.Check(c, r)
				}
			}
			if rule.CheckGraph != nil {
				rule.CheckGraph(c, g)
			}
			results[i] = c.findings
		}()
	}
	wg.Wait()
	n := 0
	for _, fs := range results {
		n += len(fs)
	}
	out := make([]Finding, 0, n) // findings are large; growing the slice copied them over and over
	for _, fs := range results {
		out = append(out, fs...)
	}
	SortFindings(out)
	return out
}

// SortFindings orders findings by file, line, column, rule and resource.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			strings.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.Resource, b.Resource))
	})
}

// walker lists the files under the scan roots, following symbolic links but not in circles.
type walker struct {
	opts     *Options
	files    []string
	problems diag.List
	seen     map[string]bool // files already listed, so overlapping roots do not scan a file twice
}

func (w *walker) warn(path, format string, args ...any) {
	w.problems = append(w.problems, diag.Problem{File: path, Message: fmt.Sprintf(format, args...), Severity: diag.Warning})
}

func (w *walker) fail(path, format string, args ...any) {
	w.problems = append(w.problems, diag.Problem{File: path, Message: fmt.Sprintf(format, args...), Severity: diag.Error})
}

func (w *walker) walkRoot(root string) {
	root = filepath.Clean(root)
	st, err := os.Stat(root)
	if err != nil {
		w.fail(root, "cannot scan: %v", unwrapPath(err))
		return
	}
	if !st.IsDir() {
		w.addFile(root)
		return
	}
	w.walkDir(root, nil)
}

// dirID identifies a directory by device and inode, to recognise a symbolic link back into an ancestor.
type dirID struct{ dev, ino uint64 }

func idOf(st fs.FileInfo) (dirID, bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return dirID{}, false
	}
	return dirID{uint64(sys.Dev), uint64(sys.Ino)}, true
}

func (w *walker) walkDir(dir string, ancestors []dirID) {
	st, err := os.Stat(dir)
	if err != nil {
		w.fail(dir, "cannot scan directory: %v", unwrapPath(err))
		return
	}
	if id, ok := idOf(st); ok {
		for _, a := range ancestors {
			if a == id {
				w.warn(dir, "skipped: symbolic link loop back to a parent directory")
				return
			}
		}
		ancestors = append(ancestors, id)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.fail(dir, "cannot scan directory: %v", unwrapPath(err))
		return
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if w.opts.Excluded(path) {
			continue
		}
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			target, err := os.Stat(path)
			if err != nil {
				w.warn(path, "skipped: broken symbolic link")
				continue
			}
			mode = target.Mode().Type()
		}
		switch {
		case mode.IsDir():
			if skippedDirs[e.Name()] {
				continue
			}
			w.walkDir(path, ancestors)
		case mode.IsRegular():
			if candidate(path) {
				w.addFile(path)
			}
		}
	}
}

func (w *walker) addFile(path string) {
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	if w.seen[path] {
		return
	}
	w.seen[path] = true
	w.files = append(w.files, path)
}

// candidate reports whether a file name could hold infrastructure code any source reads.
func candidate(path string) bool {
	name := strings.ToLower(filepath.Base(path))
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json") || peekExt[filepath.Ext(name)]
}

// readHead reads the start of a file for Source.Match, skipping oversized and binary files with a warning.
func readHead(path string, opts *Options) ([]byte, *diag.Problem) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &diag.Problem{File: path, Message: fmt.Sprintf("cannot read: %v", unwrapPath(err)), Severity: diag.Error}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > opts.maxBytes() {
		return nil, &diag.Problem{File: path, Message: fmt.Sprintf("skipped: %d bytes, over the %d-byte limit (raise it with --max-file-size)", st.Size(), opts.maxBytes()), Severity: diag.Warning}
	}
	buf := make([]byte, HeadBytes)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, &diag.Problem{File: path, Message: fmt.Sprintf("cannot read: %v", unwrapPath(err)), Severity: diag.Error}
	}
	buf = buf[:n]
	if isBinary(buf) {
		return nil, &diag.Problem{File: path, Message: "skipped: binary content", Severity: diag.Warning}
	}
	return buf, nil
}

// Summary counts a report's findings.
type Summary struct {
	Failed     int              `json:"failed"`
	Passed     int              `json:"passed"`
	Unknown    int              `json:"unknown"`
	Suppressed int              `json:"suppressed"`
	BySeverity map[Severity]int `json:"failedBySeverity"` // unsuppressed failures
}

// Summary counts the report's findings; suppressed failures and unknowns count only as suppressed.
func (r *Report) Summary() Summary {
	s := Summary{BySeverity: map[Severity]int{}}
	for _, f := range r.Findings {
		switch {
		case f.Suppressed != nil:
			s.Suppressed++
		case f.Status == Fail:
			s.Failed++
			s.BySeverity[f.Severity]++
		case f.Status == Pass:
			s.Passed++
		default:
			s.Unknown++
		}
	}
	return s
}

// Gate returns the unsuppressed failures at or above a severity, and the unsuppressed unknowns when they count too.
func (r *Report) Gate(min Severity, unknownFails bool) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Suppressed != nil {
			continue
		}
		if f.Status == Fail && f.Severity.Rank() >= min.Rank() || unknownFails && f.Status == Undetermined {
			out = append(out, f)
		}
	}
	return out
}

// Rule returns the rule with an ID among those the scan ran, or nil.
func (r *Report) Rule(id string) *Rule {
	for _, x := range r.Rules {
		if x.ID == id {
			return x
		}
	}
	return nil
}
