package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// config is the parsed content of one module directory, shared by every instance of the module in a unit.
type config struct {
	dir       string
	variables map[string]*variable
	locals    map[string]*hcl.Attribute
	outputs   map[string]*hcl.Attribute
	modules   []*moduleCall
	resources []*resourceBlock
	providers []*providerBlock
}

type variable struct {
	name    string
	def     hcl.Expression // nil when there is no default
	typ     hcl.Expression
	declPos evidence.Pos
}

type moduleCall struct {
	name    string
	source  string
	block   *hcl.Block
	attrs   hcl.Attributes // inputs and meta-arguments
	pos     evidence.Pos
	srcPos  evidence.Pos
	isLocal bool
}

type resourceBlock struct {
	mode  string // resource or data
	typ   string
	name  string
	block *hcl.Block
}

type providerBlock struct {
	name  string // aws
	alias string
	block *hcl.Block
}

var topSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "terraform"},
	{Type: "moved"},
	{Type: "import"},
	{Type: "check", LabelNames: []string{"name"}},
	{Type: "removed"},
	{Type: "ephemeral", LabelNames: []string{"type", "name"}},
}}

var variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "default"}, {Name: "type"}, {Name: "description"}, {Name: "sensitive"}, {Name: "nullable"}, {Name: "ephemeral"},
}, Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}}}

// loader parses the files of one unit: the root module and every local module it calls. Each file is parsed once,
// however many times its module is instantiated.
type loader struct {
	opts     *evidence.Options
	parser   *hclparse.Parser
	configs  map[string]*config
	loaded   *evidence.Loaded
	seenFile map[string]bool
}

func (l *loader) problem(sev diag.Severity, file string, line, col int, format string, args ...any) {
	l.loaded.Problems = append(l.loaded.Problems, diag.Problem{File: file, Line: line, Col: col, Message: fmt.Sprintf(format, args...), Severity: sev})
}

// config loads a module directory once.
func (l *loader) config(dir string) *config {
	if c, ok := l.configs[dir]; ok {
		return c
	}
	c := &config{dir: dir, variables: map[string]*variable{}, locals: map[string]*hcl.Attribute{}, outputs: map[string]*hcl.Attribute{}}
	l.configs[dir] = c
	entries, err := os.ReadDir(dir)
	if err != nil {
		l.problem(diag.Error, dir, 0, 0, "cannot read module directory: %v", err)
		return c
	}
	var names []string
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if e.IsDir() || !(Source{}).Match(e.Name(), nil) || l.opts.Excluded(path) {
			continue
		}
		// Broken links and links to directories are skipped here; the walk warns about those under the scan roots.
		if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		path := filepath.Join(dir, n)
		// Terraform merges override files last; walens reads them as ordinary files, which can only add evidence.
		f := l.parse(path)
		if f == nil {
			continue
		}
		l.collect(c, f)
	}
	return c
}

// parse reads and parses one file, recording syntax errors with their position. A file with errors is dropped as a
// whole, so half-parsed blocks never turn into evidence.
func (l *loader) parse(path string) *hcl.File {
	data, p := evidence.ReadFile(path, l.opts)
	if p != nil {
		l.loaded.Problems = append(l.loaded.Problems, *p)
		return nil
	}
	if !l.seenFile[path] {
		l.seenFile[path] = true
		l.loaded.Files = append(l.loaded.Files, path)
		d, problems := evidence.ScanDirectives(path, data)
		l.loaded.Directives = append(l.loaded.Directives, d...)
		l.loaded.Problems = append(l.loaded.Problems, problems...)
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		f, diags = l.parser.ParseJSON(data, path)
	} else {
		f, diags = l.parser.ParseHCL(data, path)
	}
	if diags.HasErrors() {
		l.diagnostics(diags, "invalid HCL")
		return nil
	}
	return f
}

func (l *loader) diagnostics(diags hcl.Diagnostics, prefix string) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		file, line, col := "", 0, 0
		if d.Subject != nil {
			file, line, col = d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column
		}
		l.problem(diag.Error, file, line, col, "%s: %s", prefix, msg)
	}
}

// collect records the top-level declarations of a file.
func (l *loader) collect(c *config, f *hcl.File) {
	content, _, diags := f.Body.PartialContent(topSchema)
	l.diagnostics(diags, "invalid Terraform")
	for _, b := range content.Blocks {
		switch b.Type {
		case "resource", "data":
			mode := b.Type
			c.resources = append(c.resources, &resourceBlock{mode: mode, typ: b.Labels[0], name: b.Labels[1], block: b})
		case "variable":
			vc, diags := b.Body.Content(variableSchema)
			if diags.HasErrors() {
				l.diagnostics(diags, "invalid variable "+b.Labels[0])
			}
			v := &variable{name: b.Labels[0], declPos: pos(b.DefRange)}
			if a := vc.Attributes["default"]; a != nil {
				v.def = a.Expr
			}
			if a := vc.Attributes["type"]; a != nil {
				v.typ = a.Expr
			}
			c.variables[v.name] = v
		case "locals":
			attrs, diags := b.Body.JustAttributes()
			l.diagnostics(diags, "invalid locals")
			for name, a := range attrs {
				c.locals[name] = a
			}
		case "output":
			attrs, _ := b.Body.JustAttributes()
			if a := attrs["value"]; a != nil {
				c.outputs[b.Labels[0]] = a
			}
		case "module":
			attrs, diags := b.Body.JustAttributes()
			l.diagnostics(diags, "invalid module "+b.Labels[0])
			m := &moduleCall{name: b.Labels[0], block: b, attrs: attrs, pos: pos(b.DefRange), srcPos: pos(b.DefRange)}
			if a := attrs["source"]; a != nil {
				m.srcPos = pos(a.Range)
				if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
					m.source = v.AsString()
				}
			}
			m.isLocal = strings.HasPrefix(m.source, "./") || strings.HasPrefix(m.source, "../")
			c.modules = append(c.modules, m)
		case "provider":
			p := &providerBlock{name: b.Labels[0], block: b}
			if attrs, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "alias"}}}); attrs != nil {
				if a := attrs.Attributes["alias"]; a != nil {
					if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
						p.alias = v.AsString()
					}
				}
			}
			c.providers = append(c.providers, p)
		}
	}
}

func pos(r hcl.Range) evidence.Pos {
	return evidence.Pos{File: r.Filename, Line: r.Start.Line, Col: r.Start.Column}
}
