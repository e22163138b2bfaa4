package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// maxModuleDepth bounds module nesting, which in real configurations rarely passes four.
const maxModuleDepth = 16

// result is an evaluated expression: its value, the resources it read, and why it is unknown when it is.
type result struct {
	val  cty.Value
	refs []evidence.Ref
	why  string
}

// memo holds a lazily evaluated variable, local or output.
type memo struct {
	res  result
	busy bool
	done bool
}

// unit is the state of loading one root module.
type unit struct {
	*loader
	id     string
	root   string
	funcs  map[string]function.Function
	warned map[string]bool
}

// instance is one instance of a module: the root, or a module block (once per count index or for_each key).
type instance struct {
	u        *unit
	cfg      *config
	prefix   string // "" for the root, else "module.a." or "module.a[0]."
	parent   *instance
	call     *moduleCall
	callIter map[string]cty.Value // count/each of the module block, for evaluating its inputs in the parent
	depth    int
	rootVars map[string]result // root module only: values from .tfvars files and the command line

	vars      map[string]*memo
	locals    map[string]*memo
	outputs   map[string]*memo
	children  map[string][]*childInstance // module name -> instances
	providers map[string]*providerConf
}

type childInstance struct {
	key  cty.Value // cty.NilVal for a module without count or for_each
	inst *instance
}

type providerConf struct {
	region      *evidence.Value
	defaultTags map[string]string
}

// loadRoot loads a root module and every local module below it.
func loadRoot(ctx context.Context, dir string, opts *evidence.Options) *evidence.Loaded {
	l := &loader{opts: opts, parser: hclparse.NewParser(), configs: map[string]*config{}, loaded: &evidence.Loaded{}, seenFile: map[string]bool{}}
	u := &unit{loader: l, id: dir, root: dir, warned: map[string]bool{}}
	u.funcs = functions(dir, opts)
	cfg := l.config(dir)
	root := &instance{u: u, cfg: cfg, rootVars: u.rootVariables(cfg)}
	root.init()
	root.collect(ctx)
	return l.loaded
}

func (in *instance) init() {
	in.vars, in.locals, in.outputs = map[string]*memo{}, map[string]*memo{}, map[string]*memo{}
	in.providers = map[string]*providerConf{}
}

func (u *unit) warnOnce(key string, p evidence.Pos, format string, args ...any) {
	if u.warned[key] {
		return
	}
	u.warned[key] = true
	u.problem(diag.Warning, p.File, p.Line, p.Col, format, args...)
}

// collect turns the instance's resources into evidence resources, then does the same for its child modules.
func (in *instance) collect(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	for _, rb := range in.cfg.resources {
		in.expandResource(rb)
	}
	for _, name := range in.moduleNames() {
		for _, c := range in.childInstances(name) {
			c.inst.collect(ctx)
		}
	}
}

func (in *instance) moduleNames() []string {
	var out []string
	for _, m := range in.cfg.modules {
		out = append(out, m.name)
	}
	return out
}

// scope is where an expression is evaluated: a module instance plus iteration variables (count, each, and the
// iterators of dynamic blocks).
type scope struct {
	in   *instance
	iter map[string]cty.Value
}

func (s scope) with(name string, v cty.Value) scope {
	iter := make(map[string]cty.Value, len(s.iter)+1)
	for k, x := range s.iter {
		iter[k] = x
	}
	iter[name] = v
	return scope{in: s.in, iter: iter}
}

// eval evaluates an expression, building only the variables it refers to.
func (s scope) eval(expr hcl.Expression) result {
	in := s.in
	traversals := expr.Variables()
	if len(traversals) == 0 {
		// Most attributes are literals: evaluate them without building variables at all.
		val, diags := expr.Value(&hcl.EvalContext{Functions: in.u.funcs})
		if !diags.HasErrors() {
			r := result{val: val}
			if !val.IsWhollyKnown() {
				r.why = "it depends on values known only after apply"
			}
			return r
		}
	}
	vars := map[string]cty.Value{}
	objects := map[string]map[string]cty.Value{}
	dataVals := map[string]map[string]cty.Value{}
	var refs []evidence.Ref
	var whys []string
	addObj := func(root, name string, r result) {
		if objects[root] == nil {
			objects[root] = map[string]cty.Value{}
		}
		objects[root][name] = r.val
		refs = append(refs, r.refs...)
		if !r.val.IsWhollyKnown() && r.why != "" {
			whys = append(whys, r.why)
		}
	}
	for _, t := range traversals {
		root := t.RootName()
		if v, ok := s.iter[root]; ok {
			vars[root] = v
			if !v.IsWhollyKnown() {
				whys = append(whys, root+" is not known statically")
			}
			continue
		}
		name := attrName(t, 1)
		switch root {
		case "var":
			if name != "" {
				addObj("var", name, in.variable(name))
			}
		case "local":
			if name != "" {
				addObj("local", name, in.local(name))
			}
		case "module":
			if name != "" {
				addObj("module", name, in.moduleValue(name))
			}
		case "count", "each", "self":
			vars[root] = cty.DynamicVal
			whys = append(whys, root+" is not available here")
		case "path":
			// As in Terraform: path.module is relative to the root module, where relative file paths start.
			mod, err := filepath.Rel(in.u.root, in.cfg.dir)
			if err != nil {
				mod = in.cfg.dir
			}
			cwd, err := filepath.Abs(in.u.root)
			if err != nil {
				cwd = in.u.root
			}
			vars["path"] = cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(mod), "root": cty.StringVal("."), "cwd": cty.StringVal(cwd)})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "data":
			typ, dn := name, attrName(t, 2)
			if typ == "" || dn == "" {
				continue
			}
			if dataVals[typ] == nil {
				dataVals[typ] = map[string]cty.Value{}
			}
			v := in.dataSource(typ, dn)
			dataVals[typ][dn] = v
			if !v.IsWhollyKnown() {
				refs = append(refs, evidence.Ref{Address: in.prefix + "data." + typ + "." + dn, Attr: attrName(t, 3)})
				whys = append(whys, fmt.Sprintf("it is read from data.%s.%s when Terraform runs", typ, dn))
			}
		default:
			// A resource reference: aws_kms_key.main.arn. Its attributes are known only after apply.
			vars[root] = cty.DynamicVal
			if name != "" {
				ref := evidence.Ref{Address: in.prefix + root + "." + name, Attr: attrName(t, 2)}
				if len(t) > 2 {
					if ix, ok := t[2].(hcl.TraverseIndex); ok {
						// aws_iam_role.agent["a"].arn names one instance.
						if suffix, ok := instanceSuffix(ix.Key); ok {
							ref = evidence.Ref{Address: ref.Address + suffix, Attr: attrName(t, 3)}
						}
					}
				}
				refs = append(refs, ref)
				whys = append(whys, fmt.Sprintf("it comes from %s.%s, known only after apply", root, name))
			}
		}
	}
	for root, members := range objects {
		vars[root] = cty.ObjectVal(members)
	}
	if len(dataVals) > 0 {
		types := map[string]cty.Value{}
		for typ, byName := range dataVals {
			types[typ] = cty.ObjectVal(byName)
		}
		vars["data"] = cty.ObjectVal(types)
	}
	refs = s.instanceRefs(expr, refs)
	ctx := &hcl.EvalContext{Variables: vars, Functions: in.u.funcs}
	val, diags := expr.Value(ctx)
	if diags.HasErrors() {
		why := "it could not be evaluated"
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				why = "it could not be evaluated: " + strings.TrimSuffix(d.Summary, ".")
				if d.Detail != "" {
					why += " (" + strings.TrimSuffix(d.Detail, ".") + ")"
				}
				break
			}
		}
		if len(whys) > 0 {
			why = whys[0]
		}
		return result{val: cty.DynamicVal, refs: refs, why: why}
	}
	r := result{val: val, refs: refs}
	if !val.IsWhollyKnown() {
		r.why = "it depends on values known only after apply"
		if len(whys) > 0 {
			r.why = whys[0]
		}
	}
	return r
}

// instanceRefs narrows references to counted or for_each resources down to the instance an index expression
// names, when the key can be evaluated: aws_iam_role.agent[each.key] in the instance for "a" refers to
// aws_iam_role.agent["a"], not to whichever instance comes first.
func (s scope) instanceRefs(expr hcl.Expression, refs []evidence.Ref) []evidence.Ref {
	node, ok := expr.(hclsyntax.Node)
	if !ok || len(refs) == 0 {
		return refs
	}
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		ix, ok := n.(*hclsyntax.IndexExpr)
		if !ok {
			return nil
		}
		st, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		if !ok || len(st.Traversal) != 2 {
			return nil
		}
		base := s.in.prefix + st.Traversal.RootName() + "." + attrName(st.Traversal, 1)
		k := s.eval(ix.Key)
		suffix, ok := instanceSuffix(k.val)
		if !ok {
			return nil
		}
		for i := range refs {
			if refs[i].Address == base {
				refs[i].Address = base + suffix
			}
		}
		return nil
	})
	return refs
}

// instanceSuffix formats an instance key as Terraform writes it in addresses: [0] or ["key"].
func instanceSuffix(k cty.Value) (string, bool) {
	if !k.IsKnown() || k.IsNull() {
		return "", false
	}
	switch k.Type() {
	case cty.String:
		return fmt.Sprintf("[%q]", k.AsString()), true
	case cty.Number:
		if n, ok := knownInt(k); ok {
			return fmt.Sprintf("[%d]", n), true
		}
	}
	return "", false
}

// dataSource returns what walens knows of a data source: the Region and partition data sources take their values
// from the provider configuration; every other data source is read when Terraform runs, so it is unknown.
func (in *instance) dataSource(typ, name string) cty.Value {
	if typ != "aws_region" && typ != "aws_partition" {
		return cty.DynamicVal
	}
	ref := "aws"
	for _, rb := range in.cfg.resources {
		if rb.mode == "data" && rb.typ == typ && rb.name == name {
			ref = providerRef(metaAttributes(rb.block.Body)["provider"])
		}
	}
	region := in.provider(ref).region
	if region.K() != evidence.String {
		return cty.DynamicVal
	}
	r := region.Str()
	partition, suffix := "aws", "amazonaws.com"
	switch {
	case strings.HasPrefix(r, "cn-"):
		partition, suffix = "aws-cn", "amazonaws.com.cn"
	case strings.HasPrefix(r, "us-gov-"):
		partition = "aws-us-gov"
	}
	if typ == "aws_partition" {
		return cty.ObjectVal(map[string]cty.Value{"partition": cty.StringVal(partition), "dns_suffix": cty.StringVal(suffix),
			"id": cty.StringVal(partition), "reverse_dns_prefix": cty.StringVal("com.amazonaws")})
	}
	return cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(r), "region": cty.StringVal(r), "id": cty.StringVal(r),
		"endpoint": cty.StringVal("ec2." + r + "." + suffix)})
}

// attrName returns the name of step i of a traversal (an attribute step), or "".
func attrName(t hcl.Traversal, i int) string {
	if i >= len(t) {
		return ""
	}
	switch s := t[i].(type) {
	case hcl.TraverseAttr:
		return s.Name
	case hcl.TraverseRoot:
		return s.Name
	}
	return ""
}

// variable returns the value of an input variable of the instance.
func (in *instance) variable(name string) result {
	return in.lazy(in.vars, name, func() result {
		v := in.cfg.variables[name]
		if v == nil {
			return result{val: cty.DynamicVal, why: fmt.Sprintf("var.%s is not declared", name)}
		}
		var r result
		set := false
		if in.call == nil {
			if rv, ok := in.rootVars[name]; ok {
				r, set = rv, true
			}
		} else if a := in.call.attrs[name]; a != nil {
			r, set = scope{in: in.parent, iter: in.callIter}.eval(a.Expr), true
		}
		if !set {
			if v.def == nil {
				return result{val: cty.DynamicVal, why: fmt.Sprintf("var.%s has no default and no value in a .tfvars file", name)}
			}
			r = scope{in: in}.eval(v.def)
		}
		r.val = convertToType(r.val, v.typ)
		return r
	})
}

func (in *instance) local(name string) result {
	return in.lazy(in.locals, name, func() result {
		a := in.cfg.locals[name]
		if a == nil {
			return result{val: cty.DynamicVal, why: fmt.Sprintf("local.%s is not declared", name)}
		}
		return scope{in: in}.eval(a.Expr)
	})
}

// lazy evaluates a named value once, treating a cycle as unknown rather than recursing forever.
func (in *instance) lazy(cache map[string]*memo, name string, f func() result) result {
	m := cache[name]
	if m == nil {
		m = &memo{}
		cache[name] = m
	}
	switch {
	case m.done:
		return m.res
	case m.busy:
		return result{val: cty.DynamicVal, why: fmt.Sprintf("%s refers to itself", name)}
	}
	m.busy = true
	m.res = f()
	m.busy, m.done = false, true
	return m.res
}

// moduleValue returns module.NAME: an object of the child's outputs, or a tuple or map of them when the module
// block has count or for_each.
func (in *instance) moduleValue(name string) result {
	kids := in.childInstances(name)
	if kids == nil {
		return result{val: cty.DynamicVal, why: fmt.Sprintf("module.%s is not a local module walens can read", name)}
	}
	var refs []evidence.Ref
	var why string
	obj := func(c *instance) cty.Value {
		outs := map[string]cty.Value{}
		for oname := range c.cfg.outputs {
			r := c.output(oname)
			outs[oname] = r.val
			refs = append(refs, r.refs...)
			if why == "" && !r.val.IsWhollyKnown() {
				why = r.why
			}
		}
		return cty.ObjectVal(outs)
	}
	if len(kids) == 1 && kids[0].key == cty.NilVal {
		return result{val: obj(kids[0].inst), refs: refs, why: why}
	}
	if len(kids) == 1 && !kids[0].key.IsKnown() {
		return result{val: cty.DynamicVal, refs: refs, why: fmt.Sprintf("module.%s has a count or for_each that is not known statically", name)}
	}
	if kids[0].key.Type() == cty.Number {
		var items []cty.Value
		for _, k := range kids {
			items = append(items, obj(k.inst))
		}
		return result{val: cty.TupleVal(items), refs: refs, why: why}
	}
	m := map[string]cty.Value{}
	for _, k := range kids {
		m[k.key.AsString()] = obj(k.inst)
	}
	return result{val: cty.ObjectVal(m), refs: refs, why: why}
}

func (in *instance) output(name string) result {
	return in.lazy(in.outputs, name, func() result {
		a := in.cfg.outputs[name]
		if a == nil {
			return result{val: cty.DynamicVal, why: fmt.Sprintf("output %s is not declared", name)}
		}
		return scope{in: in}.eval(a.Expr)
	})
}

// childInstances returns the instances of a module block, creating them on first use.
func (in *instance) childInstances(name string) []*childInstance {
	if in.children == nil {
		in.children = map[string][]*childInstance{}
	}
	if kids, ok := in.children[name]; ok {
		return kids
	}
	in.children[name] = nil // a module whose inputs refer to its own outputs sees no instances, not a loop
	var call *moduleCall
	for _, m := range in.cfg.modules {
		if m.name == name {
			call = m
			break
		}
	}
	if call == nil {
		return nil
	}
	u := in.u
	if !call.isLocal {
		src := call.source
		if src == "" {
			src = "(not a literal string)"
		}
		u.warnOnce("module:"+call.srcPos.String(), call.srcPos,
			"module %q: source %s is not a local path; walens does not download modules, so its resources are not scanned", name, src)
		return nil
	}
	dir := filepath.Clean(filepath.Join(in.cfg.dir, call.source))
	for p := in; p != nil; p = p.parent {
		if p.cfg.dir == dir {
			u.warnOnce("cycle:"+call.srcPos.String(), call.srcPos, "module %q calls %s, which is already being evaluated; not following it again", name, dir)
			return nil
		}
	}
	if in.depth+1 > maxModuleDepth {
		u.warnOnce("depth:"+call.srcPos.String(), call.srcPos, "module %q is nested more than %d deep; not following it", name, maxModuleDepth)
		return nil
	}
	cfg := u.config(dir)
	var kids []*childInstance
	for _, x := range expand(scope{in: in}, call.attrs) {
		child := &instance{u: u, cfg: cfg, parent: in, call: call, callIter: x.iter, depth: in.depth + 1,
			prefix: in.prefix + "module." + name + x.suffix + "."}
		child.init()
		kids = append(kids, &childInstance{key: x.key, inst: child})
	}
	in.children[name] = kids
	return kids
}

// expansion is one instance of a block with count or for_each.
type expansion struct {
	key    cty.Value // cty.NilVal without count or for_each; unknown when they are not known statically
	suffix string    // [0], ["key"], or "" for a single instance
	iter   map[string]cty.Value
	note   string
}

// expand evaluates count or for_each. An unknown count or for_each gives one instance whose index or key is
// unknown, so the block is still examined, with a note.
func expand(s scope, attrs hcl.Attributes) []expansion {
	if a := attrs["count"]; a != nil {
		r := s.eval(a.Expr)
		n, ok := knownInt(r.val)
		if !ok {
			return []expansion{{key: cty.UnknownVal(cty.Number), suffix: "[?]", note: "count is not known statically; " + r.why,
				iter: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})}}}
		}
		var out []expansion
		for i := 0; i < n; i++ {
			out = append(out, expansion{key: cty.NumberIntVal(int64(i)), suffix: fmt.Sprintf("[%d]", i),
				iter: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})}})
		}
		return out
	}
	if a := attrs["for_each"]; a != nil {
		r := s.eval(a.Expr)
		v := r.val
		if !iterable(v) || !(v.Type().IsMapType() || v.Type().IsObjectType() || v.Type().IsSetType()) {
			why := r.why
			if why == "" {
				why = "it is not a map or a set of strings"
			}
			return []expansion{{key: cty.UnknownVal(cty.String), suffix: "[?]", note: "for_each is not known statically; " + why,
				iter: map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal})}}}
		}
		var out []expansion
		for it := v.ElementIterator(); it.Next(); {
			k, val := it.Element()
			if v.Type().IsSetType() {
				k = val
			}
			if k.Type() != cty.String {
				continue
			}
			out = append(out, expansion{key: k, suffix: fmt.Sprintf("[%q]", k.AsString()),
				iter: map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": val})}})
		}
		return out
	}
	return []expansion{{key: cty.NilVal}}
}

// iterable reports whether for_each can expand over v: its elements are countable (and, for a set, known, since
// a set's members are its keys), even if the values of a list's or map's elements are not.
func iterable(v cty.Value) bool {
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return false
	}
	return !v.Type().IsSetType() || v.IsWhollyKnown()
}

func knownInt(v cty.Value) (int, bool) {
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return 0, false
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if acc != 0 || n < 0 || n > 10000 {
		return 0, false
	}
	return int(n), true
}

// metaArgs are resource arguments that configure Terraform rather than the resource.
var metaArgs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true, "lifecycle": true,
	"provisioner": true, "connection": true}

// expandResource evaluates every instance of a resource or data block.
func (in *instance) expandResource(rb *resourceBlock) {
	attrs := metaAttributes(rb.block.Body)
	kind := ""
	if rb.mode == "data" {
		kind = "data."
	}
	for _, x := range expand(scope{in: in}, attrs) {
		s := scope{in: in, iter: x.iter}
		body := s.body(rb.block.Body, pos(rb.block.DefRange))
		r := &evidence.Resource{
			Type:    rb.typ,
			Address: in.prefix + kind + rb.typ + "." + rb.name + x.suffix,
			Unit:    in.u.id,
			Source:  "terraform",
			Pos:     pos(rb.block.DefRange),
			Data:    rb.mode == "data",
			Attrs:   body,
			Note:    x.note,
		}
		if strings.HasPrefix(rb.typ, "aws_") {
			conf := in.provider(providerRef(attrs["provider"]))
			r.Region = conf.region
			if reg := body.Get("region"); reg.IsSet() {
				r.Region = reg // the AWS provider's per-resource region argument (provider v6)
			}
			r.DefaultTags = conf.defaultTags
		}
		in.u.loaded.Resources = append(in.u.loaded.Resources, r)
	}
}

// metaAttributes returns the top-level attributes of a block body, whichever the syntax.
func metaAttributes(body hcl.Body) hcl.Attributes {
	if sb, ok := body.(*hclsyntax.Body); ok {
		out := hcl.Attributes{}
		for name, a := range sb.Attributes {
			out[name] = a.AsHCLAttribute()
		}
		return out
	}
	attrs, _ := body.JustAttributes()
	return attrs
}

// providerRef reads a resource's provider argument: aws.west -> "aws.west"; absent -> "aws".
func providerRef(a *hcl.Attribute) string {
	if a == nil {
		return "aws"
	}
	t, diags := hcl.AbsTraversalForExpr(a.Expr)
	if diags.HasErrors() || len(t) == 0 {
		return "aws"
	}
	name := t.RootName()
	if alias := attrName(t, 1); alias != "" {
		return name + "." + alias
	}
	return name
}

// provider returns the configuration of an AWS provider as the instance sees it: its own provider block, one
// passed down through the module block's providers map, or the parent's default.
func (in *instance) provider(ref string) *providerConf {
	if c, ok := in.providers[ref]; ok {
		return c
	}
	conf := in.findProvider(ref)
	in.providers[ref] = conf
	return conf
}

func (in *instance) findProvider(ref string) *providerConf {
	name, alias, _ := strings.Cut(ref, ".")
	for _, p := range in.cfg.providers {
		if p.name == name && p.alias == alias {
			return in.providerFromBlock(p)
		}
	}
	if in.parent != nil {
		if a := in.call.attrs["providers"]; a != nil {
			if m, ok := providerMap(a.Expr)[ref]; ok {
				return in.parent.provider(m)
			}
		}
		if alias == "" {
			return in.parent.provider(ref)
		}
	}
	return &providerConf{region: evidence.NewUnknown(evidence.Pos{}, fmt.Sprintf("no provider %q block in the code sets a Region; it comes from the environment when Terraform runs", ref))}
}

// providerMap reads a module block's providers = { aws = aws.west } argument.
func providerMap(expr hcl.Expression) map[string]string {
	out := map[string]string{}
	pairs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		return out
	}
	for _, p := range pairs {
		k, dk := hcl.AbsTraversalForExpr(p.Key)
		v, dv := hcl.AbsTraversalForExpr(p.Value)
		if dk.HasErrors() || dv.HasErrors() {
			continue
		}
		key := k.RootName()
		if a := attrName(k, 1); a != "" {
			key += "." + a
		}
		val := v.RootName()
		if a := attrName(v, 1); a != "" {
			val += "." + a
		}
		out[key] = val
	}
	return out
}

func (in *instance) providerFromBlock(p *providerBlock) *providerConf {
	s := scope{in: in}
	body := s.body(p.block.Body, pos(p.block.DefRange))
	conf := &providerConf{region: body.Get("region")}
	if conf.region.IsNull() {
		conf.region = evidence.NewUnknown(pos(p.block.DefRange), fmt.Sprintf("provider %q sets no region; it comes from the environment when Terraform runs", p.name))
	}
	tags := body.Get("default_tags", "tags")
	if tags.K() == evidence.Object {
		conf.defaultTags = map[string]string{}
		for _, k := range tags.Keys() {
			conf.defaultTags[k] = tags.Get(k).Str()
		}
	}
	return conf
}

// body converts a block body into an object value: attributes by name, nested blocks as lists under their type,
// dynamic blocks expanded where their for_each is known.
func (s scope) body(b hcl.Body, p evidence.Pos) *evidence.Value {
	obj := evidence.NewObject(p)
	sb, ok := b.(*hclsyntax.Body)
	if !ok {
		// JSON syntax: nested blocks are plain objects, which evaluate to object values.
		attrs, _ := b.JustAttributes()
		for _, name := range sortedAttrNames(attrs) {
			if metaArgs[name] || name == "dynamic" {
				continue
			}
			a := attrs[name]
			obj.Set(name, toValue(s.eval(a.Expr), pos(a.Range)))
		}
		return obj
	}
	blocks := map[string]*evidence.Value{} // lists built from nested blocks, by block type
	attrs := make([]*hclsyntax.Attribute, 0, len(sb.Attributes))
	for _, a := range sb.Attributes {
		if !metaArgs[a.Name] {
			attrs = append(attrs, a)
		}
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].SrcRange.Start.Byte < attrs[j].SrcRange.Start.Byte })
	for _, a := range attrs {
		obj.Set(a.Name, s.attr(a.Expr, pos(a.SrcRange)))
	}
	for _, blk := range sb.Blocks {
		switch {
		case metaArgs[blk.Type]:
		case blk.Type == "dynamic" && len(blk.Labels) == 1:
			s.dynamic(obj, blocks, blk)
		default:
			appendBlock(obj, blocks, blk.Type, s.body(blk.Body, pos(blk.TypeRange)))
		}
	}
	return obj
}

// attr evaluates an attribute. A jsonencode() call whose result is unknown because some values inside are (an IAM
// policy naming a key's ARN, a pipeline definition naming a role) is read as the document it encodes, with those
// values unknown: the structure is what rules read, and throwing it away would leave them nothing.
func (s scope) attr(expr hcl.Expression, p evidence.Pos) *evidence.Value {
	r := s.eval(expr)
	if !r.val.IsWhollyKnown() {
		switch e := expr.(type) {
		case *hclsyntax.FunctionCallExpr:
			if e.Name == "jsonencode" && len(e.Args) == 1 {
				if _, isObj := e.Args[0].(*hclsyntax.ObjectConsExpr); isObj {
					return s.structural(e.Args[0])
				}
			}
		case *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr:
			// Attributes written as objects or lists of objects (guardrail_configuration = [{...}]): members keep
			// the references that say what they point at.
			return s.structural(expr)
		}
	}
	return toValue(r, p)
}

// structural evaluates object and tuple constructors member by member, so that each member keeps its own position,
// references and reason for being unknown.
func (s scope) structural(expr hcl.Expression) *evidence.Value {
	p := pos(expr.Range())
	switch e := expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		obj := evidence.NewObject(p)
		for _, item := range e.Items {
			k := s.eval(item.KeyExpr)
			if !k.val.IsKnown() || k.val.IsNull() || k.val.Type() != cty.String {
				continue // a computed key walens cannot name
			}
			obj.Set(k.val.AsString(), s.structural(item.ValueExpr))
		}
		return obj
	case *hclsyntax.TupleConsExpr:
		list := evidence.NewList(p)
		for _, x := range e.Exprs {
			list.Append(s.structural(x))
		}
		return list
	}
	return toValue(s.eval(expr), p)
}

// dynamic expands a dynamic block into the blocks it generates. When for_each is unknown, the block type gets one
// unknown member, so rules see "something may be here" instead of nothing.
func (s scope) dynamic(obj *evidence.Value, blocks map[string]*evidence.Value, blk *hclsyntax.Block) {
	label := blk.Labels[0]
	p := pos(blk.TypeRange)
	fe := blk.Body.Attributes["for_each"]
	var content *hclsyntax.Block
	for _, c := range blk.Body.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	if fe == nil || content == nil {
		appendBlock(obj, blocks, label, evidence.NewUnknown(p, fmt.Sprintf("dynamic %q block has no for_each or content", label)))
		return
	}
	iterator := label
	if it := blk.Body.Attributes["iterator"]; it != nil {
		if t, d := hcl.AbsTraversalForExpr(it.Expr); !d.HasErrors() {
			iterator = t.RootName()
		}
	}
	r := s.eval(fe.Expr)
	v := r.val
	if !iterable(v) {
		why := r.why
		if why == "" {
			why = "it is not a collection"
		}
		u := evidence.NewUnknown(p, fmt.Sprintf("dynamic %q block: for_each is not known statically (%s)", label, why))
		u.Refs = r.refs
		appendBlock(obj, blocks, label, u)
		return
	}
	for it := v.ElementIterator(); it.Next(); {
		k, val := it.Element()
		if v.Type().IsSetType() {
			k = val
		}
		child := s.with(iterator, cty.ObjectVal(map[string]cty.Value{"key": k, "value": val}))
		appendBlock(obj, blocks, label, child.body(content.Body, pos(content.TypeRange)))
	}
	// An empty for_each generates no blocks: the block type stays absent, as Terraform sees it.
}

// appendBlock adds a nested block to the list of blocks of its type, creating the list on the first one.
func appendBlock(obj *evidence.Value, blocks map[string]*evidence.Value, name string, item *evidence.Value) {
	if list := blocks[name]; list != nil {
		list.Append(item)
		return
	}
	list := evidence.NewList(item.Pos, item)
	blocks[name] = list
	obj.Set(name, list)
}

func sortedAttrNames(attrs hcl.Attributes) []string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := attrs[names[i]].Range.Start.Byte, attrs[names[j]].Range.Start.Byte
		if a != b {
			return a < b
		}
		return names[i] < names[j]
	})
	return names
}
