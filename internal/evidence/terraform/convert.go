package terraform

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// toValue converts an evaluated expression into an evidence value located at p. The references the expression
// made are kept on the top value; unknown parts carry the reason they are unknown.
func toValue(r result, p evidence.Pos) *evidence.Value {
	v := ctyToValue(r.val, p, r.why)
	if len(r.refs) > 0 {
		v.Refs = r.refs
	}
	return v
}

func ctyToValue(v cty.Value, p evidence.Pos, why string) *evidence.Value {
	v, _ = v.UnmarkDeep()
	if !v.IsKnown() {
		if why == "" {
			why = "it depends on values known only after apply"
		}
		return evidence.NewUnknown(p, why)
	}
	if v.IsNull() {
		return evidence.NewNull(p)
	}
	t := v.Type()
	switch {
	case t == cty.Bool:
		return evidence.NewBool(p, v.True())
	case t == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return evidence.NewNumber(p, f)
	case t == cty.String:
		return evidence.NewString(p, v.AsString())
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		out := evidence.NewList(p)
		for it := v.ElementIterator(); it.Next(); {
			_, x := it.Element()
			out.Append(ctyToValue(x, p, why))
		}
		return out
	case t.IsMapType() || t.IsObjectType():
		out := evidence.NewObject(p)
		var keys []string
		vals := map[string]cty.Value{}
		for it := v.ElementIterator(); it.Next(); {
			k, x := it.Element()
			keys = append(keys, k.AsString())
			vals[k.AsString()] = x
		}
		sort.Strings(keys)
		for _, k := range keys {
			out.Set(k, ctyToValue(vals[k], p, why))
		}
		return out
	}
	return evidence.NewUnknown(p, "it has a type walens does not read")
}

// convertToType applies a variable's type constraint, as Terraform does, so that "2" given for a number becomes 2.
// A value that does not convert is left as it is.
func convertToType(v cty.Value, typ hcl.Expression) cty.Value {
	if typ == nil || !v.IsWhollyKnown() {
		return v
	}
	ty, _, diags := typeexpr.TypeConstraintWithDefaults(typ)
	if diags.HasErrors() {
		return v
	}
	out, err := convert.Convert(v, ty)
	if err != nil {
		return v
	}
	return out
}

// rootVariables reads variable values for a root module, in Terraform's order of precedence: terraform.tfvars,
// terraform.tfvars.json, *.auto.tfvars(.json) in name order, the var files from the options, then single values
// from the options. Later sources win.
func (u *unit) rootVariables(cfg *config) map[string]result {
	out := map[string]result{}
	var files []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if p := filepath.Join(cfg.dir, n); fileExists(p) {
			files = append(files, p)
		}
	}
	auto, _ := filepath.Glob(filepath.Join(cfg.dir, "*.auto.tfvars"))
	autoJSON, _ := filepath.Glob(filepath.Join(cfg.dir, "*.auto.tfvars.json"))
	auto = append(auto, autoJSON...)
	sort.Strings(auto)
	files = append(files, auto...)
	for _, f := range files {
		u.readVarFile(f, cfg, out, true)
	}
	for _, f := range u.opts.VarFiles {
		u.readVarFile(f, cfg, out, false)
	}
	names := make([]string, 0, len(u.opts.Vars))
	for n := range u.opts.Vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		raw := u.opts.Vars[name]
		val := cty.StringVal(raw)
		if v := cfg.variables[name]; v != nil && v.typ != nil {
			if ty, _, d := typeexpr.TypeConstraintWithDefaults(v.typ); !d.HasErrors() && ty != cty.String && ty != cty.DynamicPseudoType {
				// Like terraform -var, values of complex types are written in HCL syntax.
				if expr, d := hclsyntax.ParseExpression([]byte(raw), "-var "+name, hcl.InitialPos); !d.HasErrors() {
					if x, d := expr.Value(nil); !d.HasErrors() {
						val = x
					}
				}
			}
		}
		out[name] = result{val: val}
	}
	return out
}

// readVarFile reads one variable file into out. own marks the root module's own files, where a value for an
// undeclared variable is worth a warning; var files given for a whole scan apply to roots that declare them.
func (u *unit) readVarFile(path string, cfg *config, out map[string]result, own bool) {
	data, p := evidence.ReadFile(path, u.opts)
	if p != nil {
		u.loaded.Problems = append(u.loaded.Problems, *p)
		return
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(path, ".json") {
		f, diags = u.parser.ParseJSON(data, path)
	} else {
		f, diags = u.parser.ParseHCL(data, path)
	}
	if diags.HasErrors() {
		u.diagnostics(diags, "invalid variable file")
		return
	}
	if !u.seenFile[path] {
		u.seenFile[path] = true
		u.loaded.Files = append(u.loaded.Files, path)
	}
	attrs, diags := f.Body.JustAttributes()
	if diags.HasErrors() {
		u.diagnostics(diags, "invalid variable file")
		return
	}
	for name, a := range attrs {
		// Variable files hold constants: no references and no functions, as in Terraform.
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() {
			u.diagnostics(diags, "invalid value in variable file")
			continue
		}
		if cfg.variables[name] == nil && own {
			u.problem(diag.Warning, a.Range.Filename, a.Range.Start.Line, a.Range.Start.Column,
				"variable file sets %q, which %s does not declare", name, cfg.dir)
		}
		out[name] = result{val: v}
	}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
