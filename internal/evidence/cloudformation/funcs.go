package cloudformation

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

// newString is a string built by an intrinsic function, within the size limits.
func (e *evaluator) newString(p evidence.Pos, s string, refs []evidence.Ref) *evidence.Value {
	if len(s) > maxStringLen {
		return e.tooLong(p)
	}
	e.built += len(s)
	if e.built > maxBuiltBytes {
		e.stopped = true
		e.rep.fail(p, "the strings this template builds exceed %d bytes in all; walens stopped, and the values it did not reach are unknown", maxBuiltBytes)
		return evidence.NewUnknown(p, stoppedWhy)
	}
	v := evidence.NewString(p, s)
	v.Refs = refs
	return v
}

func (e *evaluator) tooLong(p evidence.Pos) *evidence.Value {
	e.rep.fail(p, "this function builds a string longer than %d bytes; walens does not build it", maxStringLen)
	return evidence.NewUnknown(p, "it is a string too long for walens to build")
}

// text is the string form of a value that goes into a built string: ok is false for lists and objects.
func text(v *evidence.Value) (string, bool) {
	switch v.K() {
	case evidence.String, evidence.Number, evidence.Bool, evidence.Null:
		return v.Str(), true
	}
	return "", false
}

// sub evaluates Fn::Sub: a string with ${Name} placeholders for parameters, pseudo parameters, resources
// (${Res} as Ref, ${Res.Attr} as Fn::GetAtt) and the variables of its optional map, and ${!Text} for a literal
// ${Text}. Any unknown part makes the result unknown, still carrying the references of every part.
func (e *evaluator) sub(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	const shape = "a string, or [string, {variable: value, ...}]"
	var tmpl string
	vars := map[string]*evidence.Value{}
	switch arg.K() {
	case evidence.String:
		tmpl = arg.Str()
	case evidence.List:
		items := arg.Items()
		if len(items) != 2 || items[0].K() != evidence.String || items[1].K() != evidence.Object {
			return e.bad(p, "Fn::Sub", shape)
		}
		tmpl = items[0].Str()
		for _, k := range items[1].Keys() {
			x := e.eval(items[1].Get(k), depth+1)
			if x == nil {
				x = evidence.NewNull(p)
			}
			vars[k] = x
		}
	default:
		return e.bad(p, "Fn::Sub", shape)
	}
	var b strings.Builder
	var refs []evidence.Ref
	why := ""
	for rest := tmpl; ; {
		i := strings.Index(rest, "${")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		j := strings.IndexByte(rest[i+2:], '}')
		if j < 0 {
			e.rep.warn(p, "Fn::Sub: the ${ in %q has no closing }", abbreviate(rest[i:]))
			return unknownWith(p, "its Fn::Sub string has a ${ without a closing }", refs)
		}
		name := rest[i+2 : i+2+j]
		rest = rest[i+3+j:]
		if lit, ok := strings.CutPrefix(name, "!"); ok {
			b.WriteString("${" + lit + "}")
			continue
		}
		v := e.subVar(strings.TrimSpace(name), vars, p, depth)
		refs = appendRefs(refs, v.Refs...)
		if v.IsUnknown() {
			if why == "" {
				why = v.Reason()
			}
			continue
		}
		s, ok := text(v)
		if !ok {
			e.rep.warn(p, "Fn::Sub: ${%s} is a %s, not a string", name, v.K())
			if why == "" {
				why = fmt.Sprintf("its Fn::Sub puts a %s where a string belongs", v.K())
			}
			continue
		}
		b.WriteString(s)
		if b.Len() > maxStringLen {
			return e.tooLong(p)
		}
	}
	if why != "" {
		return unknownWith(p, why, refs)
	}
	return e.newString(p, b.String(), refs)
}

// subVar resolves a ${Name} of Fn::Sub.
func (e *evaluator) subVar(name string, vars map[string]*evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	if v, ok := vars[name]; ok {
		return v
	}
	if v, ok := e.name(name, p, depth); ok {
		if v == nil {
			return evidence.NewNull(p) // AWS::NoValue
		}
		return v
	}
	if id, attr, ok := strings.Cut(name, "."); ok && attr != "" && e.resources[id] != nil {
		return e.resourceValue(id, attr, p, depth)
	}
	e.rep.warn(p, "Fn::Sub: ${%s} names neither a parameter, a resource nor a variable of the Fn::Sub", name)
	return evidence.NewUnknown(p, fmt.Sprintf("its Fn::Sub names ${%s}, which the template does not declare", name))
}

// abbreviate shortens text quoted in a message.
func abbreviate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// listArgs returns the items of a function's argument list when it has n of them.
func listArgs(arg *evidence.Value, n int) ([]*evidence.Value, bool) {
	if arg.K() != evidence.List || len(arg.Items()) != n {
		return nil, false
	}
	return arg.Items(), true
}

func (e *evaluator) join(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	const shape = "[delimiter, [value, ...]]"
	items, ok := listArgs(arg, 2)
	if !ok {
		return e.bad(p, "Fn::Join", shape)
	}
	d := e.eval(items[0], depth+1)
	if d.IsUnknown() {
		return unknownWith(p, d.Reason(), d.Refs)
	}
	delim, ok := text(d)
	if !ok {
		return e.bad(p, "Fn::Join", shape)
	}
	list := e.eval(items[1], depth+1)
	if list.IsUnknown() {
		return unknownWith(p, list.Reason(), list.Refs)
	}
	if list.K() != evidence.List {
		return e.bad(p, "Fn::Join", shape)
	}
	refs := appendRefs(nil, list.Refs...)
	parts := make([]string, 0, len(list.Items()))
	why, size := "", 0
	for _, x := range list.Items() {
		refs = appendRefs(refs, x.Refs...)
		if x.IsUnknown() {
			if why == "" {
				why = x.Reason()
			}
			continue
		}
		s, ok := text(x)
		if !ok {
			return e.bad(x.Pos, "Fn::Join", "a list of strings to join")
		}
		size += len(s) + len(delim)
		if size > maxStringLen {
			return e.tooLong(p)
		}
		parts = append(parts, s)
	}
	if why != "" {
		return unknownWith(p, why, refs)
	}
	return e.newString(p, strings.Join(parts, delim), refs)
}

func (e *evaluator) selectFn(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	const shape = "[index, [value, ...]]"
	items, ok := listArgs(arg, 2)
	if !ok {
		return e.bad(p, "Fn::Select", shape)
	}
	idx := e.eval(items[0], depth+1)
	list := e.eval(items[1], depth+1)
	if idx.IsUnknown() {
		return unknownWith(p, idx.Reason(), appendRefs(idx.Refs, list.Refs...))
	}
	n, ok := idx.Num()
	if !ok || n < 0 || n != float64(int64(n)) {
		return e.bad(p, "Fn::Select", "an index that is a whole number, 0 or more")
	}
	if list.IsUnknown() {
		return unknownWith(p, list.Reason(), list.Refs)
	}
	if list.K() != evidence.List {
		return e.bad(p, "Fn::Select", shape)
	}
	if n >= float64(len(list.Items())) {
		e.rep.warn(p, "Fn::Select: index %v is out of range for a list of %d", n, len(list.Items()))
		return unknownWith(p, "its Fn::Select index is out of range", list.Refs)
	}
	return list.Items()[int(n)]
}

func (e *evaluator) split(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	const shape = "[delimiter, string]"
	items, ok := listArgs(arg, 2)
	if !ok {
		return e.bad(p, "Fn::Split", shape)
	}
	d := e.eval(items[0], depth+1)
	s := e.eval(items[1], depth+1)
	if d.IsUnknown() {
		return unknownWith(p, d.Reason(), appendRefs(d.Refs, s.Refs...))
	}
	if d.K() != evidence.String || d.Str() == "" {
		return e.bad(p, "Fn::Split", "a delimiter that is a non-empty string")
	}
	if s.IsUnknown() {
		return unknownWith(p, s.Reason(), s.Refs)
	}
	str, ok := text(s)
	if !ok {
		return e.bad(p, "Fn::Split", shape)
	}
	return e.splitString(p, str, d.Str(), s.Refs)
}

// splitString builds the list Fn::Split and list parameters make, within the length limit.
func (e *evaluator) splitString(p evidence.Pos, s, sep string, refs []evidence.Ref) *evidence.Value {
	parts := strings.SplitN(s, sep, maxListLen+1)
	if len(parts) > maxListLen {
		e.rep.fail(p, "splitting this string makes more than %d items; walens does not build the list", maxListLen)
		return unknownWith(p, "it is a list too long for walens to build", refs)
	}
	e.steps += len(parts)
	out := evidence.NewList(p)
	out.Refs = refs
	for _, part := range parts {
		x := evidence.NewString(p, part)
		x.Refs = refs
		out.Append(x)
	}
	return out
}

// findInMap evaluates Fn::FindInMap [MapName, TopLevelKey, SecondLevelKey], with the optional
// {DefaultValue: ...} of the AWS::LanguageExtensions transform.
func (e *evaluator) findInMap(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	const shape = "[MapName, TopLevelKey, SecondLevelKey]"
	items := arg.Items()
	if arg.K() != evidence.List || len(items) < 3 || len(items) > 4 {
		return e.bad(p, "Fn::FindInMap", shape)
	}
	keys := make([]string, 3)
	for i := range keys {
		k := e.eval(items[i], depth+1)
		if k.IsUnknown() {
			return unknownWith(p, "it is looked up in Mappings with a key that is not known statically: "+k.Reason(), k.Refs)
		}
		s, ok := text(k)
		if !ok || k.IsNull() {
			return e.bad(p, "Fn::FindInMap", shape)
		}
		keys[i] = s
	}
	if v := e.mappings.Get(keys...); v != nil {
		return e.relocate(v, p, depth+1)
	}
	if len(items) == 4 {
		if def := items[3].Get("DefaultValue"); items[3].K() == evidence.Object && def != nil {
			return e.eval(def, depth+1)
		}
	}
	path := strings.Join(keys, ".")
	e.rep.warn(p, "Fn::FindInMap: Mappings has no %s", path)
	return evidence.NewUnknown(p, fmt.Sprintf("Mappings has no %s", path))
}

// ifFn evaluates Fn::If [condition, then, else]. On a condition not known statically the value is unknown, unless
// both branches give the same value; it carries the references of both branches when both set something.
func (e *evaluator) ifFn(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	items, ok := listArgs(arg, 3)
	if !ok || items[0].K() != evidence.String {
		return e.bad(p, "Fn::If", "[condition name, value if true, value if false]")
	}
	name := items[0].Str()
	t, why := e.condition(name, items[0].Pos, depth+1)
	switch t {
	case isTrue:
		return e.eval(items[1], depth+1)
	case isFalse:
		return e.eval(items[2], depth+1)
	}
	a, b := e.eval(items[1], depth+1), e.eval(items[2], depth+1)
	if a != nil && b != nil {
		_, ka := fullyKnown(a)
		_, kb := fullyKnown(b)
		if ka && kb && sameValue(a, b) {
			return a
		}
	}
	u := evidence.NewUnknown(p, fmt.Sprintf("it depends on condition %s, which is not known statically (%s)", name, why))
	if a != nil && b != nil && !a.IsNull() && !b.IsNull() {
		// Set either way, to something that depends on these resources.
		u.Refs = appendRefs(allRefs(a), allRefs(b)...)
	}
	return u
}

func (e *evaluator) base64(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	v := e.eval(arg, depth+1)
	if v.IsUnknown() {
		return unknownWith(p, v.Reason(), v.Refs)
	}
	s, ok := text(v)
	if !ok {
		return e.bad(p, "Fn::Base64", "a string")
	}
	if base64.StdEncoding.EncodedLen(len(s)) > maxStringLen {
		return e.tooLong(p)
	}
	return e.newString(p, base64.StdEncoding.EncodeToString([]byte(s)), v.Refs)
}

// length evaluates Fn::Length of the AWS::LanguageExtensions transform.
func (e *evaluator) length(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	v := e.eval(arg, depth+1)
	switch v.K() {
	case evidence.Unknown:
		return unknownWith(p, v.Reason(), v.Refs)
	case evidence.List:
		n := evidence.NewNumber(p, float64(len(v.Items())))
		n.Refs = v.Refs
		return n
	}
	return e.bad(p, "Fn::Length", "a list")
}

// toJSON evaluates Fn::ToJsonString of the AWS::LanguageExtensions transform. Keys come out sorted, which
// CloudFormation does not promise but rules reading the JSON do not depend on.
func (e *evaluator) toJSON(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	v := e.eval(arg, depth+1)
	if v == nil || v.K() != evidence.Object && v.K() != evidence.List && !v.IsUnknown() {
		return e.bad(p, "Fn::ToJsonString", "an object or a list")
	}
	if why, ok := fullyKnown(v); !ok {
		return unknownWith(p, why, allRefs(v))
	}
	data, err := json.Marshal(v.Interface())
	if err != nil {
		return evidence.NewUnknown(p, "its Fn::ToJsonString value cannot be written as JSON")
	}
	return e.newString(p, string(data), allRefs(v))
}
