// Package tfplan reads the JSON that "terraform show -json" prints for a plan (or a state) into resources for the
// evidence scanner. A plan has every value Terraform could resolve, including module outputs, data sources and
// variables from every source, so it is the most complete evidence short of the deployed infrastructure.
package tfplan

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// Source is the Terraform plan source of the evidence scanner.
type Source struct{}

// Name implements evidence.Source.
func (Source) Name() string { return "terraform-plan" }

// Match implements evidence.Source: JSON documents whose head has the keys Terraform's JSON output starts with.
func (Source) Match(path string, head []byte) bool {
	if !strings.EqualFold(filepath.Ext(path), ".json") || strings.HasSuffix(strings.ToLower(path), ".tf.json") {
		return false
	}
	return bytes.Contains(head, []byte(`"format_version"`)) &&
		(bytes.Contains(head, []byte(`"planned_values"`)) || bytes.Contains(head, []byte(`"resource_changes"`)) ||
			bytes.Contains(head, []byte(`"terraform_version"`)))
}

// Units implements evidence.Source: one unit per plan file.
func (Source) Units(paths []string, opts *evidence.Options) []evidence.Unit {
	units := make([]evidence.Unit, 0, len(paths))
	for _, p := range paths {
		units = append(units, evidence.Unit{ID: p, Load: func(ctx context.Context) *evidence.Loaded {
			return load(p, opts)
		}})
	}
	return units
}

func load(path string, opts *evidence.Options) *evidence.Loaded {
	out := &evidence.Loaded{}
	data, p := evidence.ReadFile(path, opts)
	if p != nil {
		out.Problems = append(out.Problems, *p)
		return out
	}
	out.Files = []string{path}
	doc, p := evidence.DecodeJSON(path, data)
	if p != nil {
		out.Problems = append(out.Problems, *p)
		return out
	}
	if doc.K() != evidence.Object {
		out.Problems = append(out.Problems, diag.Problem{File: path, Line: 1, Message: "a Terraform plan must be a JSON object", Severity: diag.Error})
		return out
	}
	pl := &plan{path: path, doc: doc, unknown: map[string]*evidence.Value{}, config: map[string]*evidence.Value{}}
	pl.indexChanges()
	pl.indexConfig(doc.Get("configuration", "root_module"), "")
	root := doc.Get("planned_values", "root_module")
	if root.IsNull() {
		root = doc.Get("values", "root_module") // terraform show -json of a state
	}
	if root.IsNull() {
		out.Problems = append(out.Problems, diag.Problem{File: path, Line: 1, Severity: diag.Warning,
			Message: "a Terraform JSON document without planned_values or values; nothing to scan"})
		return out
	}
	pl.module(root, out)
	return out
}

type plan struct {
	path string
	doc  *evidence.Value
	// unknown holds, per resource address, the after_unknown tree of its change: which values Terraform will only
	// know after apply.
	unknown map[string]*evidence.Value
	// config holds, per resource address without instance key, its configuration block (expressions, provider).
	config map[string]*evidence.Value
}

func (pl *plan) indexChanges() {
	for _, rc := range pl.doc.Get("resource_changes").Items() {
		if addr := rc.Get("address").Str(); addr != "" {
			pl.unknown[addr] = rc.Get("change", "after_unknown")
		}
	}
}

// indexConfig records the configuration of every resource, qualifying module resources with their call path.
func (pl *plan) indexConfig(mod *evidence.Value, prefix string) {
	for _, r := range mod.Get("resources").Items() {
		if addr := r.Get("address").Str(); addr != "" {
			pl.config[prefix+addr] = r
		}
	}
	calls := mod.Get("module_calls")
	for _, name := range calls.Keys() {
		pl.indexConfig(calls.Get(name, "module"), prefix+"module."+name+".")
	}
}

func (pl *plan) module(mod *evidence.Value, out *evidence.Loaded) {
	for _, r := range mod.Get("resources").Items() {
		if res := pl.resource(r); res != nil {
			out.Resources = append(out.Resources, res)
		}
	}
	for _, child := range mod.Get("child_modules").Items() {
		pl.module(child, out)
	}
}

func (pl *plan) resource(r *evidence.Value) *evidence.Resource {
	addr := r.Get("address").Str()
	typ := r.Get("type").Str()
	if addr == "" || typ == "" {
		return nil
	}
	attrs := r.Get("values")
	if attrs.K() != evidence.Object {
		attrs = evidence.NewObject(r.Pos)
	}
	dropEmptyLists(attrs)
	markUnknown(attrs, pl.unknown[addr])
	cfgAddr := configAddress(addr)
	conf := pl.config[cfgAddr]
	pl.addRefs(attrs, conf.Get("expressions"), moduleOf(cfgAddr))
	res := &evidence.Resource{
		Type:    typ,
		Address: addr,
		Unit:    pl.path,
		Source:  "terraform-plan",
		Pos:     r.Pos,
		Data:    r.Get("mode").Str() == "data",
		Attrs:   attrs,
	}
	if strings.HasPrefix(typ, "aws_") {
		res.Region = pl.region(conf.Get("provider_config_key").Str(), r.Pos)
		if reg := attrs.Get("region"); reg.IsSet() {
			res.Region = reg
		}
	}
	return res
}

// dropEmptyLists turns the empty lists a plan writes for absent nested blocks (serverless_config: []) into nulls, so
// that an absent block reads the same as in a .tf file.
func dropEmptyLists(obj *evidence.Value) {
	for _, k := range obj.Keys() {
		v := obj.Get(k)
		switch v.K() {
		case evidence.List:
			if len(v.Items()) == 0 {
				obj.Set(k, evidence.NewNull(v.Pos))
				continue
			}
			for _, item := range v.Items() {
				if item.K() == evidence.Object {
					dropEmptyLists(item)
				}
			}
		case evidence.Object:
			dropEmptyLists(v)
		}
	}
}

// markUnknown replaces the values Terraform marks as known only after apply with unknown values, so that rules do
// not read a planned null as "not set".
func markUnknown(attrs, after *evidence.Value) {
	for _, k := range after.Keys() {
		u := after.Get(k)
		if b, ok := u.Bool(); ok && b {
			attrs.Set(k, evidence.NewUnknown(attrs.Get(k).Where(attrs.Pos), "Terraform knows it only after apply"))
			continue
		}
		cur := attrs.Get(k)
		if u.K() == evidence.Object && cur.K() == evidence.Object {
			markUnknown(cur, u)
		}
		if u.K() == evidence.List && cur.K() == evidence.List {
			items, marks := cur.Items(), u.Items()
			for i := range min(len(items), len(marks)) {
				if items[i].K() == evidence.Object {
					markUnknown(items[i], marks[i])
				}
			}
		}
	}
}

// addRefs attaches the references the configuration records for each argument, so rules can follow links between
// resources as they do for .tf files.
func (pl *plan) addRefs(attrs, exprs *evidence.Value, prefix string) {
	for _, k := range exprs.Keys() {
		e := exprs.Get(k)
		target := attrs.Get(k)
		if target == nil {
			continue
		}
		if refs := e.Get("references"); refs.K() == evidence.List {
			for _, ref := range refs.Items() {
				// Terraform lists aws_kms_key.ml.arn and then aws_kms_key.ml; one reference per resource is enough.
				if r, ok := parseRef(ref.Str(), prefix); ok && !hasRef(target.Refs, r.Address) {
					target.Refs = append(target.Refs, r)
				}
			}
			continue
		}
		// Nested blocks: expressions holds a list of objects of expressions.
		if e.K() == evidence.List {
			items, blocks := target.Items(), e.Items()
			for i := range min(len(items), len(blocks)) {
				pl.addRefs(items[i], blocks[i], prefix)
			}
		}
	}
}

func hasRef(refs []evidence.Ref, addr string) bool {
	for _, r := range refs {
		if r.Address == addr {
			return true
		}
	}
	return false
}

// parseRef turns "aws_kms_key.main.arn" into a resource reference; references to variables, locals and modules are
// not resources.
func parseRef(s, prefix string) (evidence.Ref, bool) {
	parts := strings.Split(s, ".")
	switch {
	case len(parts) < 2:
		return evidence.Ref{}, false
	case parts[0] == "data" && len(parts) >= 3:
		return evidence.Ref{Address: prefix + strings.Join(parts[:3], "."), Attr: strings.Join(parts[3:], ".")}, true
	case parts[0] == "var" || parts[0] == "local" || parts[0] == "module" || parts[0] == "each" || parts[0] == "count" ||
		parts[0] == "path" || parts[0] == "self" || parts[0] == "terraform" || parts[0] == "data":
		return evidence.Ref{}, false
	}
	name := parts[1]
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return evidence.Ref{Address: prefix + parts[0] + "." + name, Attr: strings.Join(parts[2:], ".")}, true
}

// configAddress strips instance keys from an address: module.a["x"].aws_b.c[0] -> module.a.aws_b.c.
func configAddress(addr string) string {
	var b strings.Builder
	depth := 0
	inString := false
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"' && depth > 0:
			inString = true
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// moduleOf returns the module prefix of a configuration address: module.a.aws_b.c -> "module.a.".
func moduleOf(cfgAddr string) string {
	parts := strings.Split(cfgAddr, ".")
	var b strings.Builder
	for i := 0; i+1 < len(parts) && parts[i] == "module"; i += 2 {
		b.WriteString("module." + parts[i+1] + ".")
	}
	return b.String()
}

// region reads the Region of a resource's provider configuration: a constant, or a root variable's value.
func (pl *plan) region(key string, at evidence.Pos) *evidence.Value {
	providers := pl.doc.Get("configuration", "provider_config")
	conf := providers.Get(key)
	if conf.IsNull() {
		// Module resources name their provider "module.x:aws" in older plans; fall back to the root's.
		if i := strings.LastIndexByte(key, ':'); i >= 0 {
			conf = providers.Get(key[i+1:])
		}
	}
	if conf.IsNull() {
		conf = providers.Get("aws")
	}
	expr := conf.Get("expressions", "region")
	if v := expr.Get("constant_value"); v.K() == evidence.String {
		return v
	}
	for _, ref := range expr.Get("references").Items() {
		if name, ok := strings.CutPrefix(ref.Str(), "var."); ok {
			if v := pl.doc.Get("variables", name, "value"); v.K() == evidence.String {
				return v
			}
		}
	}
	return evidence.NewUnknown(at, "the plan does not record the provider's Region; it came from the environment")
}
