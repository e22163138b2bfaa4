package lens

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/walens/walens/internal/diag"
)

// Catalog is the set of lenses available to a review: the built-in ones plus any loaded from files.
type Catalog struct {
	mu      sync.Mutex
	builtin fs.FS
	files   []string          // built-in file names in catalogue order
	loaded  map[string]*Lens  // by ID
	errs    map[string]error  // built-in files that failed to load, by file name
	paths   map[string]string // absolute path -> lens ID, for lenses loaded from files
}

// builtinOrder is the order lenses are listed in; files not named here follow alphabetically.
var builtinOrder = []string{"machine-learning", "generative-ai", "responsible-ai", "sustainability-ai", "agentic-ai"}

// NewCatalog returns a catalogue over the lens files in fsys (the embedded lenses.FS in production). Files are
// parsed on first use so that commands touching one lens do not pay for all of them.
func NewCatalog(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list built-in lenses: %w", err)
	}
	rank := func(n string) int {
		id := strings.TrimSuffix(n, ".yaml")
		for i, x := range builtinOrder {
			if x == id {
				return i
			}
		}
		return len(builtinOrder)
	}
	var files []string
	for _, n := range names {
		if strings.Count(n, ".") == 1 { // skip work-in-progress fragments such as x.part2.yaml
			files = append(files, n)
		}
	}
	sort.SliceStable(files, func(i, j int) bool {
		if rank(files[i]) != rank(files[j]) {
			return rank(files[i]) < rank(files[j])
		}
		return files[i] < files[j]
	})
	return &Catalog{builtin: fsys, files: files, loaded: map[string]*Lens{}, errs: map[string]error{}, paths: map[string]string{}}, nil
}

// BuiltinIDs lists the IDs of the built-in lenses in catalogue order.
func (c *Catalog) BuiltinIDs() []string {
	out := make([]string, len(c.files))
	for i, f := range c.files {
		out[i] = strings.TrimSuffix(f, ".yaml")
	}
	return out
}

func (c *Catalog) loadBuiltin(file string) (*Lens, error) {
	id := strings.TrimSuffix(file, ".yaml")
	if l, ok := c.loaded[id]; ok {
		return l, nil
	}
	if err, ok := c.errs[file]; ok {
		return nil, err
	}
	data, err := fs.ReadFile(c.builtin, file)
	if err != nil {
		return nil, fmt.Errorf("read built-in lens %s: %w", file, err)
	}
	l, _, err := Parse(data, "lenses/"+file, Options{})
	if err != nil {
		err = fmt.Errorf("built-in lens %s is invalid (a walens defect, please report it): %w", file, err)
		c.errs[file] = err
		return nil, err
	}
	l.Source = "builtin"
	c.loaded[l.ID] = l
	return l, nil
}

// Builtin returns every built-in lens in catalogue order.
func (c *Catalog) Builtin() ([]*Lens, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*Lens
	for _, f := range c.files {
		l, err := c.loadBuiltin(f)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// ErrUnknownLens is returned (wrapped) when a lens reference matches nothing.
var ErrUnknownLens = errors.New("unknown lens")

// Get returns the lens with the given ID: a built-in lens, or one already loaded from a file.
func (c *Catalog) Get(id string) (*Lens, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.loaded[id]; ok {
		return l, nil
	}
	for _, f := range c.files {
		if strings.TrimSuffix(f, ".yaml") == id {
			return c.loadBuiltin(f)
		}
	}
	known := c.BuiltinIDs()
	for k := range c.loaded {
		known = append(known, k)
	}
	err := fmt.Errorf("%w %q; built-in lenses are %s", ErrUnknownLens, id, strings.Join(c.BuiltinIDs(), ", "))
	if s := diag.Closest(id, known); s != "" {
		err = fmt.Errorf("%w (did you mean %q?)", err, s)
	}
	return nil, err
}

// IsPath reports whether a lens reference names a file rather than a catalogue ID.
func IsPath(ref string) bool {
	return strings.ContainsAny(ref, `/\`) || strings.HasSuffix(ref, ".json") || strings.HasSuffix(ref, ".yaml") || strings.HasSuffix(ref, ".yml")
}

// Resolve returns the lens a workload refers to: a catalogue ID, or a file path relative to baseDir. A lens loaded
// from a file joins the catalogue under its ID; loading a second, different lens with the same ID is an error.
func (c *Catalog) Resolve(ref, baseDir string) (*Lens, diag.List, error) {
	if !IsPath(ref) {
		l, err := c.Get(ref)
		return l, nil, err
	}
	path := ref
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, fmt.Errorf("resolve lens %s: %w", ref, err)
	}
	c.mu.Lock()
	if id, ok := c.paths[abs]; ok {
		l := c.loaded[id]
		c.mu.Unlock()
		return l, nil, nil
	}
	c.mu.Unlock()
	l, warnings, err := LoadFile(path, Options{})
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.loaded[l.ID]; ok {
		return nil, nil, fmt.Errorf("lens file %s has id %q, which is already taken by %s; give it another id", path, l.ID, sourceOf(prev))
	}
	for _, f := range c.files {
		if strings.TrimSuffix(f, ".yaml") == l.ID {
			return nil, nil, fmt.Errorf("lens file %s has id %q, which is the id of a built-in lens; give it another id", path, l.ID)
		}
	}
	c.loaded[l.ID] = l
	c.paths[abs] = l.ID
	return l, warnings, nil
}

func sourceOf(l *Lens) string {
	if l.Source == "builtin" {
		return "the built-in lens"
	}
	return l.Source
}
